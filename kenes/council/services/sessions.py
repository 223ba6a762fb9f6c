"""Sessions: planning one, changing it, moving it through its statuses, and who attended."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kenes.accounts.models import User
from kenes.core import derivation, policy
from kenes.core.classification import Classification
from kenes.core.exceptions import Conflict
from kenes.core.services import service
from kenes.council.choices import MEETING_FLOW, Attendance, MeetingStatus, QuestionStatus
from kenes.council.models import AttendanceRecord, Meeting, Minutes, PlannedQuestion
from kenes.council.services.decisions import early_reason
from kenes.council.services.minutes import sign_minutes
from kenes.council.services.rules import EDITABLE_MEETING_STATES, council_members, ensure_presiding, locked


@service
def create_meeting(
    *,
    actor: User,
    title: str,
    date: dt.date,
    kind: str = "regular",
    place: str = "",
    start_time: dt.time | None = None,
    chair: User | None = None,
    classification: int | None = None,
) -> Meeting:
    """Plan a session (by default classified ``secret``)."""
    ensure_presiding(actor)
    level = policy.resolve_level(actor, classification, default=Classification.SECRET)
    meeting = Meeting(
        title=title,
        date=date,
        kind=kind,
        place=place,
        start_time=start_time,
        chair=chair,
        classification=level,
    )
    meeting.full_clean()
    meeting.save()
    return meeting


@service
def update_meeting(meeting: Meeting, *, actor: User, **changes: Any) -> Meeting:
    """Change a session's details while it is being prepared.

    Raising its classification raises every item, decision and minutes below the new level with it
    (the high-water mark); lowering it is a declassification, for the chairman or secretary only."""
    ensure_presiding(actor)
    meeting = locked(Meeting, meeting.pk)
    status = changes.pop("status", None)
    reason = changes.pop("reason", None)  # None: not asked (the API), an early hold is kept as unstated
    if changes:
        if meeting.status not in EDITABLE_MEETING_STATES:
            raise Conflict(_("A session that has been held can no longer be changed."))
        level = changes.pop("classification", None)
        for field, value in changes.items():
            setattr(meeting, field, value)
        if level is not None and level != meeting.classification:
            derivation.change_level(meeting, level, actor=actor)
        meeting.full_clean()
        meeting.save()
    if status is not None and status != meeting.status:
        meeting = advance_meeting(meeting, status, actor=actor, reason=reason)
    return meeting


@service(named="advance")
def advance_meeting(meeting: Meeting, status: str, *, actor: User, reason: str | None = "") -> Meeting:
    """Move a session to the next status; anything out of order is a conflict (409).

    Approving the agenda needs at least one item; a session is held before its date only with a
    ``reason``, kept on the session (and so in the audit event); a held session marks its planned
    questions as considered; ``minutes_signed`` is reached by signing the minutes."""
    ensure_presiding(actor)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if status not in MeetingStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    current = MEETING_FLOW.index(MeetingStatus(meeting.status))
    if MEETING_FLOW.index(MeetingStatus(status)) != current + 1:
        raise Conflict(
            _("A session moves from “%(current)s” only to the next status.")
            % {"current": MeetingStatus(meeting.status).label}
        )
    if status == MeetingStatus.AGENDA_APPROVED and not meeting.agenda_items.exists():
        raise Conflict(_("An agenda without items cannot be approved."))
    if status == MeetingStatus.MINUTES_SIGNED:
        minutes = Minutes.objects.filter(meeting=meeting).first()
        if minutes is None:
            raise Conflict(_("Draft the minutes before signing them."))
        return sign_minutes(minutes, actor=actor).meeting
    if status == MeetingStatus.HELD:
        meeting.early_reason = early_reason(meeting, reason, holding=True)
    meeting.status = status
    meeting.save()
    if status == MeetingStatus.HELD:
        for question in PlannedQuestion.objects.filter(agenda_items__meeting=meeting).distinct():
            question.status = QuestionStatus.HELD
            question.save()
    return meeting


@service
def record_attendance(meeting: Meeting, entries: Iterable[dict[str, Any]], *, actor: User) -> list[AttendanceRecord]:
    """Record who attended: each member present, absent, or represented by someone named."""
    ensure_presiding(actor)
    if meeting.status == MeetingStatus.MINUTES_SIGNED:
        raise Conflict(_("The minutes are signed; attendance can no longer change."))
    members: dict[Any, User] = {m.pk: m for m in council_members()}
    records = []
    for index, entry in enumerate(entries):
        member = members.get(entry.get("member"))
        if member is None:
            raise ValidationError({f"attendance.{index}.member": _("Not a member of the Council.")})
        status = entry.get("status")
        if status not in Attendance.values:
            raise ValidationError({f"attendance.{index}.status": _("Unknown attendance status.")})
        represented_by = (entry.get("represented_by") or "").strip()
        if status == Attendance.REPRESENTED and not represented_by:
            raise ValidationError({f"attendance.{index}.represented_by": _("Name who represented the member.")})
        record, _created = AttendanceRecord.objects.get_or_create(
            meeting=meeting, member=member, defaults={"status": status, "represented_by": represented_by}
        )
        if (record.status, record.represented_by) != (status, represented_by if status == "represented" else ""):
            record.status = status
            record.represented_by = represented_by if status == Attendance.REPRESENTED else ""
            record.save()
        records.append(record)
    return records


def meetings_open_for_reports(user: User) -> QuerySet[Meeting]:
    """The sessions a report (an evaluation, a situation report) may be put on the agenda of: those the
    user may read whose agenda is still open, soonest first."""
    return Meeting.objects.visible_to(user).filter(status__in=EDITABLE_MEETING_STATES).order_by("date", "pk")
