"""Decisions and recommendations: drafting, votes, adoption by the chairman, and their course after."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from kenes.accounts.models import User
from kenes.core import context, derivation, policy, sequences
from kenes.core.classification import Classification
from kenes.core.exceptions import Conflict
from kenes.core.services import service
from kenes.council.choices import DecisionStatus, MeetingStatus, VoteChoice
from kenes.council.models import EARLY_UNSTATED, AgendaItem, Decision, Meeting, Vote
from kenes.council.services.rules import (
    DECISION_FLOW,
    council_members,
    ensure_chairman,
    ensure_presiding,
    locked,
)

#: The business action each move of an adopted decision is written to the audit log as.
STATUS_ACTIONS = {
    DecisionStatus.IN_EXECUTION: "advance",
    DecisionStatus.EXECUTED: "complete",
    DecisionStatus.CANCELLED: "cancel",
}


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
    ensure_presiding(actor)
    if meeting is not None and agenda_item is None:
        raise ValidationError({"agenda_item": _("A decision of a session is taken on one of its agenda items.")})
    if meeting is not None and agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": _("The agenda item belongs to another session.")})
    meeting = locked(Meeting, agenda_item.meeting_id) if agenda_item else None
    agenda_item = locked(AgendaItem, agenda_item.pk) if agenda_item else None
    amends = locked(Decision, amends.pk) if amends else None
    if meeting is not None and meeting.status == MeetingStatus.MINUTES_SIGNED:
        raise Conflict(_("The minutes of this session are signed; no decision can be added to it."))
    if amends is not None and amends.status == DecisionStatus.DRAFT:
        raise ValidationError({"amends": _("Only an adopted decision can be amended.")})
    sources = [s for s in (meeting, agenda_item, amends) if s is not None]
    default = None if sources else Classification.SECRET
    level = policy.resolve_level(actor, classification, default=default, sources=sources)
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
    ensure_presiding(actor)
    locked(Meeting, decision.meeting_id)
    locked(AgendaItem, decision.agenda_item_id)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    ensure_open_draft(decision)
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


@service(named="vote")
def record_votes(decision: Decision, votes: Iterable[dict[str, Any]], *, actor: User) -> VoteResult:
    """Record how members voted on a draft during its session (the secretary keeps the record)."""
    ensure_presiding(actor)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    ensure_open_draft(decision)
    if decision.meeting is None:
        raise Conflict(_("A decision outside a session is adopted by the chairman alone; no votes are recorded on it."))
    _ensure_session_voting(decision.meeting)
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


@service(named="adopt")
def adopt_decision(decision: Decision, *, actor: User, reason: str | None = "") -> Decision:
    """Adopt and sign a decision: the chairman's act. It gets the next number of the year.

    On a session, the votes recorded must carry it by a simple majority; outside a session the
    chairman adopts alone. Before the session's date it is adopted only with a ``reason``, kept on the
    decision (and so in the audit event). Numbers are taken from a locked counter, so two adoptions at
    once never get the same number, and a number once given is never given again."""
    ensure_chairman(actor)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    ensure_open_draft(decision)
    if decision.meeting is not None:
        _ensure_session_voting(decision.meeting)
        _ensure_carried(vote_result(decision))
        decision.early_reason = early_reason(decision.meeting, reason, holding=False)
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


@service(named="withdraw")
def withdraw_decision(decision: Decision, *, actor: User, note: str = "") -> Decision:
    """Withdraw a draft that will not be adopted: it keeps its text, gets no number, and can no longer
    be edited, voted on or adopted. A draft left over on a session whose minutes are signed is
    withdrawn so too."""
    ensure_presiding(actor)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.status != DecisionStatus.DRAFT:
        raise Conflict(
            _("Only a draft can be withdrawn; this decision is “%(status)s”.")
            % {"status": DecisionStatus(decision.status).label}
        )
    decision.status = DecisionStatus.WITHDRAWN
    decision.status_note = note.strip()
    decision.save()
    return decision


def ensure_open_draft(decision: Decision) -> None:
    """Refuse (409), naming the real cause, to act on a decision that is no longer an open draft: one
    adopted, withdrawn, or left a draft on a session whose minutes are signed."""
    if decision.status == DecisionStatus.WITHDRAWN:
        raise Conflict(_("This draft was withdrawn; it can no longer be edited, voted on or adopted."))
    if decision.status != DecisionStatus.DRAFT:
        raise Conflict(
            _(
                "This decision is already adopted (№ %(number)s); it is no longer edited or voted on. Amend it by "
                "a new decision."
            )
            % {"number": decision.number}
        )
    meeting = decision.meeting
    if meeting is not None and meeting.status == MeetingStatus.MINUTES_SIGNED:
        raise Conflict(
            _(
                "The minutes of the session “%(session)s” of %(date)s were signed while this decision was still a "
                "draft; it can no longer be edited, voted on or adopted. Withdraw it, or draft it again on another "
                "session."
            )
            % {"session": meeting.translated(), "date": meeting.date.isoformat()}
        )


def _ensure_session_voting(meeting: Meeting) -> None:
    """Refuse (409) a vote or an adoption on a session whose agenda is not yet approved."""
    if meeting.status == MeetingStatus.PLANNED:
        raise Conflict(
            _("The agenda of the session “%(session)s” is not approved yet; votes and adoption come after it is.")
            % {"session": meeting.translated()}
        )


def _ensure_carried(result: VoteResult) -> None:
    if not result.cast:
        raise Conflict(_("No votes are recorded on this decision; record the members' votes before adopting it."))
    if not result.passed:
        raise Conflict(
            _(
                "The votes recorded do not carry this decision (for: %(for)d, against: %(against)d, abstained: "
                "%(abstain)d); it needs more votes for than half of the votes cast."
            )
            % {"for": result.votes_for, "against": result.against, "abstain": result.abstain}
        )


def before_its_date(meeting: Meeting | None) -> bool:
    """Whether acting on ``meeting`` now comes before the session's date (and so takes a reason)."""
    return meeting is not None and meeting.date > timezone.localdate()


def early_reason(meeting: Meeting, reason: str | None, *, holding: bool) -> str:
    """The reason given to hold a session (``holding``) or adopt its decisions before the session's
    date: required then on the pages (invalid input naming ``reason``), kept as given; nothing on or
    after the date. ``None`` is a client that was not asked (the API, whose contract lists no reason):
    the early act is allowed and kept as ``EARLY_UNSTATED``, which the pages and the audit log show as such."""
    if not before_its_date(meeting):
        return ""
    if reason is None:
        return EARLY_UNSTATED
    reason = reason.strip()
    if not reason:
        message = (
            _("The session is dated %(date)s, after today; to mark it held now, give the reason and confirm it.")
            if holding
            else _(
                "The session is dated %(date)s, after today; to adopt its decision now, give the reason and confirm it."
            )
        )
        raise ValidationError({"reason": message % {"date": meeting.date.isoformat()}})
    return reason


@service(named="advance")
def change_decision_status(decision: Decision, status: str, *, actor: User, note: str = "") -> Decision:
    """Move an adopted decision on (in execution, executed) or cancel it, with a reason."""
    ensure_presiding(actor)
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
    with context.naming(STATUS_ACTIONS[DecisionStatus(status)]):
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
    """Whether instructions may be given by ``decision``: not by a draft, a withdrawn or a cancelled one."""
    return decision.status not in (DecisionStatus.DRAFT, DecisionStatus.CANCELLED, DecisionStatus.WITHDRAWN)
