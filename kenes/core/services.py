"""What every service of Kenes shares."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, overload

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from kenes.core import audit, context

F = TypeVar("F", bound=Callable[..., Any])


@overload
def service(function: F) -> F: ...


@overload
def service(*, named: str) -> Callable[[F], F]: ...


def service(function: F | None = None, *, named: str = "") -> F | Callable[[F], F]:
    """Make ``function`` a service: one transaction, and its keyword ``actor`` the author of every audit
    event written inside it, whoever called it (a page, the API, a command, the demo loader).

    A business action (adopting a decision, signing minutes, accepting a report) is declared with
    ``@service(named="adopt")``: every audit event written inside it carries that name beside its
    field changes, so the log says what was done and not only which fields changed."""

    if named and named not in audit.BUSINESS_ACTIONS:
        raise ImproperlyConfigured(f"the business action {named!r} is not in kenes.core.audit.BUSINESS_ACTIONS")

    def decorate(function: F) -> F:
        @functools.wraps(function)
        def run(*args: Any, actor: Any, **kwargs: Any) -> Any:
            with transaction.atomic(), context.acting_as(actor), context.naming(named):
                return function(*args, actor=actor, **kwargs)

        run.business_action = named  # type: ignore[attr-defined]
        return run  # type: ignore[return-value]

    return decorate(function) if function is not None else decorate
