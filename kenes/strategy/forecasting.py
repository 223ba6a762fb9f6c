"""Forecasts of an indicator's value at the end of its document's period, by maintained libraries.

Pure statistics, no database and no rules: ``services.evaluate`` decides what to forecast and stores
the result. Short or gappy series get a linear trend with its prediction interval (statsmodels OLS);
regular monthly or quarterly series of at least two seasons an exponential-smoothing model chosen by
statsforecast's AutoETS. Each forecast comes with its 95% interval and the direction-aware probability
that the final target is met; a series that cannot be forecast gets a reason instead, never an error.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from kenes.core import periods, texts
from kenes.strategy.choices import Direction

#: A forecast needs at least this many values (the baseline counts as one).
MIN_FORECAST_POINTS = 3
MAX_FORECAST_HORIZON = 240
Z95 = 1.959963984540054


@dataclass
class Forecast:
    """The forecast of an indicator at the end of its document's period, or why there is none."""

    value: float | None = None
    lo95: float | None = None
    hi95: float | None = None
    probability: float | None = None
    model: str = ""
    note: str = ""
    note_text: texts.Text | None = None  # the note as a code, rendered in the reader's language
    points: list[dict[str, Any]] = field(default_factory=list)


def _none(code: str, **params: Any) -> Forecast:
    """No forecast, and why: a text of :mod:`kenes.core.texts`, shown in the reader's language."""
    note = texts.text(code, **params)
    return Forecast(note=str(note), note_text=note)


def _normal_cdf(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def meet_probability(mean: float, spread: float, target: float, direction: str, cdf: Any = _normal_cdf) -> float:
    """The probability that a value forecast as ``mean`` with standard error ``spread`` reaches
    ``target`` in the indicator's direction (at or above for increase, at or below for decrease)."""
    scale = max(1.0, abs(mean), abs(target))
    if spread <= 1e-9 * scale or not math.isfinite(spread):  # no uncertainty left but rounding noise
        on_target = math.isclose(mean, target, rel_tol=1e-9, abs_tol=1e-9)
        reached = on_target or (mean > target if direction == Direction.INCREASE else mean < target)
        return 1.0 if reached else 0.0
    below = float(cdf((target - mean) / spread))
    return round(1 - below if direction == Direction.INCREASE else below, 4)


def forecast(
    history: Sequence[tuple[dt.date, float]],
    *,
    frequency: str,
    end: dt.date,
    final_target: float | None,
    direction: str,
) -> Forecast:
    """Forecast the value at ``end`` (a period start) from ``history`` (period, value), oldest first.

    Short or gappy series get a linear trend with its prediction interval (statsmodels OLS on the
    period index; the probability from Student's t with the residual degrees of freedom); regular
    monthly or quarterly series of at least two seasons get an exponential-smoothing model chosen by
    statsforecast's AutoETS (the probability from the normal law of its 95% interval). Fewer than
    three values, or an end already measured, give no forecast and say why."""
    import numpy as np  # here, not at the top: numpy loads on the first forecast, not with every process

    if len(history) < MIN_FORECAST_POINTS:
        return _none("forecast.too_few_values", n=MIN_FORECAST_POINTS, have=len(history))
    first, last = history[0][0], history[-1][0]
    horizon = periods.count_between(last, end, frequency)
    if horizon <= 0:
        return _none("forecast.end_measured")
    if horizon > MAX_FORECAST_HORIZON:
        return _none("forecast.too_far")
    index = [periods.count_between(first, period, frequency) for period, _v in history]
    values = [value for _p, value in history]
    future = [periods.shift(last, frequency, step) for step in range(1, horizon + 1)]
    season = periods.season_length(frequency)
    regular = index[-1] == len(index) - 1
    try:
        if season > 1 and regular and len(values) >= 2 * season + 2:
            result = _ets(values, horizon, season, final_target, direction)
        else:
            result = _trend(index, values, horizon, final_target, direction)
    except (ValueError, ArithmeticError, np.linalg.LinAlgError) as error:  # a degenerate series
        return _none("forecast.failed", error=str(error)[:200])
    mean, lo, hi = result["mean"], result["lo"], result["hi"]
    if not all(math.isfinite(x) for x in (*mean, *lo, *hi)):
        return _none("forecast.not_finite")
    points = [
        {"period": p.isoformat(), "mean": round(m, 6), "lo95": round(a, 6), "hi95": round(b, 6)}
        for p, m, a, b in zip(future, mean, lo, hi, strict=True)
    ]
    return Forecast(
        value=round(mean[-1], 6),
        lo95=round(lo[-1], 6),
        hi95=round(hi[-1], 6),
        probability=result["probability"],
        model=result["model"],
        points=points,
    )


def _trend(index: list[int], values: list[float], horizon: int, target: float | None, direction: str) -> dict:
    import numpy as np
    from scipy import stats
    from statsmodels.regression.linear_model import OLS

    x = np.column_stack([np.ones(len(index)), np.asarray(index, dtype=float)])
    fit = OLS(np.asarray(values, dtype=float), x).fit()
    ahead = np.arange(index[-1] + 1, index[-1] + horizon + 1, dtype=float)
    prediction = fit.get_prediction(np.column_stack([np.ones(horizon), ahead]))
    frame = prediction.summary_frame(alpha=0.05)
    mean = [float(v) for v in frame["mean"]]
    lo = [float(v) for v in frame["obs_ci_lower"]]
    hi = [float(v) for v in frame["obs_ci_upper"]]
    probability = None
    if target is not None:
        spread = float(np.sqrt(prediction.se_mean[-1] ** 2 + fit.scale))
        df = max(int(fit.df_resid), 1)
        probability = meet_probability(mean[-1], spread, target, direction, cdf=lambda z: stats.t.cdf(z, df))
    return {"mean": mean, "lo": lo, "hi": hi, "probability": probability, "model": "statsmodels OLS linear trend"}


def _ets(values: list[float], horizon: int, season: int, target: float | None, direction: str) -> dict:
    import numpy as np
    from statsforecast.models import AutoETS

    result = AutoETS(season_length=season).forecast(y=np.asarray(values, dtype=float), h=horizon, level=[95])
    mean = [float(v) for v in result["mean"]]
    lo = [float(v) for v in result["lo-95"]]
    hi = [float(v) for v in result["hi-95"]]
    probability = None
    if target is not None:
        probability = meet_probability(mean[-1], (hi[-1] - lo[-1]) / (2 * Z95), target, direction)
    return {"mean": mean, "lo": lo, "hi": hi, "probability": probability, "model": "statsforecast AutoETS"}
