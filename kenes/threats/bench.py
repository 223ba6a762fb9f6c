"""Benchmarks of the forecasting engine (``make bench``): 2,000 synthetic monthly seasonal series of 120
points, horizon 12, backtest included, through Kenes (read from the database, choose, forecast,
store, run the crossing rule, write the run's progress), and the same models and folds called
directly through statsforecast on the same data, so the overhead of Kenes itself is visible."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import numpy as np
import pandas as pd
from django.db import transaction

from kenes.core import audit, periods
from kenes.core.bench import Report, scaled
from kenes.core.classification import Classification
from kenes.threats import forecasting, services
from kenes.threats.models import ForecastRun, Observation, Signal

SERIES = 2_000
POINTS = 120
HORIZON = 12


def synthetic(n: int = SERIES, points: int = POINTS, seed: int = 7) -> list[np.ndarray]:
    """Seasonal series with a trend and noise, each with its own level, amplitude and phase."""
    rng = np.random.default_rng(seed)
    t = np.arange(points)
    return [
        rng.uniform(50, 500) * (1 + rng.uniform(-0.002, 0.006) * t)
        + rng.uniform(5, 60) * np.sin(2 * np.pi * t / 12 + rng.uniform(0, 2 * np.pi))
        + rng.normal(0, rng.uniform(2, 15), points)
        for _ in range(n)
    ]


@transaction.atomic
def _build(series: list[np.ndarray]) -> list[Signal]:
    """The signals and their observations (bulk, one summary audit event per model)."""
    start = dt.date(2016, 1, 1)
    level: dict[str, Any] = {"classification": Classification.OFFICIAL, "object_repr": "benchmark data"}
    create = audit.AuditEvent.Action.CREATE
    with audit.bulk(Signal, action=create, **level) as made:
        signals = Signal.objects.bulk_create(
            [
                Signal(code=f"bench-{n}", name=f"Bench signal {n}", unit="n", classification=Classification.OFFICIAL)
                for n in range(len(series))
            ]
        )
        made["created"] = len(signals)
    months = [periods.shift(start, periods.Frequency.MONTHLY, k) for k in range(POINTS)]
    rows = [
        Observation(signal=signal, period=months[k], value=float(values[k]))
        for signal, values in zip(signals, series, strict=True)
        for k in range(POINTS)
    ]
    with audit.bulk(Observation, action=create, **level) as made:
        Observation.objects.bulk_create(rows, batch_size=10_000)
        made["created"] = len(rows)
    return signals


def library_direct(series: list[np.ndarray]) -> float:
    """The same catalogue, folds and levels, one cross_validation and one forecast call, in one process
    (as Kenes runs it: see ``forecasting``'s note on pools)."""
    from statsforecast import StatsForecast

    frame = pd.DataFrame(
        {
            "unique_id": np.repeat(np.arange(len(series)), POINTS),
            "ds": np.tile(np.arange(POINTS), len(series)),
            "y": np.concatenate(series),
        }
    )
    start = time.perf_counter()
    engine = StatsForecast(models=forecasting.catalogue(12), freq=1, n_jobs=1)
    bh = forecasting.backtest_horizon(HORIZON, 12)
    engine.cross_validation(df=frame, h=bh, n_windows=forecasting.WINDOWS, step_size=bh, level=[95])
    engine.forecast(df=frame, h=HORIZON, level=list(forecasting.LEVELS))
    return time.perf_counter() - start


def run(report: Report, scale: float = 1.0) -> None:
    count = scaled(SERIES, scale)
    series = synthetic(count)
    signals = _build(series)
    run = ForecastRun.objects.create(horizon=HORIZON, total=count)
    start = time.perf_counter()
    run = services.execute_run(run, signals=signals)
    kenes = time.perf_counter() - start
    assert run.forecast >= count, run.forecast
    direct = library_direct(series)
    report("threats.series", count, "series")
    report("threats.forecast", round(kenes, 1), "s")
    report("threats.forecast_series_per_s", round(count / kenes, 1), "series/s")
    report("threats.library_direct", round(direct, 1), "s")
    report("threats.overhead", round(100 * (kenes - direct) / direct, 1), "%")
    report("threats.forecast_ratio", round(kenes / direct, 1), "x")
