"""Forecasts: one engine call per frequency over many signals (:mod:`kenes.threats.forecasting`),
the forecasts stored and the forecast-crossing rule run."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kenes.accounts.models import User
from kenes.core import audit, periods, policy
from kenes.core.models import AuditEvent
from kenes.core.services import service
from kenes.threats import forecasting
from kenes.threats.early_warning import check_forecast
from kenes.threats.models import (
    Forecast,
    ForecastRun,
    Observation,
    Signal,
)
from kenes.threats.services.common import may_record
from kenes.threats.services.signals import consecutive_tail

DEFAULT_HORIZON = 12


def check_horizon(horizon: Any, frequency: str) -> int:
    """A horizon the engine accepts for this frequency, or a ValidationError naming ``horizon``."""
    longest = forecasting.max_horizon(periods.season_length(frequency))
    if isinstance(horizon, bool) or not isinstance(horizon, int) or not 1 <= horizon <= longest:
        raise ValidationError(
            {"horizon": _("The horizon is a whole number of periods from 1 to %(n)d.") % {"n": longest}}
        )
    return horizon


def check_run_horizon(horizon: Any) -> int:
    """A run's horizon: from 1 to the longest any frequency accepts; each frequency's signals are then
    forecast at most as far as their own frequency allows."""
    longest = max(forecasting.max_horizon(periods.season_length(f)) for f in periods.Frequency.values)
    if isinstance(horizon, bool) or not isinstance(horizon, int) or not 1 <= horizon <= longest:
        raise ValidationError(
            {"horizon": _("The horizon is a whole number of periods from 1 to %(n)d.") % {"n": longest}}
        )
    return horizon


def forecast_signals(
    signals: Sequence[Signal],
    *,
    horizon: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    actor: Any = None,
    run: ForecastRun | None = None,
) -> dict[int, Forecast | str]:
    """Forecast many signals at once: one engine call per frequency over all their series, then the
    forecasts stored and the forecast-crossing rule run. The per-signal path is this with one signal.
    The forecasts bypass the model signals, so each batch records one summary audit event (the codes,
    the count, the horizon and the run) in the same transaction as the rows.

    Answers per signal id the stored Forecast, or the message saying why it was not forecast."""
    answers: dict[int, Forecast | str] = {}
    by_frequency: dict[str, list[Signal]] = {}
    for signal in signals:
        by_frequency.setdefault(signal.frequency, []).append(signal)
    done_before = 0
    total = len(signals)
    for frequency, group in by_frequency.items():
        season = periods.season_length(frequency)
        h = min(horizon or DEFAULT_HORIZON, forecasting.max_horizon(season))
        tails = _tails(group, frequency)

        def report(done: int, _total: int, offset: int = done_before) -> None:
            if progress:
                progress(offset + done, total)

        outcomes = forecasting.forecast_many(
            {pk: [v for _p, v in tail] for pk, tail in tails.items()}, season_length=season, horizon=h, progress=report
        )
        fresh = []
        for signal in group:
            outcome = outcomes[signal.pk]
            if isinstance(outcome, forecasting.ForecastError):
                answers[signal.pk] = str(outcome)
                continue
            last = tails[signal.pk][-1][0]
            fresh.append(_forecast_row(signal, outcome, h, last, len(tails[signal.pk])))
        _store(group, fresh, answers, actor=actor, label=f"{frequency}, h={h}", horizon=h, run=run)
        done_before += len(group)
    return answers


def _tails(group: Sequence[Signal], frequency: str) -> dict[int, list[tuple[dt.date, float]]]:
    """The history each signal of ``group`` is forecast from (its consecutive tail), in one query."""
    rows: dict[int, list[tuple[dt.date, float]]] = {}
    for signal_id, period, value in (
        Observation.objects.filter(signal__in=[s.pk for s in group])
        .order_by("signal_id", "period")
        .values_list("signal_id", "period", "value")
        .iterator(chunk_size=20_000)
    ):
        rows.setdefault(signal_id, []).append((period, value))
    return {signal.pk: consecutive_tail(rows.get(signal.pk, []), frequency) for signal in group}


def _store(
    group: Sequence[Signal],
    fresh: list[Forecast],
    answers: dict[int, Forecast | str],
    *,
    actor: Any,
    label: str,
    horizon: int,
    run: ForecastRun | None,
) -> None:
    """Store a frequency's forecasts with one summary audit event (forecasts are not audited row by
    row), and run the forecast-crossing rule on them, in one transaction."""
    with transaction.atomic():
        for forecast in Forecast.objects.bulk_create(fresh, batch_size=500):
            answers[forecast.signal_id] = forecast
        if fresh:
            audit.record(
                AuditEvent.Action.CREATE,
                actor=actor,
                object_type="threats.forecast",
                object_id=str(fresh[0].pk) if len(fresh) == 1 else "",
                object_repr=f"{len(fresh)} forecasts, {label}",
                classification=max(f.signal.classification for f in fresh),
                changes={
                    "signals": [f.signal.code for f in fresh],
                    "count": len(fresh),
                    "horizon": horizon,
                    "run": run.pk if run is not None else None,
                },
            )
        for signal in group:
            stored = answers.get(signal.pk)
            if isinstance(stored, Forecast):
                check_forecast(signal, stored)


def _forecast_row(signal: Signal, outcome: forecasting.Outcome, horizon: int, last: dt.date, n: int) -> Forecast:
    points = [
        {
            "period": periods.shift(last, signal.frequency, p.step).isoformat(),
            "mean": p.mean,
            "lo80": p.lo80,
            "hi80": p.hi80,
            "lo95": p.lo95,
            "hi95": p.hi95,
        }
        for p in outcome.points
    ]
    return Forecast(
        signal=signal,
        model=outcome.model,
        horizon=horizon,
        last_period=last,
        observations=n,
        points=points,
        mase=outcome.scores.mase,
        interval_score=outcome.scores.interval_score,
        coverage95=outcome.scores.coverage95,
        baseline_mase=outcome.baseline.mase,
        baseline_interval_score=outcome.baseline.interval_score,
        baseline_coverage95=outcome.baseline.coverage95,
        windows=outcome.windows,
        backtest_horizon=outcome.backtest_horizon,
    )


@service(named="forecast")
def compute_forecast(signal: Signal, *, actor: User | None, horizon: int = DEFAULT_HORIZON) -> Forecast:
    """Forecast one signal now (a request, or the task after data arrived); a series that cannot be
    forecast is a ValidationError saying why (too short, constant, a bad horizon). A person computes it only
    where he may record the signal's observations (``may_record``); ``actor=None`` is the system."""
    if actor is not None:
        policy.ensure(may_record(actor, signal), _("You may not compute forecasts of this signal."))
    check_horizon(horizon, signal.frequency)
    answer = forecast_signals([signal], horizon=horizon, actor=actor)[signal.pk]
    if isinstance(answer, str):
        raise ValidationError({"observations": answer})
    return answer


def latest_forecast(signal: Signal) -> Forecast | None:
    return Forecast.objects.filter(signal=signal).order_by("-created_at", "-pk").first()
