"""What derives from strategy records, for :mod:`kenes.core.derivation`: a document's sub-documents,
goals, indicators and evaluation reports; a goal's sub-goals and indicators."""

from __future__ import annotations

from django.db.models import QuerySet

from kenes.core import derivation
from kenes.strategy.models import EvaluationReport, Goal, Indicator, StrategicDocument


def _subdocuments(document: StrategicDocument) -> QuerySet[StrategicDocument]:
    return StrategicDocument.objects.filter(parent=document)


def _goals_of_document(document: StrategicDocument) -> QuerySet[Goal]:
    return Goal.objects.filter(document=document)


def _indicators_of_document(document: StrategicDocument) -> QuerySet[Indicator]:
    return Indicator.objects.filter(document=document)


def _reports_of_document(document: StrategicDocument) -> QuerySet[EvaluationReport]:
    return EvaluationReport.objects.filter(document=document)


def _subgoals(goal: Goal) -> QuerySet[Goal]:
    return Goal.objects.filter(parent=goal)


def _indicators_of_goal(goal: Goal) -> QuerySet[Indicator]:
    return Indicator.objects.filter(goal=goal)


def register() -> None:
    derivation.derives(StrategicDocument, _subdocuments)
    derivation.derives(StrategicDocument, _goals_of_document)
    derivation.derives(StrategicDocument, _indicators_of_document)
    derivation.derives(StrategicDocument, _reports_of_document)
    derivation.derives(Goal, _subgoals)
    derivation.derives(Goal, _indicators_of_goal)
