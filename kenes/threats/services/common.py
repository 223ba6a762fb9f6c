"""What the services of the threat register share: who keeps the register, who records a signal's
observations, the checks of a scale and of a text, and the limits."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kenes.accounts.models import Role
from kenes.core import policy
from kenes.threats.models import (
    Signal,
)

# The analysts keep the register; the chairman and the secretary may change it too.
EDITING_ROLES = (Role.ANALYST, Role.SECRETARY, Role.CHAIRMAN)


def may_edit(user: Any) -> bool:
    """Whether ``user`` keeps the register (threats, signals, countermeasures, reports)."""
    return policy.is_reader(user) and user.role in EDITING_ROLES


def may_record(user: Any, signal: Signal) -> bool:
    """Observations are recorded by the analysts, or by the liaisons of the body owning the threat."""
    if may_edit(user):
        return True
    return (
        policy.is_reader(user)
        and user.is_liaison
        and signal.threat is not None
        and signal.threat.owner_id == user.organization_id
    )


def check_scale(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise ValidationError({field: _("Give a whole number from 1 to 5.")})
    return value


def check_text(value: str, field: str, message: str) -> str:
    if not (value or "").strip():
        raise ValidationError({field: message})
    return value.strip()
