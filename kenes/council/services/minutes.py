"""The minutes of a session: composed from its data at their own level, edited, signed; and the
guards that keep a record they hold from being raised above them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kenes.accounts.models import User
from kenes.core import composition, derivation
from kenes.core.classification import Classification
from kenes.core.exceptions import Conflict
from kenes.core.services import service
from kenes.council.choices import Attendance, DecisionStatus, MeetingStatus, MinutesStatus
from kenes.council.models import AgendaItem, Decision, Meeting, Minutes
from kenes.council.services.rules import ensure_presiding


def _held_by_minutes(record: AgendaItem | Decision, meeting_id: int | None, level: int) -> None:
    """Refuse (409) to raise ``record`` above the minutes of its session that hold it: a composed
    document holds only what is at or below its own level. Drafted minutes are raised first; signed
    minutes never change, so what they hold stays at or below them. The minutes are locked, so a
    concurrent re-drafting cannot take in the record while it is being raised."""
    minutes = Minutes.objects.select_for_update().filter(meeting_id=meeting_id).first()
    if minutes is None or not composition.holds(minutes.classification, record) or level <= minutes.classification:
        return
    if minutes.status == MinutesStatus.SIGNED:
        raise Conflict(
            _("The signed minutes of its session hold this record at %(level)s; it cannot be raised above them.")
            % {"level": Classification(minutes.classification).label}
        )
    raise Conflict(
        _("The minutes of its session hold this record at %(level)s; raise the minutes first.")
        % {"level": Classification(minutes.classification).label}
    )


def decision_in_minutes(decision: Decision, level: int) -> None:
    """Guard of raising a decision taken on an agenda item (the minutes list those)."""
    if decision.agenda_item_id is not None:
        _held_by_minutes(decision, decision.meeting_id, level)


def item_in_minutes(item: AgendaItem, level: int) -> None:
    """Guard of raising an agenda item: the minutes of its session print its title."""
    _held_by_minutes(item, item.meeting_id, level)


def compose_minutes(meeting: Meeting, level: int) -> str:
    """The text of the minutes drafted from the session's data, in the active language.

    Minutes are a composed document (:mod:`kenes.core.composition`): they hold only the items and
    decisions at or below ``level``, the minutes' own level, whatever the drafter may read."""
    lines = [
        _("MINUTES of the session of the Security Council"),
        meeting.title,
        _("Date: %(date)s. Place: %(place)s. Kind: %(kind)s.")
        % {"date": meeting.date.isoformat(), "place": meeting.place or "—", "kind": meeting.get_kind_display()},
    ]
    if meeting.chair:
        lines.append(_("Chaired by: %(name)s.") % {"name": meeting.chair.display_name})
    records = list(meeting.attendance.select_related("member"))
    if records:
        lines += ["", _("Attendance:")]
        for record in records:
            line = f"— {record.member.display_name}: {record.get_status_display()}"
            if record.status == Attendance.REPRESENTED:
                line += f" ({record.represented_by})"
            lines.append(line)
    lines += ["", _("Agenda:")]
    decisions = composition.at_or_below(Decision.objects.order_by("pk"), level)
    items = composition.at_or_below(meeting.agenda_items.order_by("position", "pk"), level)
    items = list(items.select_related("body").prefetch_related(models.Prefetch("decisions", queryset=decisions)))
    for index, item in enumerate(items, 1):
        lines.append(f"{index}. {item.title}")
        if item.speaker or item.body:
            heard = ", ".join(name for name in (item.speaker, item.body.name if item.body else "") if name)
            lines.append("   " + _("Heard: %(speaker)s.") % {"speaker": heard})
        for decision in item.decisions.all():
            if decision.status == DecisionStatus.WITHDRAWN:
                continue
            number = decision.number or _("draft")
            lines.append("   " + _("Decided (%(number)s): %(title)s") % {"number": number, "title": decision.title})
    return "\n".join(lines)


@service
def draft_minutes(meeting: Meeting, *, actor: User, classification: int | None = None) -> Minutes:
    """Draft (or re-draft) the minutes from the session's data; signed minutes never change.

    The minutes are at the session's level unless the drafter chooses another (never below the
    session's, never above his clearance; lowering drafted minutes is a declassification). They hold
    only what is at or below their level, so raising them is how higher items enter them: the draft
    is composed again at the new level, and the change of level is in the audit log."""
    ensure_presiding(actor)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != MeetingStatus.HELD:
        raise Conflict(_("Minutes are drafted after the session is held."))
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    if minutes is not None and minutes.status == MinutesStatus.SIGNED:
        raise Conflict(_("The minutes are signed and can no longer change."))
    if minutes is None:
        minutes = Minutes(meeting=meeting, classification=meeting.classification)
    level = minutes.classification if classification is None else classification
    derivation.change_level(minutes, level, actor=actor, sources=[meeting])
    minutes.text = compose_minutes(meeting, level)
    minutes.save()
    return minutes


@service
def edit_minutes(minutes: Minutes, text: str, *, actor: User) -> Minutes:
    ensure_presiding(actor)
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if minutes.status == MinutesStatus.SIGNED:
        raise Conflict(_("The minutes are signed and can no longer change."))
    if not text.strip():
        raise ValidationError({"text": _("The minutes cannot be empty.")})
    minutes.text = text
    minutes.save()
    return minutes


def drafts_of(meeting: Meeting) -> QuerySet[Decision]:
    """The decisions of ``meeting`` still drafts: neither adopted nor withdrawn."""
    return Decision.objects.filter(meeting=meeting, status=DecisionStatus.DRAFT).order_by("pk")


def _ensure_no_drafts(meeting: Meeting, actor: User) -> None:
    """Refuse (409) to sign the minutes while decisions of the session are drafts, naming those the
    signer may read (the secretary and the chairman read them all; any other is only counted as such)."""
    drafts = list(drafts_of(meeting).values_list("pk", flat=True))
    if not drafts:
        return
    readable = list(Decision.objects.visible_to(actor).filter(pk__in=drafts).order_by("pk"))
    names = [f"“{decision.translated()}” ({_('draft')} #{decision.pk})" for decision in readable]
    if len(readable) < len(drafts):
        names.append(_("other drafts"))
    raise Conflict(
        _(
            "The minutes cannot be signed while decisions of this session are still drafts: %(drafts)s. The "
            "chairman adopts them, or you withdraw them, first."
        )
        % {"drafts": "; ".join(names)}
    )


@service(named="sign")
def sign_minutes(minutes: Minutes, *, actor: User) -> Minutes:
    """Sign the minutes: they become read-only and the session reaches ``minutes_signed``."""
    ensure_presiding(actor)
    minutes = Minutes.objects.select_for_update().select_related("meeting").get(pk=minutes.pk)
    if minutes.status == MinutesStatus.SIGNED:
        raise Conflict(_("The minutes are already signed."))
    if minutes.meeting.status != MeetingStatus.HELD:
        raise Conflict(_("Minutes are signed after the session is held."))
    _ensure_no_drafts(minutes.meeting, actor)
    minutes.status = MinutesStatus.SIGNED
    minutes.signed_by = actor
    minutes.signed_at = timezone.now()
    minutes.save()
    meeting = minutes.meeting
    meeting.status = MeetingStatus.MINUTES_SIGNED
    meeting.save()
    return minutes
