"""The titles of sessions and decisions in the other languages (``kenes.core.translated``)."""

from __future__ import annotations

from kenes.accounts.models import User
from kenes.core import translated
from kenes.core.services import service
from kenes.council.models import AgendaItem, Decision, Meeting
from kenes.council.services.rules import ensure_presiding, locked


@service(named="translate")
def translate(
    record: Meeting | AgendaItem | Decision, translations: dict, *, actor: User
) -> Meeting | AgendaItem | Decision:
    """Set the titles of a session, an agenda item or a decision in Kazakh, Russian and English (the title as entered
    stays); for the chairman and the secretary, audited as the record's change."""
    ensure_presiding(actor)
    return translated.store(locked(type(record), record.pk), translations)
