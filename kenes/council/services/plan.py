"""The work plan: the questions the Council means to consider in a year, quarter by quarter."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from kenes.accounts.models import User
from kenes.core import derivation, policy
from kenes.core.classification import Classification
from kenes.core.exceptions import Conflict
from kenes.core.services import service
from kenes.council.choices import QuestionStatus
from kenes.council.models import AgendaItem, Meeting, PlannedQuestion
from kenes.council.services.agenda import add_agenda_item
from kenes.council.services.rules import ensure_presiding, locked

if TYPE_CHECKING:
    from kenes.directory.models import Organization


@service
def plan_question(
    *,
    actor: User,
    year: int,
    quarter: int,
    title: str,
    responsible: Organization,
    kind: str = "other",
    planned_meeting: Meeting | None = None,
    classification: int | None = None,
    note: str = "",
) -> PlannedQuestion:
    """Add a question to the year's work plan."""
    ensure_presiding(actor)
    level = policy.resolve_level(actor, classification, default=Classification.OFFICIAL)
    question = PlannedQuestion(
        year=year,
        quarter=quarter,
        title=title,
        responsible=responsible,
        kind=kind,
        planned_meeting=planned_meeting,
        classification=level,
        note=note,
    )
    question.full_clean()
    question.save()
    return question


@service
def update_question(question: PlannedQuestion, *, actor: User, **changes: Any) -> PlannedQuestion:
    """Change a planned question; moving it to another quarter or year marks it ``moved``."""
    ensure_presiding(actor)
    question = locked(PlannedQuestion, question.pk)
    if question.status in (QuestionStatus.HELD, QuestionStatus.DROPPED):
        raise Conflict(_("A question already considered or dropped cannot be changed."))
    level = changes.pop("classification", None)
    if level is not None and level != question.classification:
        derivation.change_level(question, level, actor=actor)
    moved = ("quarter" in changes and changes["quarter"] != question.quarter) or (
        "year" in changes and changes["year"] != question.year
    )
    for field, value in changes.items():
        if value is not None or field in ("planned_meeting",):
            setattr(question, field, value)
    if moved and question.status == QuestionStatus.PLANNED:
        question.status = QuestionStatus.MOVED
    question.full_clean()
    question.save()
    return question


@service(named="drop")
def drop_question(question: PlannedQuestion, *, actor: User, note: str = "") -> PlannedQuestion:
    """Take a question off the plan, keeping it visible as dropped."""
    ensure_presiding(actor)
    if question.status == QuestionStatus.HELD:
        raise Conflict(_("A question already considered cannot be dropped."))
    question.status = QuestionStatus.DROPPED
    question.note = note or question.note
    question.save()
    return question


@service(named="schedule")
def schedule_question(question: PlannedQuestion, meeting: Meeting, *, actor: User) -> AgendaItem:
    """Put a planned question on a session's agenda: an agenda item is made from it."""
    if question.status in (QuestionStatus.SCHEDULED, QuestionStatus.HELD, QuestionStatus.DROPPED):
        raise Conflict(_("This question is already scheduled, considered or dropped."))
    item = add_agenda_item(
        meeting,
        actor=actor,
        title=question.title,
        kind=question.kind,
        body=question.responsible,
        classification=max(question.classification, meeting.classification),
        planned_question=question,
    )
    question.status = QuestionStatus.SCHEDULED
    question.planned_meeting = meeting
    question.save()
    return item
