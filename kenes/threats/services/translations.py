"""The titles of threats and the names of signals in the other languages (``kenes.core.translated``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kenes.accounts.models import User
from kenes.core import policy, translated
from kenes.core.services import service
from kenes.threats.models import Signal, Threat
from kenes.threats.services.common import may_edit


@service(named="translate")
def translate(record: Threat | Signal, translations: dict, *, actor: User) -> Threat | Signal:
    """Set a threat's title or a signal's name in Kazakh, Russian and English (as entered stays); for
    the analysts, the secretary and the chairman, audited as the record's change."""
    policy.ensure(may_edit(actor), _("Only the analysts, the secretary or the chairman keep the threat register."))
    record = type(record).objects.select_for_update().get(pk=record.pk)
    return translated.store(record, translations)
