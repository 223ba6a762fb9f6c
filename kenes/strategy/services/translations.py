"""The titles of documents and the names of indicators in the other languages (``kenes.core.translated``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kenes.accounts.models import User
from kenes.core import policy, translated
from kenes.core.services import service
from kenes.strategy.models import Indicator, StrategicDocument
from kenes.strategy.services import common


@service(named="translate")
def translate(
    record: StrategicDocument | Indicator, translations: dict, *, actor: User
) -> StrategicDocument | Indicator:
    """Set a document's title or an indicator's name in Kazakh, Russian and English (as entered stays);
    for the chairman, the secretary and the analysts, audited as the record's change."""
    policy.ensure(common.may_edit(actor), _("Only the chairman, the secretary or an analyst edits indicators."))
    record = type(record).objects.select_for_update().get(pk=record.pk)
    return translated.store(record, translations)
