"""The home dashboard: each app contributes widgets, rendered in order for the user who may see them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kenes.core.http import AuthedRequest


@dataclass(frozen=True)
class Widget:
    name: str
    template: str
    context: Callable[[AuthedRequest], dict[str, Any] | None]  # the dashboard is behind the login
    order: int = 100


_widgets: list[Widget] = []


def register(widget: Widget) -> None:
    if all(w.name != widget.name for w in _widgets):
        _widgets.append(widget)


def widgets_for(request: AuthedRequest) -> list[dict[str, Any]]:
    """The widgets to show; a widget whose context function answers ``None`` is not for this user."""
    shown = []
    for widget in sorted(_widgets, key=lambda w: w.order):
        context = widget.context(request)
        if context is not None:
            shown.append({"name": widget.name, "template": widget.template, **context})
    return shown
