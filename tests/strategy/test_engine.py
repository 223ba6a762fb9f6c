"""The evaluation engine against hand-computed cases: achievement in both directions, zero and
negative baselines, target equal to the baseline, missing periods, statuses by the thresholds,
weighted roll-ups, and the forecast on a series with a known trend."""

import datetime as dt
import math

import pytest

from kenes.strategy import services
from kenes.strategy.models import EvaluationSettings, IndicatorEvaluation

D = dt.date
LIMITS = EvaluationSettings(achieved=1.0, on_track=0.9, at_risk=0.7)


@pytest.mark.parametrize(
    ("actual", "baseline", "target", "direction", "expected"),
    [
        (150, 100, 200, "increase", 0.5),
        (250, 100, 200, "increase", 1.5),  # beyond the target: not capped
        (90, 100, 200, "increase", -0.1),  # worse than the baseline: below 0
        (80, 100, 60, "decrease", 0.5),  # the target lies below the baseline
        (50, 100, 60, "decrease", 1.25),
        (110, 100, 60, "decrease", -0.25),
        (3, 0, 4, "increase", 0.75),  # zero baseline
        (-5, -10, 10, "increase", 0.25),  # negative baseline
        (-15, -10, -30, "decrease", 0.25),
        (5, 5, 5, "increase", 1.0),  # target equals baseline, reached
        (6, 5, 5, "increase", 1.0),
        (4, 5, 5, "increase", 0.0),
        (4, 5, 5, "decrease", 1.0),
        (6, 5, 5, "decrease", 0.0),
    ],
)
def test_achievement_by_hand(actual, baseline, target, direction, expected):
    assert services.achievement(actual, baseline, target, direction) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("value", "status"),
    [
        (None, "no_data"),
        (1.0, "achieved"),
        (1.7, "achieved"),
        (0.95, "on_track"),
        (0.9, "on_track"),
        (0.8, "at_risk"),
        (0.7, "at_risk"),
        (0.69, "off_track"),
        (-2, "off_track"),
    ],
)
def test_status_by_the_thresholds(value, status):
    assert services.status_for(value, LIMITS) == status


def test_evaluation_uses_the_latest_period_with_both_target_and_actual(make_indicator, people):
    indicator = make_indicator("A1")  # targets 110, 120, ... 200 for 2021..2030
    evaluation = IndicatorEvaluation.objects.get(indicator=indicator)
    assert evaluation.status == "no_data" and evaluation.achievement is None and evaluation.period is None
    services.record_measurements(
        indicator, actor=people["analyst"], measurements=[("2021-01-01", 110), ("2023-01-01", 121)]
    )  # 2022 is missing: the latest pair is 2023 (target 130)
    evaluation.refresh_from_db()
    assert evaluation.period == D(2023, 1, 1)
    assert evaluation.actual == 121 and evaluation.target == 130
    assert evaluation.achievement == pytest.approx(21 / 30)
    assert evaluation.status == "at_risk"
    assert evaluation.final_target == 200 and evaluation.final_period == D(2030, 1, 1)


def test_a_measurement_without_a_target_does_not_move_the_period(make_indicator, people):
    indicator = make_indicator("A2", targets=[(D(2022, 1, 1), 120)])
    services.record_measurements(
        indicator, actor=people["analyst"], measurements=[("2022-01-01", 125), ("2024-01-01", 90)]
    )
    evaluation = IndicatorEvaluation.objects.get(indicator=indicator)
    assert evaluation.period == D(2022, 1, 1) and evaluation.achievement == pytest.approx(1.25)
    assert evaluation.status == "achieved"


def test_a_decreasing_indicator(make_indicator, people):
    indicator = make_indicator("A3", direction="decrease", targets=[(D(2024, 1, 1), 60)])
    services.record_measurements(indicator, actor=people["analyst"], measurements=[("2024-01-01", 64)])
    evaluation = IndicatorEvaluation.objects.get(indicator=indicator)
    assert evaluation.achievement == pytest.approx(0.9) and evaluation.status == "on_track"


def test_changes_of_target_baseline_and_thresholds_re_evaluate(make_indicator, people):
    indicator = make_indicator("A4", targets=[(D(2024, 1, 1), 200)])
    services.record_measurements(indicator, actor=people["analyst"], measurements=[("2024-01-01", 180)])
    evaluation = IndicatorEvaluation.objects.get(indicator=indicator)
    assert evaluation.achievement == pytest.approx(0.8)
    services.set_targets(indicator, actor=people["analyst"], targets=[("2024-01-01", 190)])
    evaluation.refresh_from_db()
    assert evaluation.achievement == pytest.approx(80 / 90)
    services.update_indicator(indicator, actor=people["analyst"], baseline_value=150)
    evaluation.refresh_from_db()
    assert evaluation.achievement == pytest.approx(30 / 40) and evaluation.status == "at_risk"
    services.set_thresholds(actor=people["secretary"], achieved=1.0, on_track=0.75, at_risk=0.5)
    evaluation.refresh_from_db()
    assert evaluation.status == "on_track"


def test_thresholds_only_by_the_secretary_and_in_order(people):
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(PermissionDenied):
        services.set_thresholds(actor=people["analyst"], achieved=1, on_track=0.9, at_risk=0.7)
    with pytest.raises(ValidationError):
        services.set_thresholds(actor=people["secretary"], achieved=0.8, on_track=0.9, at_risk=0.7)
    with pytest.raises(ValidationError):
        services.set_thresholds(actor=people["secretary"], achieved=float("nan"), on_track=0.9, at_risk=0.7)


def test_weighted_rollups_leave_out_indicators_without_data(document, goal, make_indicator, people):
    from kenes.strategy.models import StrategicDocument

    analyst = people["analyst"]
    other = services.create_goal(document, actor=analyst, title="Cyber", weight=3)
    sub = services.create_goal(document, actor=analyst, title="Sub of cyber", weight=1, parent=other)
    t = [(D(2024, 1, 1), 200)]
    a = make_indicator("R1", weight=1, targets=t)  # 0.5
    b = make_indicator("R2", weight=3, targets=t)  # 1.5 → counted as 1.0
    make_indicator("R3", weight=10, targets=t)  # no data: out of the weights
    c = make_indicator("R4", goal=other, weight=1, targets=t)  # -0.2 → counted as 0
    d = make_indicator("R5", goal=sub, weight=1, targets=t)  # 0.8
    for indicator, value in ((a, 150), (b, 250), (c, 80), (d, 180)):
        services.record_measurements(indicator, actor=analyst, measurements=[("2024-01-01", value)])
    ((_doc, root, goals),) = services.rollup(analyst, StrategicDocument.objects.filter(pk=document.pk))
    public_order = next(g for g in goals if g.pk == goal.pk)
    cyber = next(g for g in goals if g.pk == other.pk)
    assert public_order.score == pytest.approx((1 * 0.5 + 3 * 1.0) / 4)  # 0.875, R3 left out
    assert public_order.status == "at_risk"
    assert public_order.counts == {"achieved": 1, "on_track": 0, "at_risk": 0, "off_track": 1, "no_data": 1}
    assert cyber.children[0].score == pytest.approx(0.8)
    assert cyber.score == pytest.approx((1 * 0.0 + 1 * 0.8) / 2)  # its indicator (weight 1) and sub-goal (weight 1)
    assert root.score == pytest.approx(round((1 * 0.875 + 3 * 0.4) / 4, 4), abs=1e-4)
    assert root.total == 5


def test_forecast_on_a_known_linear_trend():
    history = [(D(2020 + i, 1, 1), 100 + 10 * i + (0.5 if i % 2 else -0.5)) for i in range(6)]  # 2020..2025
    result = services.forecast(history, frequency="annual", end=D(2030, 1, 1), final_target=200, direction="increase")
    assert result.model.startswith("statsmodels")
    assert result.value == pytest.approx(200, abs=1.0)
    assert result.lo95 < result.value < result.hi95
    assert len(result.points) == 5 and result.points[-1]["period"] == "2030-01-01"
    assert 0.3 < result.probability < 0.7  # the trend ends right on the target
    lower = services.forecast(history, frequency="annual", end=D(2030, 1, 1), final_target=150, direction="increase")
    assert lower.probability > 0.99
    decrease = services.forecast(history, frequency="annual", end=D(2030, 1, 1), final_target=150, direction="decrease")
    assert decrease.probability < 0.01


def test_forecast_of_a_regular_quarterly_series_uses_ets():
    history = []
    period = D(2020, 1, 1)
    for i in range(24):
        history.append((period, 50 + 2 * i + (3 if period.month == 7 else 0)))
        period = D(period.year + (period.month == 10), (period.month + 2) % 12 + 1, 1)
    result = services.forecast(
        history, frequency="quarterly", end=D(2027, 10, 1), final_target=150, direction="increase"
    )
    assert result.model == "statsforecast AutoETS"
    assert result.value == pytest.approx(50 + 2 * 31, rel=0.1)
    assert result.probability is not None and 0 <= result.probability <= 1
    assert all(math.isfinite(p["hi95"]) for p in result.points)


@pytest.mark.parametrize("points", [0, 1, 2])
def test_too_short_a_series_gives_no_forecast_and_says_why(points):
    history = [(D(2024 + i, 1, 1), 10.0 + i) for i in range(points)]
    result = services.forecast(history, frequency="annual", end=D(2030, 1, 1), final_target=20, direction="increase")
    assert result.value is None and result.probability is None
    assert "at least 3" in result.note


def test_a_flat_series_and_an_ended_period_do_not_crash():
    flat = [(D(2020 + i, 1, 1), 7.0) for i in range(5)]
    result = services.forecast(flat, frequency="annual", end=D(2030, 1, 1), final_target=7, direction="increase")
    assert result.value == pytest.approx(7.0)
    assert result.probability == 1.0  # it stays on its target, with no uncertainty: the target is met
    cases = {(8, "increase"): 0.0, (6, "increase"): 1.0, (6, "decrease"): 0.0, (7, "decrease"): 1.0}
    for (target, direction), expected in cases.items():
        other = services.forecast(flat, frequency="annual", end=D(2030, 1, 1), final_target=target, direction=direction)
        assert other.probability == expected, (target, direction)
    ended = services.forecast(flat, frequency="annual", end=D(2024, 1, 1), final_target=7, direction="increase")
    assert ended.value is None and ended.note


def test_stored_forecast_of_an_indicator(make_indicator, people):
    indicator = make_indicator("F1")
    services.record_measurements(
        indicator,
        actor=people["analyst"],
        measurements=[(f"{y}-01-01", 100 + 10 * (y - 2020) + (y % 2)) for y in range(2021, 2026)],
    )
    evaluation = IndicatorEvaluation.objects.get(indicator=indicator)
    assert evaluation.forecast_end_value == pytest.approx(200, abs=2)
    assert evaluation.forecast_lo95 < evaluation.forecast_end_value < evaluation.forecast_hi95
    assert evaluation.forecast_points[-1]["period"] == "2030-01-01"
    assert evaluation.probability is not None
