"""The forecasting engine of the threat signals: statsforecast's models, chosen per series by a
rolling-origin backtest, with 80% and 95% prediction intervals.

The engine knows nothing of the models (it uses only Django's translation of its messages): it takes
series of numbers (evenly spaced, oldest first) with the season length of their frequency and
answers, per series, the chosen model, the forecast points and the backtest scores of the chosen
model and of the seasonal-naive baseline. One series or two thousand go through the same code
(:func:`forecast_many`): one ``cross_validation`` call and one ``forecast`` call per chunk of series,
over a long frame of all of them.

One process, never a pool: statsforecast's ``n_jobs`` forks a ``multiprocessing.Pool`` and ends it by
SIGTERM. Forked inside the task worker, the pool's children inherit the worker's SIGTERM handler,
which does not exit while a task runs; a child left waiting on the pool's queue lock then ignores the
SIGTERM and the worker waits for it for ever (the daily forecast hung the worker this way). The
worker's parallelism is its processes: the forecasts have a queue and a worker of their own.

Why this catalogue: AutoARIMA costs about half a second a series on one core, so 2,000 series with a
backtest would take far more than the budget of 300 s on two cores. Additive-error AutoETS (the
search over trend none/additive/damped and season none/additive/multiplicative) costs about 0.03 s a
fit, Theta a tenth of that, and the two naive models nothing; with three backtest windows and the
final fit that is about 0.14 s a series on one core (2,000 series in about five minutes). The
model with the lowest mean MASE over the backtest windows is chosen (ties go to the simpler model,
in catalogue order from the end).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

if TYPE_CHECKING:  # numpy and pandas load on the first forecast, not with every process (see tests/test_startup.py)
    import numpy as np
    import pandas as pd

LEVELS = (80, 95)
WINDOWS = 3
CHUNK = 100  # series per engine call: a run reports progress, and may be cancelled, after each
BASELINE = "SeasonalNaive"
MAX_FACTOR = 4.0


class ForecastError(ValueError):
    """A series that cannot be forecast, and why (too short, constant, not finite, bad horizon)."""

    def __init__(self, message: str, field: str = "observations") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Scores:
    """Backtest scores of one model on one series: MASE (scaled by the in-sample seasonal-naive
    error), the mean interval score of the 95% interval (Gneiting & Raftery; lower is better, in the
    series' unit) and the share of held-out points inside the 95% interval."""

    mase: float
    interval_score: float
    coverage95: float


@dataclass(frozen=True)
class Point:
    step: int
    mean: float
    lo80: float
    hi80: float
    lo95: float
    hi95: float


@dataclass
class Outcome:
    """What the engine answers for one series."""

    model: str
    points: list[Point]
    scores: Scores
    baseline: Scores
    candidates: dict[str, Scores] = field(default_factory=dict)
    windows: int = WINDOWS
    backtest_horizon: int = 0
    factor: float = 1.0


def catalogue(season_length: int) -> list:
    """The candidate models, the simplest last (ties in the backtest go to the later one)."""
    from statsforecast.models import AutoETS, RandomWalkWithDrift, SeasonalNaive, Theta

    return [
        AutoETS(season_length=season_length, model="AZZ"),
        Theta(season_length=season_length),
        RandomWalkWithDrift(),
        SeasonalNaive(season_length=season_length),
    ]


def max_horizon(season_length: int) -> int:
    """The longest horizon the engine accepts: two seasons, at least eight periods."""
    return max(2 * season_length, 8)


def backtest_horizon(horizon: int, season_length: int) -> int:
    """Each backtest window is as long as the horizon, but at most one season (at least four periods)."""
    return min(horizon, max(season_length, 4))


def min_length(horizon: int, season_length: int) -> int:
    """The shortest series the engine forecasts: two seasons (at least ten periods) of training before
    the first backtest window, then the windows themselves."""
    return max(2 * season_length, 10) + WINDOWS * backtest_horizon(horizon, season_length)


def check(values: Sequence[float], horizon: int, season_length: int) -> np.ndarray:
    """The series as an array, or a :class:`ForecastError` saying in words what is wrong with it."""
    import numpy as np

    if not isinstance(horizon, int) or isinstance(horizon, bool) or horizon < 1:
        raise ForecastError(_("The horizon must be a whole number of periods, at least 1."), "horizon")
    if horizon > max_horizon(season_length):
        raise ForecastError(
            _("The horizon may be at most %(n)d periods for this frequency.") % {"n": max_horizon(season_length)},
            "horizon",
        )
    array = np.asarray(values, dtype=float)
    if not np.all(np.isfinite(array)):
        raise ForecastError(_("The series holds a value that is not a finite number."))
    needed = min_length(horizon, season_length)
    if len(array) < needed:
        raise ForecastError(
            _(
                "The series is too short to forecast and backtest: it has %(n)d consecutive observations, "
                "%(needed)d are needed for this horizon."
            )
            % {"n": len(array), "needed": needed}
        )
    if np.ptp(array) == 0:
        raise ForecastError(_("The series is constant: there is nothing to forecast."))
    return array


def _frame(series: dict[str, np.ndarray]) -> pd.DataFrame:
    import numpy as np
    import pandas as pd

    ids, steps, values = [], [], []
    for key, array in series.items():
        ids.append(np.full(len(array), str(key), dtype=object))
        steps.append(np.arange(len(array)))
        values.append(array)
    return pd.DataFrame({"unique_id": np.concatenate(ids), "ds": np.concatenate(steps), "y": np.concatenate(values)})


def _scale(train: np.ndarray, season_length: int) -> float:
    """The MASE denominator: the in-sample mean absolute error of the seasonal-naive forecast (of the
    naive forecast when the training part is shorter than two seasons or its seasonal error is nil)."""
    import numpy as np

    m = season_length if len(train) > season_length else 1
    errors = np.abs(train[m:] - train[:-m])
    scale = float(errors.mean()) if len(errors) else 0.0
    if scale == 0.0 and m > 1:
        scale = float(np.abs(np.diff(train)).mean())
    return scale or 1.0


def interval_score(y: np.ndarray, lo: np.ndarray, hi: np.ndarray, alpha: float = 0.05) -> np.ndarray:
    """The interval score of a central (1 − alpha) interval for each point (Gneiting & Raftery 2007)."""
    return (hi - lo) + (2 / alpha) * (lo - y) * (y < lo) + (2 / alpha) * (y - hi) * (y > hi)


def calibration_factor(ratios: np.ndarray, level: float = 0.95) -> float:
    """How much a model's intervals must widen so that they would have covered ``level`` of the backtest
    errors: the empirical ``level`` quantile of |error| / half-width, never below 1 (intervals only
    widen) and at most ``MAX_FACTOR`` (one wild value in the backtest must not make the fan useless)."""
    import numpy as np

    ratios = ratios[np.isfinite(ratios)]
    if not len(ratios):
        return 1.0
    rank = max(1, math.ceil(len(ratios) * level))
    return min(MAX_FACTOR, max(1.0, float(np.sort(ratios)[rank - 1])))


def _ratios(y: np.ndarray, mean: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    import numpy as np

    half = (hi - lo) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(half > 0, np.abs(y - mean) / half, np.where(y == mean, 0.0, np.inf))


def _score_backtest(
    cv: pd.DataFrame, series: dict[str, np.ndarray], names: list[str], season_length: int
) -> dict[str, dict[str, tuple[Scores, float]]]:
    """Per series and model: the backtest scores and the calibration factor of its intervals.

    The intervals scored in a window are widened by the factor learnt on the other windows (cross-fitted,
    so the coverage reported is out of sample); the factor kept for the final forecast is learnt on all."""
    import numpy as np

    result: dict[str, dict[str, tuple[Scores, float]]] = {}
    for key, group in cv.groupby("unique_id", sort=False):
        y = group["y"].to_numpy(dtype=float)
        cutoffs = group["cutoff"].to_numpy()
        full = series[str(key)]
        scales = {c: _scale(full[: int(c) + 1], season_length) for c in np.unique(cutoffs)}
        scale = np.array([scales[c] for c in cutoffs])
        per_model = {}
        for name in names:
            mean = group[name].to_numpy(dtype=float)
            lo, hi = group[f"{name}-lo-95"].to_numpy(dtype=float), group[f"{name}-hi-95"].to_numpy(dtype=float)
            if not (np.all(np.isfinite(mean)) and np.all(np.isfinite(lo)) and np.all(np.isfinite(hi))):
                continue
            ratios = _ratios(y, mean, lo, hi)
            half = (hi - lo) / 2
            widened = np.empty_like(half)
            for cutoff in np.unique(cutoffs):
                inside = cutoffs == cutoff
                factor = calibration_factor(ratios[~inside]) if (~inside).any() else 1.0
                widened[inside] = half[inside] * factor
            lo_c, hi_c = mean - widened, mean + widened
            per_model[name] = (
                Scores(
                    mase=float(np.mean(np.abs(y - mean) / scale)),
                    interval_score=float(np.mean(interval_score(y, lo_c, hi_c))),
                    coverage95=float(np.mean((y >= lo_c) & (y <= hi_c))),
                ),
                calibration_factor(ratios),
            )
        result[str(key)] = per_model
    return result


def _choose(per_model: dict[str, tuple[Scores, float]], names: list[str]) -> str:
    best = BASELINE
    for name in reversed(names):
        if name in per_model and per_model[name][0].mase < per_model[best][0].mase - 1e-12:
            best = name
    return best


def forecast_many(
    series: dict[Hashable, Sequence[float]],
    *,
    season_length: int,
    horizon: int,
    progress: Callable[[int, int], None] | None = None,
) -> dict[Hashable, Outcome | ForecastError]:
    """Forecast every series ``horizon`` steps ahead, after choosing its model by backtest.

    Answers, per key, an :class:`Outcome` or the :class:`ForecastError` that kept that series out (one
    bad series never stops the others). ``progress(done, total)`` is called after each chunk of
    series (``CHUNK``); the engine runs in this process (see the module's note on pools)."""
    from statsforecast import StatsForecast

    answers: dict[Hashable, Outcome | ForecastError] = {}
    ready: dict[Hashable, np.ndarray] = {}
    for key, values in series.items():
        try:
            ready[key] = check(values, horizon, season_length)
        except ForecastError as error:
            answers[key] = error
    total, done = len(series), len(answers)
    if progress:
        progress(done, total)
    bh = backtest_horizon(horizon, season_length)
    keys = list(ready)
    for start in range(0, len(keys), CHUNK):
        originals = {str(k): k for k in keys[start : start + CHUNK]}
        chunk = {name: ready[key] for name, key in originals.items()}
        models = catalogue(season_length)
        names = [repr(m) for m in models]
        engine = StatsForecast(models=models, freq=1, n_jobs=1)
        frame = _frame(chunk)
        cv = engine.cross_validation(df=frame, h=bh, n_windows=WINDOWS, step_size=bh, level=[95])
        scores = _score_backtest(cv, chunk, names, season_length)
        if progress:  # the backtest is about three quarters of a chunk's work
            progress(done + 3 * len(chunk) // 4, total)
        final = engine.forecast(df=frame, h=horizon, level=list(LEVELS))
        for key, group in final.groupby("unique_id", sort=False):
            original = originals[str(key)]
            per_model = scores.get(str(key), {})
            if BASELINE not in per_model:
                answers[original] = ForecastError(_("The backtest of this series failed."))
                continue
            chosen = _choose(per_model, names)
            answers[original] = Outcome(
                model=chosen,
                points=_points(group, chosen, per_model[chosen][1]),
                scores=per_model[chosen][0],
                baseline=per_model[BASELINE][0],
                candidates={name: scored for name, (scored, _factor) in per_model.items()},
                factor=per_model[chosen][1],
                windows=WINDOWS,
                backtest_horizon=bh,
            )
        done += len(chunk)
        if progress:
            progress(done, total)
    return answers


def _points(group: pd.DataFrame, name: str, factor: float) -> list[Point]:
    """The chosen model's forecast, both intervals widened around the mean by the backtest's factor."""
    columns = [name, f"{name}-lo-80", f"{name}-hi-80", f"{name}-lo-95", f"{name}-hi-95"]
    values = group[columns].to_numpy(dtype=float)
    points = []
    for step, (mean, lo80, hi80, lo95, hi95) in enumerate(values, start=1):
        if not all(math.isfinite(v) for v in (mean, lo80, hi80, lo95, hi95)):
            lo80 = hi80 = lo95 = hi95 = mean
        points.append(
            Point(
                step,
                float(mean),
                float(mean - (mean - lo80) * factor),
                float(mean + (hi80 - mean) * factor),
                float(mean - (mean - lo95) * factor),
                float(mean + (hi95 - mean) * factor),
            )
        )
    return points


def forecast_one(values: Sequence[float], *, season_length: int, horizon: int) -> Outcome:
    """One series through the same path as many; a series that cannot be forecast raises ForecastError."""
    answer = forecast_many({"series": values}, season_length=season_length, horizon=horizon)["series"]
    if isinstance(answer, ForecastError):
        raise answer
    return answer
