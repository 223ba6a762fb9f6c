"""What derives from council records, for :mod:`kenes.core.derivation`: raising a session raises its
items, decisions and minutes; raising a work plan question its agenda items; raising an item its
decisions; raising a decision its amendments; raising any subject the agenda items about it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from kenes.core import derivation, subjects
from kenes.council.models import AgendaItem, Decision, Meeting, Minutes, PlannedQuestion


def _items_about(record: Any) -> QuerySet[AgendaItem] | None:
    return AgendaItem.objects.filter(subjects.filter_q(record)) if subjects.is_subject(record) else None


def register() -> None:
    from kenes.council.services import decision_in_minutes, item_in_minutes

    derivation.derives_through(Meeting, AgendaItem, "meeting")
    derivation.derives_through(Meeting, Decision, "meeting")
    derivation.derives_through(Meeting, Minutes, "meeting")
    derivation.derives_through(PlannedQuestion, AgendaItem, "planned_question")
    derivation.derives_through(AgendaItem, Decision, "agenda_item")
    derivation.derives_through(Decision, Decision, "amends")
    derivation.derives_from_any(_items_about)
    derivation.guard(Decision, decision_in_minutes)
    derivation.guard(AgendaItem, item_in_minutes)
