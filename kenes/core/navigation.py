"""The page shell's navigation: each app registers its entries; what is not built shows nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: Any
    url_name: str
    section: str
    order: int = 100
    allowed: Callable[[Any], bool] = lambda user: True


_items: list[NavItem] = []


def register(item: NavItem) -> None:
    if all(i.url_name != item.url_name for i in _items):
        _items.append(item)


def items_for(user: Any, current_path: str) -> list[dict[str, Any]]:
    """The entries the user may use, in order, each marked active when the page is under it."""
    entries = []
    for item in sorted(_items, key=lambda i: i.order):
        if item.allowed(user):
            entries.append({"label": item.label, "url": reverse(item.url_name), "section": item.section})
    matching = [e["url"] for e in entries if e["url"] != "/" and current_path.startswith(e["url"])]
    active = max(matching, key=len) if matching else ("/" if current_path == "/" else None)
    for entry in entries:
        entry["active"] = entry["url"] == active
    return entries
