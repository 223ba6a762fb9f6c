"""Rules of the Council's sessions: who may do what, in which state, and what each act records.

Every change here runs in one transaction, with its audit events written inside it (by the audit
signal handlers and, for acts that are not a change of a row, by ``audit.record``). Views, the API,
imports and commands call these functions and never change council records themselves.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kenes.accounts.models import Role, User
from kenes.core import composition, derivation, policy, references, search, sequences
from kenes.core.classification import Classification
from kenes.core.exceptions import Conflict
from kenes.core.services import service
from kenes.council.choices import (
    MEETING_FLOW,
    Attendance,
    DecisionStatus,
    ItemKind,
    MeetingStatus,
    MinutesStatus,
    QuestionStatus,
    VoteChoice,
)
from kenes.council.models import (
    AgendaItem,
    AttendanceRecord,
    Decision,
    Meeting,
    Minutes,
    PlannedQuestion,
    Vote,
)

if TYPE_CHECKING:
    from kenes.directory.models import Organization

PRESIDING_ROLES = (Role.CHAIRMAN, Role.SECRETARY)
MEMBER_ROLES = (Role.CHAIRMAN, Role.SECRETARY, Role.MEMBER)
MATERIAL_ROLES = (Role.CHAIRMAN, Role.SECRETARY, Role.ANALYST, Role.CONTROLLER)
EDITABLE_MEETING_STATES = (MeetingStatus.PLANNED, MeetingStatus.AGENDA_APPROVED)
VOTING_MEETING_STATES = (MeetingStatus.AGENDA_APPROVED, MeetingStatus.HELD)
DECISION_FLOW = {
    DecisionStatus.ADOPTED: (DecisionStatus.IN_EXECUTION, DecisionStatus.EXECUTED, DecisionStatus.CANCELLED),
    DecisionStatus.IN_EXECUTION: (DecisionStatus.EXECUTED, DecisionStatus.CANCELLED),
}


# --- who may act ---------------------------------------------------------------------------------


def may_preside(user: User) -> bool:
    """The secretary and the chairman prepare and run sessions."""
    return policy.is_reader(user) and user.role in PRESIDING_ROLES


def _ensure_presiding(user: User) -> None:
    if not may_preside(user):
        raise PermissionDenied(_("Only the secretary or the chairman may do this."))


def _ensure_chairman(user: User) -> None:
    if not (policy.is_reader(user) and user.role == Role.CHAIRMAN):
        raise PermissionDenied(_("Only the chairman may sign a decision."))


def may_add_materials(user: User, item: AgendaItem) -> bool:
    """The apparatus and the liaison officer of the body heard may add materials to an item."""
    if not policy.is_reader(user):
        return False
    return user.role in MATERIAL_ROLES or (user.is_liaison and item.body_id == user.organization_id)


def council_members() -> QuerySet[User]:
    """Everyone who sits on the Council: the chairman, the secretary and the members."""
    return User.objects.filter(role__in=MEMBER_ROLES, is_active=True).order_by("role", "last_name", "username")


def _level(value: int | None, default: int) -> int:
    return int(default if value is None else value)


def _check_level(actor: User, level: int, sources: Iterable[Any], old: int | None = None) -> None:
    if level not in Classification.values:
        raise ValidationError({"classification": _("Unknown classification.")})
    policy.ensure_may_change_level(actor, old, level)
    policy.ensure_high_water(level, sources)


def _locked(model: type[Any], pk: Any) -> Any:
    """The row ``pk`` of ``model`` read again under a lock (``SELECT … FOR UPDATE``), or None.

    A service that computes a level from a record (the source of a new child, the record it raises)
    reads it so: a concurrent raise of that record then waits for it, or it waits for the raise and
    reads the new level, so no child is created below its source."""
    return None if pk is None else model._default_manager.select_for_update().get(pk=pk)


# --- the work plan -------------------------------------------------------------------------------


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
    _ensure_presiding(actor)
    level = _level(classification, Classification.OFFICIAL)
    _check_level(actor, level, [])
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
    _ensure_presiding(actor)
    question = _locked(PlannedQuestion, question.pk)
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


@service
def drop_question(question: PlannedQuestion, *, actor: User, note: str = "") -> PlannedQuestion:
    """Take a question off the plan, keeping it visible as dropped."""
    _ensure_presiding(actor)
    if question.status == QuestionStatus.HELD:
        raise Conflict(_("A question already considered cannot be dropped."))
    question.status = QuestionStatus.DROPPED
    question.note = note or question.note
    question.save()
    return question


@service
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


# --- sessions ------------------------------------------------------------------------------------


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
    _ensure_presiding(actor)
    level = _level(classification, Classification.SECRET)
    _check_level(actor, level, [])
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
    _ensure_presiding(actor)
    meeting = _locked(Meeting, meeting.pk)
    status = changes.pop("status", None)
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
        meeting = advance_meeting(meeting, status, actor=actor)
    return meeting


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


@service
def advance_meeting(meeting: Meeting, status: str, *, actor: User) -> Meeting:
    """Move a session to the next status; anything out of order is a conflict (409).

    Approving the agenda needs at least one item; a held session marks its planned questions as
    considered; ``minutes_signed`` is reached by signing the minutes."""
    _ensure_presiding(actor)
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
    _ensure_presiding(actor)
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


# --- agenda --------------------------------------------------------------------------------------


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
    _ensure_presiding(actor)
    meeting = _locked(Meeting, meeting.pk)
    if meeting.status not in EDITABLE_MEETING_STATES:
        raise Conflict(_("The agenda of a session that has been held cannot change."))
    _check_hearing(kind, body)
    if subject is not None:
        subject = _locked(type(subject), subject.pk)
    if planned_question is not None:
        planned_question = _locked(PlannedQuestion, planned_question.pk)
    sources = [source for source in (meeting, subject, planned_question) if source is not None]
    level = _level(classification, policy.high_water_mark(sources))
    _check_level(actor, level, sources)
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
    _ensure_presiding(actor)
    meeting = _locked(Meeting, item.meeting_id)
    item = _locked(AgendaItem, item.pk)
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


@service
def reorder_agenda(meeting: Meeting, item_ids: list[int], *, actor: User) -> list[AgendaItem]:
    """Put the agenda in the given order; the list must name every item of the session exactly once."""
    _ensure_presiding(actor)
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
    _ensure_presiding(actor)
    if item.meeting.status not in EDITABLE_MEETING_STATES:
        raise Conflict(_("The agenda of a session that has been held cannot change."))
    if item.decisions.exists():
        raise Conflict(_("An item with decisions cannot be removed."))
    question = item.planned_question
    item.delete()
    if question is not None:
        question.status = QuestionStatus.PLANNED
        question.save()


# --- decisions -----------------------------------------------------------------------------------


@service
def draft_decision(
    *,
    actor: User,
    title: str,
    text: str,
    kind: str = "decision",
    meeting: Meeting | None = None,
    agenda_item: AgendaItem | None = None,
    classification: int | None = None,
    amends: Decision | None = None,
) -> Decision:
    """Draft a decision on an agenda item, or outside a session (then only the chairman may adopt it).

    A decision of a session names the item it decides on: a ``meeting`` without an ``agenda_item``, or
    with an item of another session, is invalid input naming ``agenda_item``."""
    _ensure_presiding(actor)
    if meeting is not None and agenda_item is None:
        raise ValidationError({"agenda_item": _("A decision of a session is taken on one of its agenda items.")})
    if meeting is not None and agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": _("The agenda item belongs to another session.")})
    meeting = _locked(Meeting, agenda_item.meeting_id) if agenda_item else None
    agenda_item = _locked(AgendaItem, agenda_item.pk) if agenda_item else None
    amends = _locked(Decision, amends.pk) if amends else None
    if meeting is not None and meeting.status == MeetingStatus.MINUTES_SIGNED:
        raise Conflict(_("The minutes of this session are signed; no decision can be added to it."))
    if amends is not None and amends.status == DecisionStatus.DRAFT:
        raise ValidationError({"amends": _("Only an adopted decision can be amended.")})
    sources = [s for s in (meeting, agenda_item, amends) if s is not None]
    level = _level(classification, policy.high_water_mark(sources) if sources else Classification.SECRET)
    _check_level(actor, level, sources)
    decision = Decision(
        meeting=meeting,
        agenda_item=agenda_item,
        kind=kind,
        title=title,
        text=text,
        classification=level,
        amends=amends,
    )
    decision.full_clean()
    decision.save()
    return decision


@service
def update_decision(decision: Decision, *, actor: User, **changes: Any) -> Decision:
    """Edit a draft; an adopted decision is never edited, only amended by a new one (409)."""
    _ensure_presiding(actor)
    _locked(Meeting, decision.meeting_id)
    _locked(AgendaItem, decision.agenda_item_id)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.status != DecisionStatus.DRAFT:
        raise Conflict(_("An adopted decision cannot be edited; amend it by a new decision."))
    level = changes.pop("classification", None)
    for field, value in changes.items():
        if value is not None:
            setattr(decision, field, value)
    if level is not None and level != decision.classification:
        sources = [s for s in (decision.meeting, decision.agenda_item, decision.amends) if s is not None]
        derivation.change_level(decision, level, actor=actor, sources=sources)
    decision.full_clean()
    decision.save()
    return decision


@dataclass(frozen=True)
class VoteResult:
    votes_for: int
    against: int
    abstain: int

    @property
    def cast(self) -> int:
        return self.votes_for + self.against + self.abstain

    @property
    def passed(self) -> bool:
        """A simple majority of the votes cast."""
        return self.cast > 0 and self.votes_for * 2 > self.cast


def vote_result(decision: Decision) -> VoteResult:
    counts = Counter(decision.votes.values_list("choice", flat=True))
    return VoteResult(counts[VoteChoice.FOR], counts[VoteChoice.AGAINST], counts[VoteChoice.ABSTAIN])


@service
def record_votes(decision: Decision, votes: Iterable[dict[str, Any]], *, actor: User) -> VoteResult:
    """Record how members voted on a draft during its session (the secretary keeps the record)."""
    _ensure_presiding(actor)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.status != DecisionStatus.DRAFT:
        raise Conflict(_("Votes are recorded only before the decision is adopted."))
    if decision.meeting is None or decision.meeting.status not in VOTING_MEETING_STATES:
        raise Conflict(_("Votes are recorded during the session, after its agenda is approved."))
    members: dict[Any, User] = {m.pk: m for m in council_members()}
    for index, entry in enumerate(votes):
        member = members.get(entry.get("member"))
        if member is None:
            raise ValidationError({f"votes.{index}.member": _("Not a member of the Council.")})
        choice = entry.get("choice")
        if choice not in VoteChoice.values:
            raise ValidationError({f"votes.{index}.choice": _("Vote for, against or abstain.")})
        vote, created = Vote.objects.get_or_create(decision=decision, member=member, defaults={"choice": choice})
        if not created and vote.choice != choice:
            vote.choice = choice
            vote.save()
    return vote_result(decision)


@service
def adopt_decision(decision: Decision, *, actor: User) -> Decision:
    """Adopt and sign a decision: the chairman's act. It gets the next number of the year.

    On a session, the votes recorded must carry it by a simple majority; outside a session the
    chairman adopts alone. Numbers are taken from a locked counter, so two adoptions at once never
    get the same number, and a number once given is never given again."""
    _ensure_chairman(actor)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.status != DecisionStatus.DRAFT:
        raise Conflict(_("This decision has already been adopted."))
    if decision.meeting is not None:
        if decision.meeting.status not in VOTING_MEETING_STATES:
            raise Conflict(_("A decision is adopted during its session, after the agenda is approved."))
        if not vote_result(decision).passed:
            raise Conflict(_("The votes recorded do not carry this decision."))
    now = timezone.now()
    year = timezone.localdate(now).year
    decision.sequence = sequences.take("decision", year)
    decision.year = year
    decision.number = f"{decision.sequence}/{year}"
    decision.status = DecisionStatus.ADOPTED
    decision.adopted_at = now
    decision.signed_by = actor
    decision.save()
    return decision


@service
def change_decision_status(decision: Decision, status: str, *, actor: User, note: str = "") -> Decision:
    """Move an adopted decision on (in execution, executed) or cancel it, with a reason."""
    _ensure_presiding(actor)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if status not in DecisionStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    if status not in DECISION_FLOW.get(DecisionStatus(decision.status), ()):
        raise Conflict(
            _("A decision cannot go from “%(from)s” to “%(to)s”.")
            % {"from": DecisionStatus(decision.status).label, "to": DecisionStatus(status).label}
        )
    if status == DecisionStatus.CANCELLED and not note.strip():
        raise ValidationError({"note": _("Give the reason for cancelling.")})
    decision.status = status
    decision.status_note = note
    decision.save()
    return decision


def start_execution(decision: Decision) -> bool:
    """Put an adopted decision in execution when its first instruction is given (execution control
    calls this inside its own service, so the change is in the instruction's transaction and audit
    log). Any other status is left as it is. Returns whether the decision moved."""
    if decision.status != DecisionStatus.ADOPTED:
        return False
    decision.status = DecisionStatus.IN_EXECUTION
    decision.save(update_fields=["status", "updated_at"])
    return True


def gives_instructions(decision: Decision) -> bool:
    """Whether instructions may be given by ``decision``: not by a draft nor a cancelled one."""
    return decision.status not in (DecisionStatus.DRAFT, DecisionStatus.CANCELLED)


def meetings_open_for_reports(user: User) -> QuerySet[Meeting]:
    """The sessions a report (an evaluation, a situation report) may be put on the agenda of: those the
    user may read whose agenda is still open, soonest first."""
    return Meeting.objects.visible_to(user).filter(status__in=EDITABLE_MEETING_STATES).order_by("date", "pk")


# --- minutes -------------------------------------------------------------------------------------


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
    _ensure_presiding(actor)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != MeetingStatus.HELD:
        raise Conflict(_("Minutes are drafted after the session is held."))
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    if minutes is not None and minutes.status == MinutesStatus.SIGNED:
        raise Conflict(_("The minutes are signed and can no longer change."))
    if minutes is None:
        minutes = Minutes(meeting=meeting, classification=meeting.classification)
    level = _level(classification, minutes.classification)
    derivation.change_level(minutes, level, actor=actor, sources=[meeting])
    minutes.text = compose_minutes(meeting, level)
    minutes.save()
    return minutes


@service
def edit_minutes(minutes: Minutes, text: str, *, actor: User) -> Minutes:
    _ensure_presiding(actor)
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if minutes.status == MinutesStatus.SIGNED:
        raise Conflict(_("The minutes are signed and can no longer change."))
    if not text.strip():
        raise ValidationError({"text": _("The minutes cannot be empty.")})
    minutes.text = text
    minutes.save()
    return minutes


@service
def sign_minutes(minutes: Minutes, *, actor: User) -> Minutes:
    """Sign the minutes: they become read-only and the session reaches ``minutes_signed``."""
    _ensure_presiding(actor)
    minutes = Minutes.objects.select_for_update().select_related("meeting").get(pk=minutes.pk)
    if minutes.status == MinutesStatus.SIGNED:
        raise Conflict(_("The minutes are already signed."))
    if minutes.meeting.status != MeetingStatus.HELD:
        raise Conflict(_("Minutes are signed after the session is held."))
    minutes.status = MinutesStatus.SIGNED
    minutes.signed_by = actor
    minutes.signed_at = timezone.now()
    minutes.save()
    meeting = minutes.meeting
    meeting.status = MeetingStatus.MINUTES_SIGNED
    meeting.save()
    return minutes


# --- reading -------------------------------------------------------------------------------------


def meetings_for(
    user: User,
    *,
    status: str | None = None,
    kind: str | None = None,
    year: int | None = None,
    q: str | None = None,
    sort: str | None = None,
) -> QuerySet[Meeting]:
    """The sessions the user may see, filtered and sorted as the pages and the API ask."""
    queryset = Meeting.objects.visible_to(user).select_related("chair")
    if status:
        queryset = queryset.filter(status=status)
    if kind:
        queryset = queryset.filter(kind=kind)
    if year:
        queryset = queryset.filter(date__year=year)
    queryset = search.matching(queryset, q, ("title", "place"))
    orders = {
        "date": ("date", "pk"),
        "-date": ("-date", "-pk"),
        "title": ("title", "pk"),
        "status": ("status", "-date"),
    }
    return queryset.order_by(*orders.get(sort or "-date", orders["-date"]))


def decisions_for(
    user: User,
    *,
    status: str | None = None,
    kind: str | None = None,
    year: int | None = None,
    meeting: int | None = None,
    q: str | None = None,
    sort: str | None = None,
) -> QuerySet[Decision]:
    queryset = Decision.objects.visible_to(user).select_related("meeting", "signed_by")
    queryset = references.annotate(queryset, user, "meeting", "agenda_item", "amends")
    if status:
        queryset = queryset.filter(status=status)
    if kind:
        queryset = queryset.filter(kind=kind)
    if year:
        queryset = queryset.filter(year=year)
    if meeting:
        queryset = references.filter_by(queryset, user, "meeting", meeting)
    queryset = search.matching(queryset, q, ("title", "number", "text"))
    orders = {
        "number": ("-year", "-sequence", "-pk"),
        "title": ("title", "pk"),
        "status": ("status", "-pk"),
        "-adopted": ("-adopted_at", "-pk"),
        "adopted": ("adopted_at", "pk"),
    }
    return queryset.order_by(*orders.get(sort or "number", orders["number"]))


def questions_for(user: User, *, year: int | None = None, status: str | None = None) -> QuerySet[PlannedQuestion]:
    queryset = PlannedQuestion.objects.visible_to(user).select_related("responsible", "planned_meeting")
    queryset = references.annotate(queryset, user, "planned_meeting")
    if year:
        queryset = queryset.filter(year=year)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("year", "quarter", "pk")


def items_for(user: User, meeting: Meeting) -> QuerySet[AgendaItem]:
    return AgendaItem.objects.visible_to(user).filter(meeting=meeting).select_related("body").order_by("position", "pk")


def visible_minutes(user: User, meeting: Meeting) -> Minutes | None:
    return Minutes.objects.visible_to(user).filter(meeting=meeting).first()


def votes_of(decision: Decision) -> QuerySet[Vote]:
    """The votes on a decision the caller already may see (the decision is the access check)."""
    return decision.votes.select_related("member").order_by("member__last_name", "member__username")


def attendance_of(meeting: Meeting) -> QuerySet[AttendanceRecord]:
    """The attendance of a session the caller already may see (the session is the access check)."""
    return meeting.attendance.select_related("member").order_by("member__last_name", "member__username")
