"""What follows from a decision, contributed by later modules (execution control gives instructions),
so that a decision's page shows the next links of the chain without this app knowing those modules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_decision_sections: list[Callable[[Any, Any], dict[str, Any]]] = []


def register_decision_section(section: Callable[[Any, Any], dict[str, Any]]) -> None:
    """``section(request, decision)`` returns ``{"template": ..., **context}`` for the decision's page."""
    if section not in _decision_sections:
        _decision_sections.append(section)


def decision_sections() -> list[Callable[[Any, Any], dict[str, Any]]]:
    return list(_decision_sections)
