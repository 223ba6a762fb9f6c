"""What every service of Kenes shares."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import transaction

from kenes.core import context

F = TypeVar("F", bound=Callable[..., Any])


def service(function: F) -> F:
    """Make ``function`` a service: one transaction, and its keyword ``actor`` the author of every audit
    event written inside it, whoever called it (a page, the API, a command, the demo loader)."""

    @functools.wraps(function)
    def run(*args: Any, actor: Any, **kwargs: Any) -> Any:
        with transaction.atomic(), context.acting_as(actor):
            return function(*args, actor=actor, **kwargs)

    return run  # type: ignore[return-value]
