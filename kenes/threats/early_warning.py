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

from kenes.accounts.models import Role, User
from kenes.core import policy, texts
from kenes.core.notifications import notify
from kenes.threats.choices import AlertKind
from kenes.threats.models import Alert, Forecast, Signal


def _text(code: str, signal: Signal, period: dt.date, **params: object) -> texts.Text:
    """The alert's message as a code and its parameters: the signal's name (the alert is classified
    as its signal), the period and the figures, rendered when read in the reader's language."""
    return texts.text(code, signal=signal.name, period=texts.period(period, signal.frequency), **params)


def check_observations(signal: Signal, observations: Sequence[tuple[dt.date, float]]) -> list[Alert]:
    """The rules on values that arrived: beyond a threshold; outside the 95% interval of the latest
    forecast made before the value's period. Each alert once per cause."""
    raised = []
    if signal.alert_threshold:
        for period, value in observations:
            if signal.upper_threshold is not None and value > signal.upper_threshold:
                message = _text("threats.alert_above", signal, period, value=value, threshold=signal.upper_threshold)
                raised.append(_raise(signal, AlertKind.THRESHOLD, f"{period}:upper", message, period, value))
            if signal.lower_threshold is not None and value < signal.lower_threshold:
                message = _text("threats.alert_below", signal, period, value=value, threshold=signal.lower_threshold)
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
                message = _text(
                    "threats.alert_outside",
                    signal,
                    period,
                    value=value,
                    lo=band["lo95"],
                    hi=band["hi95"],
                    model=forecast.model,
                )
                raised.append(_raise(signal, AlertKind.OUTSIDE_INTERVAL, str(period), message, period, value))
    return [a for a in raised if a is not None]


def check_forecast(signal: Signal, forecast: Forecast) -> Alert | None:
    """The forecast-crossing rule: the first period within the horizon whose 95% interval reaches
    beyond a threshold (that period and side are the cause)."""
    if not signal.alert_forecast_crossing:
        return None
    for point in forecast.points:
        period = dt.date.fromisoformat(point["period"])
        for side, beyond in (
            ("upper", signal.upper_threshold is not None and point["hi95"] > signal.upper_threshold),
            ("lower", signal.lower_threshold is not None and point["lo95"] < signal.lower_threshold),
        ):
            if not beyond:
                continue
            limit = signal.upper_threshold if side == "upper" else signal.lower_threshold
            message = _text(
                "threats.alert_crossing",
                signal,
                period,
                side=texts.label(f"side.{side}"),
                threshold=float(limit or 0.0),
                model=forecast.model,
                mean=point["mean"],
            )
            return _raise(signal, AlertKind.FORECAST_CROSSING, f"{period}:{side}", message, period, point["mean"])
    return None


def _raise(signal: Signal, kind: str, cause: str, message: texts.Text, period: dt.date, value: float) -> Alert | None:
    """Raise an alert unless this cause already raised one; notify those who may read it. The message
    is stored as its code and parameters (and as written, in the writer's language, for the record)."""
    if Alert.objects.filter(signal=signal, kind=kind, cause=cause).exists():
        return None
    try:
        with transaction.atomic():
            alert = Alert.objects.create(
                signal=signal,
                kind=kind,
                cause=cause,
                message=str(message),
                code=message.code,
                params=message.params,
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
            code="threats.alert_title",
            body_code=alert.code,
            params=alert.params,
            url=url,
            about=alert,
        )
