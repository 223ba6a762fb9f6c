"""The early-warning rules of the signals, in one place: a value beyond a threshold, a value outside
the 95% interval of the forecast made before it, a forecast whose interval crosses a threshold. Each
alert is raised once per cause (the database refuses a second one) and notified to those who may
read it. Called by the services inside their transactions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from kenes.accounts.models import Role, User
from kenes.core import periods, policy
from kenes.core.notifications import notify
from kenes.threats.choices import AlertKind
from kenes.threats.models import Alert, Forecast, Signal


def _fmt(value: float) -> str:
    return f"{value:,.6g}".replace(",", " ")


def check_observations(signal: Signal, observations: Sequence[tuple[dt.date, float]]) -> list[Alert]:
    """The rules on values that arrived: beyond a threshold; outside the 95% interval of the latest
    forecast made before the value's period. Each alert once per cause."""
    raised = []
    if signal.alert_threshold:
        for period, value in observations:
            if signal.upper_threshold is not None and value > signal.upper_threshold:
                message = _("%(signal)s: %(value)s in %(period)s is above the threshold %(threshold)s.") % {
                    "signal": signal.name,
                    "value": _fmt(value),
                    "period": periods.label(period, signal.frequency),
                    "threshold": _fmt(signal.upper_threshold),
                }
                raised.append(_raise(signal, AlertKind.THRESHOLD, f"{period}:upper", message, period, value))
            if signal.lower_threshold is not None and value < signal.lower_threshold:
                message = _("%(signal)s: %(value)s in %(period)s is below the threshold %(threshold)s.") % {
                    "signal": signal.name,
                    "value": _fmt(value),
                    "period": periods.label(period, signal.frequency),
                    "threshold": _fmt(signal.lower_threshold),
                }
                raised.append(_raise(signal, AlertKind.THRESHOLD, f"{period}:lower", message, period, value))
    if signal.alert_outside_interval and observations:
        first = min(p for p, _v in observations)
        forecast = Forecast.objects.filter(signal=signal, last_period__lt=first).order_by("-created_at", "-pk").first()
        if forecast is not None:
            bands = {dt.date.fromisoformat(p["period"]): p for p in forecast.points}
            for period, value in observations:
                band = bands.get(period)
                if band is None or band["lo95"] <= value <= band["hi95"]:
                    continue
                message = _(
                    "%(signal)s: %(value)s in %(period)s is outside the forecast's 95%% interval "
                    "[%(lo)s, %(hi)s] (%(model)s)."
                ) % {
                    "signal": signal.name,
                    "value": _fmt(value),
                    "period": periods.label(period, signal.frequency),
                    "lo": _fmt(band["lo95"]),
                    "hi": _fmt(band["hi95"]),
                    "model": forecast.model,
                }
                raised.append(_raise(signal, AlertKind.OUTSIDE_INTERVAL, str(period), message, period, value))
    return [a for a in raised if a is not None]


def check_forecast(signal: Signal, forecast: Forecast) -> Alert | None:
    """The forecast-crossing rule: the first period within the horizon whose 95% interval reaches
    beyond a threshold (that period and side are the cause)."""
    if not signal.alert_forecast_crossing:
        return None
    for point in forecast.points:
        period = dt.date.fromisoformat(point["period"])
        for side, beyond, threshold in (
            ("upper", signal.upper_threshold is not None and point["hi95"] > signal.upper_threshold, "upper"),
            ("lower", signal.lower_threshold is not None and point["lo95"] < signal.lower_threshold, "lower"),
        ):
            if not beyond:
                continue
            limit = signal.upper_threshold if threshold == "upper" else signal.lower_threshold
            message = _(
                "%(signal)s: the forecast's 95%% interval crosses the %(side)s threshold %(threshold)s in %(period)s "
                "(%(model)s; mean %(mean)s)."
            ) % {
                "signal": signal.name,
                "side": _("upper") if side == "upper" else _("lower"),
                "threshold": _fmt(limit or 0.0),
                "period": periods.label(period, signal.frequency),
                "model": forecast.model,
                "mean": _fmt(point["mean"]),
            }
            return _raise(signal, AlertKind.FORECAST_CROSSING, f"{period}:{side}", message, period, point["mean"])
    return None


def _raise(signal: Signal, kind: str, cause: str, message: str, period: dt.date, value: float) -> Alert | None:
    """Raise an alert unless this cause already raised one; notify those who may read it."""
    if Alert.objects.filter(signal=signal, kind=kind, cause=cause).exists():
        return None
    try:
        with transaction.atomic():
            alert = Alert.objects.create(
                signal=signal,
                kind=kind,
                cause=cause,
                message=message,
                period=period,
                value=value,
                classification=signal.classification,
            )
    except IntegrityError:
        return None
    _notify_alert(alert, signal)
    return alert


def _recipients(signal: Signal) -> QuerySet[User]:
    """The analysts, and the users of the body owning the signal's threat."""
    who = Q(role=Role.ANALYST)
    if signal.threat is not None:
        who |= Q(organization_id=signal.threat.owner_id)
    return User.objects.filter(who, is_active=True, clearance__gte=signal.classification)


def _notify_alert(alert: Alert, signal: Signal) -> None:
    url = reverse("threats:signal-detail", args=[signal.pk])
    for user in _recipients(signal):
        if not policy.can_read(user, alert):
            continue
        notify(
            user,
            key=f"threat-alert:{alert.pk}",
            kind="threat_alert",
            title=_("Early warning: %(signal)s") % {"signal": signal.name},
            body=alert.message,
            url=url,
            about=alert,
        )
