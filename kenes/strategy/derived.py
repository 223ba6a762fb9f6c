"""What derives from strategy records, for :mod:`kenes.core.derivation`: a document's sub-documents,
goals, indicators and evaluation reports; a goal's sub-goals and indicators."""

from __future__ import annotations

from kenes.core import derivation
from kenes.strategy.models import EvaluationReport, Goal, Indicator, StrategicDocument


def register() -> None:
    derivation.derives_through(StrategicDocument, StrategicDocument, "parent")
    derivation.derives_through(StrategicDocument, Goal, "document")
    derivation.derives_through(StrategicDocument, Indicator, "document")
    derivation.derives_through(StrategicDocument, EvaluationReport, "document")
    derivation.derives_through(Goal, Goal, "parent")
    derivation.derives_through(Goal, Indicator, "goal")
