"""The agenda of a session: its items, their order, and what each is about."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Max
from django.utils.translation import gettext as _

from kenes.accounts.models import User
from kenes.core import derivation, policy
from kenes.core.exceptions import Conflict
from kenes.core.services import service
from kenes.council.choices import ItemKind, QuestionStatus
from kenes.council.models import AgendaItem, Meeting, PlannedQuestion
from kenes.council.services.rules import EDITABLE_MEETING_STATES, ensure_presiding, locked

if TYPE_CHECKING:
    from kenes.directory.models import Organization


def _check_hearing(kind: str, body: Organization | None) -> None:
    """A hearing of the head of a state body names the body heard; the speaker is optional."""
    if kind == ItemKind.HEAD_HEARING and body is None:
        raise ValidationError({"body": _("A hearing of the head of a state body names the body heard.")})


@service
def add_agenda_item(
    meeting: Meeting,
    *,
    actor: User,
    title: str,
    kind: str = "other",
    speaker: str = "",
    body: Organization | None = None,
    description: str = "",
    classification: int | None = None,
    planned_question: PlannedQuestion | None = None,
    subject: models.Model | None = None,
) -> AgendaItem:
    """Add an item at the end of the agenda of a session still being prepared."""
    ensure_presiding(actor)
    meeting = locked(Meeting, meeting.pk)
    if meeting.status not in EDITABLE_MEETING_STATES:
        raise Conflict(_("The agenda of a session that has been held cannot change."))
    _check_hearing(kind, body)
    if subject is not None:
        subject = locked(type(subject), subject.pk)
    if planned_question is not None:
        planned_question = locked(PlannedQuestion, planned_question.pk)
    sources = [source for source in (meeting, subject, planned_question) if source is not None]
    level = policy.resolve_level(actor, classification, sources=sources)
    last = meeting.agenda_items.aggregate(last=Max("position"))["last"]
    item = AgendaItem(
        meeting=meeting,
        position=(last or 0) + 1,
        title=title,
        kind=kind,
        speaker=speaker,
        body=body,
        description=description,
        classification=level,
        planned_question=planned_question,
    )
    if subject is not None:
        item.subject_type = ContentType.objects.get_for_model(subject)
        item.subject_id = subject.pk
    item.full_clean()
    item.save()
    return item


def _subject_of(item: AgendaItem) -> models.Model | None:
    """What an item is about (any level: it bounds the item's level from below, it is not shown)."""
    if not item.subject_type_id or not item.subject_id:
        return None
    model = ContentType.objects.get_for_id(item.subject_type_id).model_class()
    return model._default_manager.filter(pk=item.subject_id).first() if model else None  # policy: level only


@service
def update_agenda_item(item: AgendaItem, *, actor: User, **changes: Any) -> AgendaItem:
    ensure_presiding(actor)
    meeting = locked(Meeting, item.meeting_id)
    item = locked(AgendaItem, item.pk)
    item.meeting = meeting
    if item.meeting.status not in EDITABLE_MEETING_STATES:
        raise Conflict(_("The agenda of a session that has been held cannot change."))
    level = changes.pop("classification", None)
    for field, value in changes.items():
        if value is not None:
            setattr(item, field, value)
    if level is not None and level != item.classification:
        subject = _subject_of(item)
        sources = [item.meeting, subject] if subject is not None else [item.meeting]
        derivation.change_level(item, level, actor=actor, sources=sources)
    _check_hearing(item.kind, item.body)
    item.full_clean()
    item.save()
    return item


@service(named="reorder")
def reorder_agenda(meeting: Meeting, item_ids: list[int], *, actor: User) -> list[AgendaItem]:
    """Put the agenda in the given order; the list must name every item of the session exactly once."""
    ensure_presiding(actor)
    if meeting.status not in EDITABLE_MEETING_STATES:
        raise Conflict(_("The agenda of a session that has been held cannot change."))
    items = {item.pk: item for item in meeting.agenda_items.select_for_update()}
    if sorted(item_ids) != sorted(items) or len(set(item_ids)) != len(item_ids):
        raise ValidationError({"items": _("Name every item of this agenda exactly once.")})
    for position, pk in enumerate(item_ids, 1):
        item = items[pk]
        if item.position != position:
            item.position = position
            item.save(update_fields=["position", "updated_at"])
    return [items[pk] for pk in item_ids]


@service
def remove_agenda_item(item: AgendaItem, *, actor: User) -> None:
    ensure_presiding(actor)
    if item.meeting.status not in EDITABLE_MEETING_STATES:
        raise Conflict(_("The agenda of a session that has been held cannot change."))
    if item.decisions.exists():
        raise Conflict(_("An item with decisions cannot be removed."))
    question = item.planned_question
    item.delete()
    if question is not None:
        question.status = QuestionStatus.PLANNED
        question.save()
