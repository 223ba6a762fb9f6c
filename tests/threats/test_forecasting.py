"""The forecasting engine: quality on public seasonal series held out at their tail, and a clear
refusal of what cannot be forecast."""

import csv
from pathlib import Path

import numpy as np
import pytest

from kenes.threats import forecasting
from tests.threats.conftest import seasonal_naive_mase

DATA = Path(__file__).parent / "data"
SERIES = {
    "air_passengers.csv": 12,
    "co2_monthly.csv": 12,
    "elnino.csv": 12,
    "macro_cpi.csv": 4,
    "macro_realcons.csv": 4,
    "macro_unemp.csv": 4,
}
ORIGINS = 4  # each series is cut at four origins, one horizon apart


def _values(name: str) -> np.ndarray:
    with (DATA / name).open() as f:
        return np.array([float(row["value"]) for row in csv.DictReader(f)])


def _held_out_cases():
    for name, season in SERIES.items():
        y = _values(name)
        h = 12 if season == 12 else 8
        for cut in range(ORIGINS):
            end = len(y) - cut * h
            yield name, season, h, y[: end - h][-240:], y[end - h : end]


def test_the_chosen_model_beats_seasonal_naive_and_its_95_intervals_cover_about_95_percent():
    """24 held-out tails (6 series × 4 origins, 240 points). Bounds: the chosen model's MASE is below
    seasonal naive's on at least 60% of the tails, the mean MASE ratio is below 0.8, and the 95%
    intervals cover between 85% and 100% of all held-out points (85.4% measured when written)."""
    wins = cases = inside = points = 0
    ratios = []
    for _name, season, h, train, test in _held_out_cases():
        outcome = forecasting.forecast_one(train, season_length=season, horizon=h)
        mean = np.array([p.mean for p in outcome.points])
        lo = np.array([p.lo95 for p in outcome.points])
        hi = np.array([p.hi95 for p in outcome.points])
        scale = np.mean(np.abs(train[season:] - train[:-season]))
        naive = np.array([train[-season + (i % season)] for i in range(h)])
        mase, base = np.mean(np.abs(test - mean)) / scale, np.mean(np.abs(test - naive)) / scale
        wins += mase < base - 1e-9
        ratios.append(mase / base)
        cases += 1
        inside += int(np.sum((test >= lo) & (test <= hi)))
        points += h
        assert all(p.lo95 <= p.lo80 <= p.mean <= p.hi80 <= p.hi95 for p in outcome.points)
    assert cases == 24
    assert wins / cases >= 0.6, wins
    assert np.mean(ratios) < 0.8, np.mean(ratios)
    assert 0.85 <= inside / points <= 1.0, inside / points


def test_scores_are_reported_for_the_model_and_the_baseline():
    outcome = forecasting.forecast_one(_values("air_passengers.csv"), season_length=12, horizon=12)
    assert outcome.model in {"AutoETS", "Theta", "RWD", "SeasonalNaive"}
    assert set(outcome.candidates) == {"AutoETS", "Theta", "RWD", "SeasonalNaive"}
    assert outcome.scores == outcome.candidates[outcome.model]
    assert outcome.baseline == outcome.candidates["SeasonalNaive"]
    values = _values("air_passengers.csv")
    assert outcome.baseline.mase == pytest.approx(seasonal_naive_mase(values, 12, 12), rel=1e-9)
    assert 0 <= outcome.scores.coverage95 <= 1 and outcome.scores.interval_score > 0
    assert len(outcome.points) == 12 and outcome.windows == 3 and outcome.backtest_horizon == 12


def test_interval_score_penalises_misses():
    y = np.array([5.0, 0.0, 12.0])
    lo, hi = np.full(3, 1.0), np.full(3, 10.0)
    assert list(forecasting.interval_score(y, lo, hi)) == [9.0, 9.0 + 40 * 1.0, 9.0 + 40 * 2.0]


def test_calibration_factor_widens_only():
    assert forecasting.calibration_factor(np.array([0.1, 0.2])) == 1.0
    assert forecasting.calibration_factor(np.array([0.5] * 18 + [2.0, 3.0])) == 2.0
    assert forecasting.calibration_factor(np.array([0.5] * 18 + [200.0, 300.0])) == forecasting.MAX_FACTOR


@pytest.mark.parametrize(
    ("values", "horizon", "field", "words"),
    [
        ([1.0] * 80, 12, "observations", "constant"),
        (list(range(20)), 12, "observations", "too short"),
        ([1.0, float("nan")] * 40, 12, "observations", "finite"),
        ([1.0, float("inf")] * 40, 12, "observations", "finite"),
        (list(range(80)), 0, "horizon", "at least 1"),
        (list(range(80)), -3, "horizon", "at least 1"),
        (list(range(80)), 25, "horizon", "at most 24"),
        (list(range(80)), 10**9, "horizon", "at most 24"),
    ],
)
def test_what_cannot_be_forecast_is_refused_in_words(values, horizon, field, words):
    with pytest.raises(forecasting.ForecastError) as refused:
        forecasting.forecast_one(values, season_length=12, horizon=horizon)
    assert refused.value.field == field and words in str(refused.value)


def test_one_bad_series_does_not_stop_the_batch():
    good = list(np.sin(np.arange(80) / 2) * 10 + np.arange(80))
    answers = forecasting.forecast_many({1: good, 2: [3.0] * 80, 3: good[:10]}, season_length=12, horizon=6)
    assert isinstance(answers[1], forecasting.Outcome)
    assert isinstance(answers[2], forecasting.ForecastError) and isinstance(answers[3], forecasting.ForecastError)
