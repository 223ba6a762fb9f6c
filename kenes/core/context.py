"""Who is acting, and from where: set per request (or per command) and read by the audit log."""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Acting:
    user: Any = None
    ip: str | None = None


_NOBODY = Acting()
_acting: contextvars.ContextVar[Acting] = contextvars.ContextVar("kenes_acting", default=_NOBODY)


def current() -> Acting:
    return _acting.get()


@contextmanager
def acting_as(user: Any, ip: str | None = None) -> Iterator[None]:
    """Attribute every audited change inside the block to ``user`` (keeping the request's address)."""
    token = _acting.set(Acting(user=user, ip=ip if ip is not None else _acting.get().ip))
    try:
        yield
    finally:
        _acting.reset(token)


def client_ip(request: Any) -> str | None:
    """The client's address as the server saw it (a trusted proxy is expected to set REMOTE_ADDR)."""
    return request.META.get("REMOTE_ADDR") or None


def set_user(user: Any) -> None:
    """Make ``user`` the actor for the rest of the current request (used after token authentication).

    The request middleware's ``acting_as`` block restores the previous value when the request ends."""
    _acting.set(Acting(user=user, ip=_acting.get().ip))


_bulk_models: contextvars.ContextVar[frozenset[type]] = contextvars.ContextVar("kenes_bulk", default=frozenset())


def bulk_allowed(model: type) -> bool:
    """Whether changes of many rows of ``model`` at once (which send no per-row signals) are inside an
    audited block (:func:`kenes.core.audit.bulk`) that writes their summary event."""
    return any(issubclass(model, allowed) for allowed in _bulk_models.get())


@contextmanager
def allowing_bulk(model: type) -> Iterator[None]:
    token = _bulk_models.set(_bulk_models.get() | {model})
    try:
        yield
    finally:
        _bulk_models.reset(token)


_cascading: contextvars.ContextVar[bool] = contextvars.ContextVar("kenes_cascading", default=False)


def cascading() -> bool:
    """Whether an audited row (or an audited block's rows) is being deleted: Django then sets the
    references of other rows to it to null by one ``update`` per model (``on_delete=SET_NULL``)."""
    return _cascading.get()


@contextmanager
def deleting() -> Iterator[None]:
    token = _cascading.set(True)
    try:
        yield
    finally:
        _cascading.reset(token)


_action_name: contextvars.ContextVar[str] = contextvars.ContextVar("kenes_action", default="")


def action_name() -> str:
    """The business action being done (``adopt``, ``sign``…), or ``""`` outside a named service."""
    return _action_name.get()


@contextmanager
def naming(name: str) -> Iterator[None]:
    """Name the business action of the block (the innermost named service wins; an unnamed one keeps
    the name of the service that called it)."""
    if not name:
        yield
        return
    token = _action_name.set(name)
    try:
        yield
    finally:
        _action_name.reset(token)
