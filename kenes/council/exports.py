"""Minutes and decisions as DOCX and PDF, in the reader's language, marked with their classification."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kenes.core import references
from kenes.council import services
from kenes.council.models import Decision, Minutes
from kenes.reports import documents


def minutes_document(minutes: Minutes, user: Any) -> documents.Document:
    meeting = minutes.meeting
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
        subtitle=f"{meeting.translated()} — {meeting.date.isoformat()} ({status})",
        marking=documents.marking(minutes.classification),
        blocks=[documents.Paragraph(minutes.text)],
        language=(get_language() or "kk")[:2],
        footer_note=documents.footer(user),
    )


def decision_document(decision: Decision, user: Any) -> documents.Document:
    result = services.vote_result(decision)
    session = references.readable(user, decision, "meeting")
    amended = references.readable(user, decision, "amends")
    facts = [
        [_("Number"), decision.number or _("draft")],
        [_("Kind"), decision.get_kind_display()],
        [_("Status"), decision.get_status_display()],
        [
            _("Session"),
            f"{session.translated()} ({session.date})"
            if session
            else ("—" if decision.meeting_id else _("outside a session")),
        ],
        [_("Adopted"), timezone.localtime(decision.adopted_at).strftime("%Y-%m-%d") if decision.adopted_at else "—"],
        [_("Signed by"), decision.signed_by.display_name if decision.signed_by else "—"],
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
    return documents.Document(
        title=decision.get_kind_display() + (f" № {decision.number}" if decision.number else ""),
        subtitle=decision.translated(),
        marking=documents.marking(decision.classification),
        blocks=blocks,
        language=(get_language() or "kk")[:2],
        footer_note=documents.footer(user),
    )
