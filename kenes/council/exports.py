"""Minutes and decisions as DOCX and PDF, in the reader's language, marked with their classification, laid
out as the Council's documents: its name above the title, the number, date and place, the signature block,
and the draft mark across every page until the decision is adopted or the minutes are signed."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kenes.core import references
from kenes.council import services
from kenes.council.choices import DecisionStatus, MinutesStatus
from kenes.council.models import Decision, Meeting, Minutes
from kenes.reports import documents


def council_name() -> str:
    """The issuer on the heading of the Council's documents, in the reader's language."""
    return _("Security Council of the Republic of Kazakhstan")


def _particulars(number: str, date: str, place: str) -> list[str]:
    return [
        _("№ %(number)s") % {"number": number},
        _("Date: %(date)s") % {"date": date},
        _("Place: %(place)s") % {"place": place or "—"},
    ]


def _signature(signer: Any, when: Any, role: str) -> documents.Signature:
    """The signer's role and name and the date, or ``role`` with lines to sign on while unsigned."""
    if signer is None or when is None:
        return documents.Signature(role=role)
    titles = {"chairman": _("Chairman of the Security Council"), "secretary": _("Secretary of the Security Council")}
    return documents.Signature(
        role=titles.get(signer.role, str(signer.get_role_display())),
        name=signer.display_name,
        date=timezone.localtime(when).strftime("%Y-%m-%d"),
    )


def minutes_document(minutes: Minutes, user: Any) -> documents.Document:
    meeting: Meeting = minutes.meeting
    signed = minutes.status == MinutesStatus.SIGNED
    status = (
        _("signed by %(name)s on %(date)s")
        % {
            "name": minutes.signed_by.display_name,
            "date": timezone.localtime(minutes.signed_at).strftime("%Y-%m-%d"),
        }
        if minutes.signed_by and minutes.signed_at
        else _("draft, not signed")
    )
    return documents.Document(
        title=_("Minutes of the session"),
        subtitle=f"{meeting.translated()} ({status})",
        marking=documents.marking(minutes.classification),
        blocks=[documents.Paragraph(minutes.text)],
        language=(get_language() or "kk")[:2],
        footer_note=documents.footer(user),
        letterhead=council_name(),
        particulars=_particulars(str(meeting.pk), meeting.date.isoformat(), meeting.place),
        watermark="" if signed else documents.draft_mark(),
        signatures=[_signature(minutes.signed_by, minutes.signed_at, _("Secretary of the Security Council"))],
    )


def decision_document(decision: Decision, user: Any) -> documents.Document:
    result = services.vote_result(decision)
    session = references.readable(user, decision, "meeting")
    amended = references.readable(user, decision, "amends")
    facts = [
        [_("Kind"), decision.get_kind_display()],
        [_("Status"), decision.get_status_display()],
        [
            _("Session"),
            f"{session.translated()} ({session.date})"
            if session
            else ("—" if decision.meeting_id else _("outside a session")),
        ],
        [_("Amends"), str(amended) if amended else "—"],
    ]
    blocks: list[Any] = [
        documents.Table(header=[_("Field"), _("Value")], rows=facts),
        documents.Heading(_("Text"), level=2),
        documents.Paragraph(decision.text),
    ]
    if result.cast:
        blocks += [
            documents.Heading(_("Vote"), level=2),
            documents.Table(
                header=[_("Member"), _("Vote")],
                rows=[[vote.member.display_name, vote.get_choice_display()] for vote in services.votes_of(decision)],
            ),
            documents.Paragraph(
                _("For: %(for)d, against: %(against)d, abstained: %(abstain)d.")
                % {"for": result.votes_for, "against": result.against, "abstain": result.abstain}
            ),
        ]
    adopted = decision.adopted_at is not None and decision.status not in (
        DecisionStatus.DRAFT,
        DecisionStatus.WITHDRAWN,
    )
    date = timezone.localtime(decision.adopted_at).strftime("%Y-%m-%d") if decision.adopted_at else "—"
    return documents.Document(
        title=decision.get_kind_display() + (f" № {decision.number}" if decision.number else ""),
        subtitle=decision.translated(),
        marking=documents.marking(decision.classification),
        blocks=blocks,
        language=(get_language() or "kk")[:2],
        footer_note=documents.footer(user),
        letterhead=council_name(),
        particulars=_particulars(decision.number or "—", date, session.place if session else ""),
        watermark="" if adopted else documents.draft_mark(),
        signatures=[
            _signature(
                decision.signed_by if adopted else None,
                decision.adopted_at,
                _("Chairman of the Security Council"),
            )
        ],
    )
