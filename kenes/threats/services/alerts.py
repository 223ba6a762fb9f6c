"""Early-warning alerts (the rules are in :mod:`kenes.threats.early_warning`): who acknowledges them,
and their reading."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kenes.accounts.models import User
from kenes.core import policy, references
from kenes.core.exceptions import Conflict
from kenes.core.services import service
from kenes.threats.models import (
    Alert,
)
from kenes.threats.services.common import check_text, may_edit, may_record


def may_acknowledge(user: Any, alert: Alert) -> bool:
    """Alerts are acknowledged by those who keep the register, or by the liaisons of the owning body."""
    return may_edit(user) or (policy.is_reader(user) and user.is_liaison and may_record(user, alert.signal))


def acknowledgeable(user: Any, alerts: Iterable[Alert]) -> set[int]:
    """The ids of the open alerts among ``alerts`` that ``user`` may acknowledge (the pages show the form
    only for these)."""
    return {alert.pk for alert in alerts if alert.acknowledged_at is None and may_acknowledge(user, alert)}


@service(named="acknowledge")
def acknowledge_alert(alert: Alert, *, actor: User, comment: str) -> Alert:
    """Acknowledge an alert with a comment (who, when and what are kept and audited)."""
    policy.ensure(may_acknowledge(actor, alert), _("You may not acknowledge this alert."))
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.acknowledged_at is not None:
        raise Conflict(_("This alert has already been acknowledged."))
    alert.comment = check_text(comment, "comment", _("Say what is being done about it."))
    alert.acknowledged_by, alert.acknowledged_at = actor, timezone.now()
    alert.save(update_fields=["comment", "acknowledged_by", "acknowledged_at", "updated_at"])
    return alert


def acknowledge_many(user: User, alerts: Iterable[Alert], comment: str) -> list[Alert]:
    """Acknowledge several alerts at once with one comment, each by the rule of :func:`acknowledge_alert`:
    all of them or none (one transaction; any alert the user may not acknowledge, or one already
    acknowledged, refuses the whole batch). Each acknowledgement is its own audited change."""
    return _acknowledge_many([alert.pk for alert in alerts], actor=user, comment=comment)


@service(named="acknowledge")
def _acknowledge_many(ids: list[int], *, actor: User, comment: str) -> list[Alert]:
    wanted = set(ids)
    policy.ensure(bool(wanted), _("Choose the alerts to acknowledge."))
    text = check_text(comment, "comment", _("Say what is being done about it."))
    locked = Alert.objects.visible_to(actor).select_for_update(of=("self",)).filter(pk__in=wanted)
    alerts = list(locked.select_related("signal__threat").order_by("pk"))
    policy.ensure(len(alerts) == len(wanted), _("You may not acknowledge these alerts."))
    refused = [alert for alert in alerts if not may_acknowledge(actor, alert)]
    policy.ensure(not refused, _("You may not acknowledge these alerts."))
    done = [alert for alert in alerts if alert.acknowledged_at is not None]
    if done:
        raise Conflict(
            ngettext(
                "%(count)d of these alerts has already been acknowledged.",
                "%(count)d of these alerts have already been acknowledged.",
                len(done),
            )
            % {"count": len(done)}
        )
    now = timezone.now()
    for alert in alerts:
        alert.comment, alert.acknowledged_by, alert.acknowledged_at = text, actor, now
        alert.save(update_fields=["comment", "acknowledged_by", "acknowledged_at", "updated_at"])
    return alerts


def alerts_for(
    user: Any,
    *,
    acknowledged: bool | None = None,
    signal: int | None = None,
    kind: str | None = None,
    domain: str | None = None,
    owner: int | None = None,
) -> QuerySet[Alert]:
    """The alerts the user may see, filtered by state, signal, kind, and the domain and owner body of
    the signal's threat (the alerts page and the API)."""
    queryset = Alert.objects.visible_to(user).select_related("signal__threat", "acknowledged_by")
    if acknowledged is not None:
        queryset = queryset.filter(acknowledged_at__isnull=not acknowledged)
    if signal:
        queryset = references.filter_by(queryset, user, "signal", signal)
    if kind:
        queryset = queryset.filter(kind=kind)
    if domain:
        queryset = queryset.filter(signal__threat__domain=domain)
    if owner:
        queryset = queryset.filter(signal__threat__owner_id=owner)
    return queryset.order_by("-raised_at", "-pk")
