"""What derives from council records, for :mod:`kenes.core.derivation`: raising a session raises its
items, decisions and minutes; raising a work plan question its agenda items; raising an item its
decisions; raising a decision its amendments; raising any subject the agenda items about it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from kenes.core import derivation, subjects
from kenes.council.models import AgendaItem, Decision, Meeting, Minutes, PlannedQuestion


def _items_of_meeting(meeting: Meeting) -> QuerySet[AgendaItem]:
    return AgendaItem.objects.filter(meeting=meeting)


def _decisions_of_meeting(meeting: Meeting) -> QuerySet[Decision]:
    return Decision.objects.filter(meeting=meeting)


def _minutes_of_meeting(meeting: Meeting) -> QuerySet[Minutes]:
    return Minutes.objects.filter(meeting=meeting)


def _items_of_question(question: PlannedQuestion) -> QuerySet[AgendaItem]:
    return AgendaItem.objects.filter(planned_question=question)


def _decisions_of_item(item: AgendaItem) -> QuerySet[Decision]:
    return Decision.objects.filter(agenda_item=item)


def _amendments(decision: Decision) -> QuerySet[Decision]:
    return Decision.objects.filter(amends=decision)


def _items_about(record: Any) -> QuerySet[AgendaItem] | None:
    return AgendaItem.objects.filter(subjects.filter_q(record)) if subjects.is_subject(record) else None


def register() -> None:
    from kenes.council.services import decision_in_minutes, item_in_minutes

    derivation.derives(Meeting, _items_of_meeting)
    derivation.derives(Meeting, _decisions_of_meeting)
    derivation.derives(Meeting, _minutes_of_meeting)
    derivation.derives(PlannedQuestion, _items_of_question)
    derivation.derives(AgendaItem, _decisions_of_item)
    derivation.derives(Decision, _amendments)
    derivation.derives_from_any(_items_about)
    derivation.guard(Decision, decision_in_minutes)
    derivation.guard(AgendaItem, item_in_minutes)
