"""Each module's demo data, registered by the module and loaded in order by ``manage.py load_demo``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction

_loaders: list[tuple[int, str, Callable[..., Any]]] = []


def register(name: str, loader: Callable[..., Any], order: int = 100) -> None:
    """Register a module's demo loader; it must be safe to run twice."""
    if all(n != name for _, n, _ in _loaders):
        _loaders.append((order, name, loader))


def load_module_demos(stdout: Any = None) -> list[str]:
    loaded = []
    for _, name, loader in sorted(_loaders, key=lambda entry: entry[0]):
        with transaction.atomic():  # a module's demo is loaded whole or not at all
            loader(stdout=stdout)
        loaded.append(name)
    return loaded
