"""What every part of strategic monitoring shares: who may do what, today's date, the checks of a
number and a weight, and the span of a document in an indicator's periods."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from kenes.accounts.models import Role
from kenes.core import periods, policy
from kenes.strategy.models import Indicator, StrategicDocument

# The apparatus keeps the register of documents and indicators; analysts verify measurements; the
# secretary sets the thresholds; the secretary and the chairman put reports on an agenda.
EDITING_ROLES = (Role.CHAIRMAN, Role.SECRETARY, Role.ANALYST)
VERIFYING_ROLES = (Role.SECRETARY, Role.ANALYST)
THRESHOLD_ROLES = (Role.SECRETARY,)
APPARATUS_ROLES = (Role.CHAIRMAN, Role.SECRETARY, Role.ANALYST, Role.CONTROLLER, Role.MEMBER, Role.AUDITOR)
#: No indicator of a state document is measured in numbers beyond this: a bigger one is a typo.
ABSURD = 1e12


def today() -> dt.date:
    """The date of the Council's time zone (tests set it; every rule of a due or begun period reads it)."""
    return timezone.localdate()


# --- who may do what ------------------------------------------------------------------------------


def may_edit(user: Any) -> bool:
    """The chairman, the secretary and the analysts keep the register of documents and indicators."""
    return policy.is_reader(user) and user.role in EDITING_ROLES


def may_verify(user: Any) -> bool:
    return policy.is_reader(user) and user.role in VERIFYING_ROLES


def may_set_thresholds(user: Any) -> bool:
    return policy.is_reader(user) and user.role in THRESHOLD_ROLES


def sees_apparatus_pages(user: Any) -> bool:
    """The heatmap, reports and the import of others' data are for the Council and its apparatus."""
    return policy.is_reader(user) and user.role in APPARATUS_ROLES


def may_read_thresholds(user: Any) -> bool:
    """Who reads the thresholds of the statuses, by page or API: the Council and its apparatus (the
    secretary sets them); for anyone else they do not exist (404)."""
    return sees_apparatus_pages(user)


def may_enter(user: Any, indicator: Indicator) -> bool:
    """Measurements are entered by the responsible body's liaison officer, or by the apparatus's
    analysts and secretary (e.g. from official statistics). Visibility is checked by the caller."""
    if not policy.is_reader(user):
        return False
    if user.is_liaison:
        return user.organization_id is not None and indicator.responsible_id == user.organization_id
    return user.role in VERIFYING_ROLES


# --- checks of the register ------------------------------------------------------------------------


def finite(value: Any, field_name: str) -> float:
    """``value`` as a finite, sane number, else a 422 naming ``field_name``."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError({field_name: _("Enter a number.")}) from None
    if not math.isfinite(number):
        raise ValidationError({field_name: _("Enter a finite number.")})
    if abs(number) > ABSURD:
        raise ValidationError({field_name: _("The value is absurdly large.")})
    return number


def checked_weight(value: Any, field_name: str = "weight") -> float:
    """``value`` as a weight among siblings: a positive number up to 1000, else a 422."""
    number = finite(value, field_name)
    if number <= 0 or number > 1000:
        raise ValidationError({field_name: _("A weight is a positive number up to 1000.")})
    return number


def window(document: StrategicDocument, frequency: str) -> tuple[dt.date, dt.date]:
    """The first and the last period of ``document``'s span at ``frequency``."""
    return periods.floor(document.period_start, frequency), periods.floor(document.period_end, frequency)


def in_document(indicator: Indicator, period: dt.date, field_name: str) -> None:
    """Refuse (422 on ``field_name``) a period outside the span of the indicator's document."""
    start, end = window(indicator.document, indicator.frequency)
    if not start <= period <= end:
        raise ValidationError(
            {
                field_name: _("The period is outside the document's period (%(start)s – %(end)s).")
                % {"start": start, "end": end}
            }
        )
