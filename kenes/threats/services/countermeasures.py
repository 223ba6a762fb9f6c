"""Countermeasures against a threat and the moves of their status."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kenes.accounts.models import User
from kenes.core import context, policy
from kenes.core.exceptions import Conflict
from kenes.core.services import service
from kenes.threats.choices import CountermeasureStatus
from kenes.threats.models import (
    Countermeasure,
    Threat,
)
from kenes.threats.services.common import check_text, may_edit


@service
def add_countermeasure(
    threat: Threat,
    *,
    actor: User,
    title: str,
    expected_effect: str = "",
    status: str = CountermeasureStatus.PLANNED,
    classification: int | None = None,
) -> Countermeasure:
    """A measure against a threat, classified at least as high as the threat."""
    policy.ensure(may_edit(actor), _("Only the analysts, the secretary or the chairman propose countermeasures."))
    if status not in CountermeasureStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    level = policy.resolve_level(actor, classification, default=threat.classification, sources=[threat])
    return Countermeasure.objects.create(
        threat=threat,
        title=check_text(title, "title", _("Name the measure.")),
        expected_effect=expected_effect,
        status=status,
        classification=level,
    )


# The moves a countermeasure may make: planned → in progress → done, and any open status → cancelled.
COUNTERMEASURE_MOVES: dict[str, tuple[str, ...]] = {
    CountermeasureStatus.PLANNED: (CountermeasureStatus.IN_PROGRESS, CountermeasureStatus.CANCELLED),
    CountermeasureStatus.IN_PROGRESS: (CountermeasureStatus.DONE, CountermeasureStatus.CANCELLED),
    CountermeasureStatus.DONE: (),
    CountermeasureStatus.CANCELLED: (),
}
# The business action each move is (the name the audit log gives it).
MOVE_NAMES: dict[str, str] = {
    CountermeasureStatus.IN_PROGRESS: "start",
    CountermeasureStatus.DONE: "complete",
    CountermeasureStatus.CANCELLED: "cancel",
}


@service(named="move")
def set_countermeasure_status(countermeasure: Countermeasure, *, actor: User, status: str) -> Countermeasure:
    """Move a countermeasure along planned → in progress → done, or cancel it while open; any other move
    (skipping a step, going back, staying put, leaving a closed status) is a Conflict (409)."""
    policy.ensure(may_edit(actor), _("Only the analysts, the secretary or the chairman change countermeasures."))
    if status not in CountermeasureStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    countermeasure = Countermeasure.objects.select_for_update().get(pk=countermeasure.pk)
    if countermeasure.status in (CountermeasureStatus.DONE, CountermeasureStatus.CANCELLED):
        raise Conflict(_("This countermeasure is closed."))
    if status not in COUNTERMEASURE_MOVES[countermeasure.status]:
        raise Conflict(_("A countermeasure cannot move from this status to that one."))
    countermeasure.status = status
    with context.naming(MOVE_NAMES[status]):  # the log says "start", "complete" or "cancel"
        countermeasure.save(update_fields=["status", "updated_at"])
    return countermeasure


def countermeasures_for(user: Any, threat: Threat) -> QuerySet[Countermeasure]:
    return Countermeasure.objects.visible_to(user).filter(threat=threat).order_by("pk")


def instructions_for_countermeasures(user: Any, measures: Sequence[Countermeasure]) -> dict[int, list[Any]]:
    """The visible instructions aimed at each of the countermeasures, by countermeasure id (one query)."""
    from kenes.control.services import instructions_aimed_at_each

    return instructions_aimed_at_each(measures, user)
