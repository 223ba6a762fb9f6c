"""Rules of the register: reassessment history, high-water marks, observations all or nothing, the
three alert rules on hand-made series (each raised once per cause), notifications, acknowledgement,
forecasts stored with their backtest, imports and situation reports."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from kenes.core.classification import Classification
from kenes.core.exceptions import Conflict
from kenes.core.models import AuditEvent, Notification
from kenes.threats import services
from kenes.threats.models import Alert, Forecast, Observation, ThreatAssessment
from tests.conftest import make_user
from tests.threats.conftest import fill, seasonal, seasonal_naive_mase

D = dt.date


def test_reassessment_keeps_the_old_values_and_the_reason(make_threat, users):
    threat = make_threat()
    services.reassess_threat(threat, actor=users["analyst"], likelihood=5, impact=4, trend="rising", reason="Growth")
    threat.refresh_from_db()
    assert (threat.likelihood, threat.impact, threat.trend) == (5, 4, "rising")
    latest = ThreatAssessment.objects.filter(threat=threat).first()
    assert (latest.old_likelihood, latest.new_likelihood, latest.old_impact, latest.reason) == (4, 5, 3, "Growth")
    assert threat.assessments.count() == 2
    assert AuditEvent.objects.filter(object_type="threats.threatassessment").count() == 2
    with pytest.raises(ValidationError) as bad:
        services.reassess_threat(threat, actor=users["analyst"], likelihood=6, impact=1, trend="rising", reason="x")
    assert "likelihood" in bad.value.message_dict
    with pytest.raises(ValidationError):
        services.reassess_threat(threat, actor=users["analyst"], likelihood=2, impact=1, trend="rising", reason=" ")
    with pytest.raises(PermissionDenied):
        services.reassess_threat(threat, actor=users["liaison"], likelihood=2, impact=1, trend="rising", reason="x")


def test_levels_check_the_clearance_and_the_high_water_mark(make_threat, make_signal, users):
    with pytest.raises(PermissionDenied):
        make_threat(classification=Classification.TOP_SECRET)
    threat = make_threat(classification=Classification.SECRET)
    with pytest.raises(ValidationError):
        make_signal(threat, classification=Classification.OFFICIAL)
    with pytest.raises(ValidationError):
        services.add_countermeasure(threat, actor=users["analyst"], title="x", classification=Classification.PUBLIC)
    assert make_signal(threat).classification == Classification.SECRET
    with pytest.raises(ValidationError) as bad:
        make_signal(None, lower_threshold=10, upper_threshold=5)
    assert "upper_threshold" in bad.value.message_dict


@pytest.mark.parametrize(
    ("rows", "field"),
    [
        ([("2026-01-15", 1)], "observations.1.period"),
        ([("2026-02-30", 1)], "observations.1.period"),
        ([("soon", 1)], "observations.1.period"),
        ([("2026-01-01", "ten")], "observations.1.value"),
        ([("2026-01-01", float("nan"))], "observations.1.value"),
        ([("2026-01-01", float("inf"))], "observations.1.value"),
        ([("2026-01-01", 1e300)], "observations.1.value"),
        ([("2026-01-01", None)], "observations.1.value"),
        ([("2026-01-01", 1), ("2026-01-01", 2)], "observations.2.period"),
        ([("2026-01-01", 1), ("2026-03-05", 2)], "observations.2.period"),
    ],
)
def test_bad_observations_are_refused_whole_naming_the_item(make_signal, users, rows, field):
    signal = make_signal()
    with pytest.raises(ValidationError) as refused:
        services.record_observations(signal, actor=users["analyst"], observations=[("2025-12-01", 5), *rows])
    assert field in refused.value.message_dict
    assert not Observation.objects.filter(signal=signal).exists()


def test_a_correction_replaces_the_value_and_the_audit_keeps_both(make_signal, users):
    signal = make_signal()
    services.record_observations(signal, actor=users["analyst"], observations=[("2026-01-01", 5)])
    result = services.record_observations(signal, actor=users["analyst"], observations=[("2026-01-01", 7)])
    assert result == {"created": 0, "updated": 1}
    assert Observation.objects.get(signal=signal).value == 7
    event = AuditEvent.objects.filter(object_type="threats.observation", action="update").last()
    assert event.changes["value"] == [5.0, 7.0]


def test_threshold_alerts_are_raised_once_per_cause(make_threat, make_signal, users):
    signal = make_signal(make_threat(), upper_threshold=100, lower_threshold=10)
    services.record_observations(
        signal,
        actor=users["analyst"],
        observations=[("2026-01-01", 50), ("2026-02-01", 120), ("2026-03-01", 5), ("2026-04-01", 100)],
    )
    causes = sorted(Alert.objects.filter(signal=signal).values_list("kind", "cause"))
    assert causes == [("threshold", "2026-02-01:upper"), ("threshold", "2026-03-01:lower")]
    services.record_observations(signal, actor=users["analyst"], observations=[("2026-02-01", 130)])
    assert Alert.objects.filter(signal=signal).count() == 2
    assert Alert.objects.get(cause="2026-02-01:upper").classification == signal.classification


def test_no_threshold_alert_when_the_rule_is_off(make_signal, users):
    signal = make_signal(upper_threshold=1, alert_threshold=False)
    services.record_observations(signal, actor=users["analyst"], observations=[("2026-01-01", 50)])
    assert not Alert.objects.exists()


def test_forecast_is_stored_with_its_backtest_and_the_baseline(make_signal, users):
    signal = make_signal()
    fill(signal, seasonal(72))
    forecast = services.compute_forecast(signal, actor=users["analyst"], horizon=6)
    assert forecast.horizon == 6 and len(forecast.points) == 6
    assert forecast.points[0]["period"] == "2026-01-01" and forecast.last_period == D(2025, 12, 1)
    assert forecast.model in {"AutoETS", "Theta", "RWD", "SeasonalNaive"}
    assert forecast.baseline_mase == pytest.approx(seasonal_naive_mase(seasonal(72), 12, 6), rel=1e-9)
    assert 0 <= forecast.coverage95 <= 1 and forecast.interval_score > 0 and forecast.baseline_interval_score > 0
    assert AuditEvent.objects.filter(object_type="threats.forecast").count() == 1


def test_the_forecast_service_refuses_who_may_not_record(make_signal, users):
    signal = make_signal()
    fill(signal, seasonal(72))
    with pytest.raises(PermissionDenied):
        services.compute_forecast(signal, actor=users["auditor"], horizon=12)
    assert not Forecast.objects.exists()


@pytest.mark.parametrize(
    ("values", "horizon", "words"),
    [
        (seasonal(30), 12, "too short"),
        ([5.0] * 72, 12, "constant"),
        (seasonal(72), 0, "horizon"),
        (seasonal(72), 999, "horizon"),
    ],
)
def test_forecast_refusals_are_clear(make_signal, users, values, horizon, words):
    signal = make_signal()
    fill(signal, values)
    with pytest.raises(ValidationError) as refused:
        services.compute_forecast(signal, actor=users["analyst"], horizon=horizon)
    assert words in str(refused.value)
    assert not Forecast.objects.exists()


def test_a_gap_cuts_the_history_the_forecast_uses(make_signal, users):
    signal = make_signal()
    fill(signal, seasonal(40))
    fill(signal, seasonal(70), start=D(2024, 1, 1))
    forecast = services.compute_forecast(signal, actor=users["analyst"], horizon=12)
    assert forecast.observations == 70


def test_outside_interval_and_forecast_crossing_alerts_on_a_known_series(make_threat, make_signal, users):
    """A calm seasonal series whose forecast stays under 400 (no crossing); then one value far outside
    the 95% band; then a threshold lowered into the band: the forecast crosses it."""
    signal = make_signal(make_threat(), upper_threshold=400)
    fill(signal, seasonal(72))
    forecast = services.compute_forecast(signal, actor=users["analyst"], horizon=12)
    assert max(p["hi95"] for p in forecast.points) < 400
    assert not Alert.objects.filter(kind="forecast_crossing").exists()
    band = forecast.points[0]
    services.record_observations(
        signal, actor=users["analyst"], observations=[("2026-01-01", band["hi95"] + 50)], forecast=False
    )
    outside = Alert.objects.get(kind="outside_interval")
    assert outside.cause == "2026-01-01" and outside.period == D(2026, 1, 1)
    services.record_observations(
        signal, actor=users["analyst"], observations=[("2026-01-01", band["hi95"] + 60)], forecast=False
    )
    assert Alert.objects.filter(kind="outside_interval").count() == 1
    inside = (band["lo95"] + band["hi95"]) / 2
    services.record_observations(signal, actor=users["analyst"], observations=[("2026-01-01", inside)], forecast=False)
    assert Alert.objects.filter(kind="outside_interval").count() == 1
    signal.upper_threshold = band["mean"] + 5
    signal.save()
    services.compute_forecast(signal, actor=users["analyst"], horizon=12)
    crossing = Alert.objects.get(kind="forecast_crossing")
    assert crossing.cause.endswith(":upper")
    services.compute_forecast(signal, actor=users["analyst"], horizon=12)
    assert Alert.objects.filter(kind="forecast_crossing").count() == 1


def test_alerts_notify_the_owner_body_and_the_analysts_within_clearance(
    make_threat, make_signal, users, orgs, django_capture_on_commit_callbacks
):
    users["analyst"].email = "analyst@example.kz"
    users["analyst"].save()
    low = make_user("analyst_low", "analyst", Classification.OFFICIAL, orgs["apparatus"])
    users["liaison"].email = "liaison@example.kz"
    users["liaison"].save()
    secret = make_signal(make_threat(classification=Classification.SECRET), upper_threshold=1)
    official = make_signal(make_threat(title="Other"), upper_threshold=1, code="other")
    with django_capture_on_commit_callbacks(execute=True):
        services.record_observations(secret, actor=users["analyst"], observations=[("2026-01-01", 5)], forecast=False)
        services.record_observations(official, actor=users["analyst"], observations=[("2026-01-01", 5)], forecast=False)
    notified = set(Notification.objects.values_list("user__username", "key"))
    secret_key = f"threat-alert:{Alert.objects.get(signal=secret).pk}"
    official_key = f"threat-alert:{Alert.objects.get(signal=official).pk}"
    assert ("analyst", secret_key) in notified and ("analyst", official_key) in notified
    assert ("liaison_mvd", official_key) in notified and ("liaison_mvd", secret_key) not in notified
    assert (low.username, secret_key) not in notified and (low.username, official_key) in notified
    assert not any(user == "liaison_almaty" for user, _key in notified)
    assert mail.outbox and all("Seizures" not in m.body or "public" in m.subject for m in mail.outbox)


def test_acknowledgement_needs_a_comment_and_happens_once(make_threat, make_signal, users):
    signal = make_signal(make_threat(), upper_threshold=1)
    services.record_observations(signal, actor=users["analyst"], observations=[("2026-01-01", 5)], forecast=False)
    alert = Alert.objects.get()
    with pytest.raises(ValidationError):
        services.acknowledge_alert(alert, actor=users["analyst"], comment="  ")
    with pytest.raises(PermissionDenied):
        services.acknowledge_alert(alert, actor=users["liaison_almaty"], comment="seen")
    services.acknowledge_alert(alert, actor=users["analyst"], comment="Checked with the MIA")
    alert.refresh_from_db()
    assert alert.acknowledged and alert.acknowledged_by == users["analyst"] and alert.comment == "Checked with the MIA"
    with pytest.raises(Conflict):
        services.acknowledge_alert(alert, actor=users["analyst"], comment="again")
    assert AuditEvent.objects.filter(object_type="threats.alert", action="update").exists()


def test_the_batch_forecasts_many_signals_and_skips_what_it_cannot(make_signal, users):
    good = [make_signal(code=f"s{n}") for n in range(3)]
    for n, signal in enumerate(good):
        fill(signal, seasonal(72, level=100 + 10 * n))
    short = make_signal(code="short")
    fill(short, seasonal(10))
    progress = []
    answers = services.forecast_signals([*good, short], horizon=12, progress=lambda d, t: progress.append((d, t)))
    assert all(isinstance(answers[s.pk], Forecast) for s in good)
    assert "too short" in answers[short.pk]
    assert progress[-1] == (4, 4)


def test_a_forecast_run_records_its_progress(make_signal, users, django_capture_on_commit_callbacks):
    signal = make_signal()
    fill(signal, seasonal(72))
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_run(actor=users["analyst"], horizon=12)
    run.refresh_from_db()
    assert (run.status, run.total, run.processed, run.forecast, run.skipped) == ("done", 1, 1, 1, 0)
    assert run.percent == 100


def test_new_observations_enqueue_the_forecast_after_commit(make_signal, users, django_capture_on_commit_callbacks):
    signal = make_signal()
    fill(signal, seasonal(71))
    with django_capture_on_commit_callbacks(execute=True):
        services.record_observations(signal, actor=users["analyst"], observations=[("2025-12-01", 150)])
    assert Forecast.objects.get(signal=signal).last_period == D(2025, 12, 1)


def test_the_forecast_written_when_data_arrives_is_audited(make_signal, users, django_capture_on_commit_callbacks):
    signal = make_signal(code="seizures")
    fill(signal, seasonal(71))
    with django_capture_on_commit_callbacks(execute=True):
        services.record_observations(signal, actor=users["analyst"], observations=[("2025-12-01", 150)])
    event = AuditEvent.objects.get(object_type="threats.forecast")
    assert event.changes["signals"] == ["seizures"] and event.changes["count"] == 1
    assert event.object_id == str(Forecast.objects.get(signal=signal).pk)


def test_a_run_audits_its_forecasts_with_the_run(make_signal, users, django_capture_on_commit_callbacks):
    fill(make_signal(code="a"), seasonal(72))
    fill(make_signal(code="b", name="Other"), seasonal(72, level=50))
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_run(actor=users["analyst"], horizon=12)
    events = list(AuditEvent.objects.filter(object_type="threats.forecast"))
    assert len(events) == 1 and sorted(events[0].changes["signals"]) == ["a", "b"]
    assert events[0].changes["run"] == run.pk and events[0].actor == users["analyst"]
    assert not AuditEvent.objects.filter(object_type="threats.forecastrun").exists()


def test_the_daily_job_forecasts_quarterly_and_annual_signals_as_far_as_they_allow(make_signal):
    from kenes.threats.tasks import daily_forecasts

    quarterly = make_signal(code="quarterly", frequency="quarterly")
    fill(quarterly, seasonal(40))
    monthly = make_signal(code="monthly", name="Monthly")
    fill(monthly, seasonal(72))
    daily_forecasts.call()
    assert Forecast.objects.get(signal=quarterly).horizon == 8
    assert Forecast.objects.get(signal=monthly).horizon == 12


@pytest.mark.parametrize("horizon", [0, 105, "12", True])
def test_a_run_refuses_a_horizon_no_frequency_accepts(users, horizon):
    with pytest.raises(ValidationError) as bad:
        services.start_run(actor=users["analyst"], horizon=horizon)
    assert "horizon" in bad.value.message_dict


def test_bulk_observations_audit_the_replaced_values_and_queue_one_batch(
    make_signal, users, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    signals = [make_signal(code=f"s{n}", name=f"Signal {n}") for n in range(3)]
    for signal in signals:
        fill(signal, [5.0, 7.0], start=D(2026, 1, 1))
    rows = [(s.pk, D(2026, 1, 1), 5.0) for s in signals] + [
        (signals[0].pk, D(2026, 2, 1), 8.0),
        (signals[1].pk, D(2026, 3, 1), 1.0),
    ]
    with django_capture_on_commit_callbacks() as callbacks, CaptureQueriesContext(connection) as captured:
        summary = services.bulk_observations(rows, actor=users["analyst"], source="data.csv")
    reads = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith("SELECT") and "threats_observation" in q["sql"]
    ]
    assert len(reads) == 1
    assert (summary["created"], summary["updated"]) == (1, 1)
    event = AuditEvent.objects.filter(object_type="threats.observation").last()
    assert event.changes["replaced"] == {"s0": {"2026-02-01": [7.0, 8.0]}} and event.changes["replaced_total"] == 1
    assert len(callbacks) == 1
    with django_capture_on_commit_callbacks() as callbacks:
        services.bulk_observations(rows[:3], actor=users["analyst"], source="same.csv")
        services.record_observations(signals[2], actor=users["analyst"], observations=[("2026-01-01", 5.0)])
    assert callbacks == []


def test_the_batch_task_forecasts_the_changed_signals(make_signal, users, django_capture_on_commit_callbacks):
    signals = [make_signal(code=f"s{n}", name=f"Signal {n}") for n in range(2)]
    for signal in signals:
        fill(signal, seasonal(71))
    rows = [(s.pk, D(2025, 12, 1), 150.0) for s in signals]
    with django_capture_on_commit_callbacks(execute=True):
        services.bulk_observations(rows, actor=users["analyst"], source="data.csv")
    assert Forecast.objects.filter(last_period=D(2025, 12, 1)).count() == 2
    assert AuditEvent.objects.get(object_type="threats.forecast").changes["count"] == 2


@pytest.mark.parametrize(
    ("path", "refused"),
    [
        (["in_progress", "done"], "cancelled"),
        (["cancelled"], "in_progress"),
        (["in_progress", "cancelled"], "done"),
        ([], "done"),
        ([], "planned"),
        (["in_progress"], "planned"),
        (["in_progress"], "in_progress"),
    ],
)
def test_countermeasures_move_only_forward_or_to_cancelled(make_threat, users, path, refused):
    measure = services.add_countermeasure(make_threat(), actor=users["analyst"], title="Close the route")
    for status in path:
        measure = services.set_countermeasure_status(measure, actor=users["analyst"], status=status)
        assert measure.status == status
    with pytest.raises(Conflict):
        services.set_countermeasure_status(measure, actor=users["analyst"], status=refused)
    measure.refresh_from_db()
    assert measure.status == (path[-1] if path else "planned")


def test_the_daily_job_is_registered():
    from kenes.core import schedule

    assert "threats.forecasts" in [job.name for job in schedule.jobs()]


def test_situation_report_summarises_and_takes_the_highest_level(make_threat, make_signal, users):
    make_threat()
    secret = make_threat(title="Secret one", classification=Classification.SECRET)
    services.add_countermeasure(secret, actor=users["analyst"], title="Close the route")
    report = services.create_situation_report(
        actor=users["analyst"], title="November", period_start=D(2026, 1, 1), period_end=D(2026, 12, 31)
    )
    assert report.classification == Classification.SECRET
    assert sum(r["count"] for r in report.sections["by_domain"]) == 2
    assert report.sections["countermeasures"][0]["title"] == "Close the route"
    with pytest.raises(ValidationError):
        services.create_situation_report(
            actor=users["analyst"], title="x", period_start=D(2026, 2, 1), period_end=D(2026, 1, 1)
        )


def test_the_command_forecasts_every_signal(make_signal, users):
    import io

    from django.core.management import call_command

    fill(make_signal(), seasonal(72))
    make_signal(code="empty")
    out = io.StringIO()
    call_command("forecast_signals", "--no-progress", stdout=out)
    assert "1 signals forecast, 1 skipped" in out.getvalue()


def test_the_command_fails_saying_so_when_its_run_is_cancelled(make_signal, monkeypatch):
    """A run cancelled by the secretary (or ended by the pages) is no success: the command exits with an error."""
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from kenes.threats.choices import RunStatus
    from kenes.threats.models import ForecastRun

    fill(make_signal(), seasonal(72))
    real = services.execute_run

    def cancelled_before_it_starts(run, **kwargs):
        ForecastRun.objects.filter(pk=run.pk).update(status=RunStatus.CANCELLED)
        return real(run, **kwargs)

    monkeypatch.setattr(services, "execute_run", cancelled_before_it_starts)
    with pytest.raises(CommandError, match="the run ended cancelled"):
        call_command("forecast_signals", "--no-progress")
    assert ForecastRun.objects.get().forecast == 0


def test_an_observations_audit_event_carries_its_signals_level(users, make_signal):
    from kenes.core import audit
    from kenes.core.models import AuditEvent

    signal = make_signal(actor=users["chair"], classification=Classification.TOP_SECRET)
    services.record_observations(signal, actor=users["chair"], observations=[("2026-01-01", 5)], forecast=False)
    event = AuditEvent.objects.filter(object_type="threats.observation").latest("seq")
    assert event.classification == Classification.TOP_SECRET
    assert not audit.events_visible_to(users["auditor"]).filter(pk=event.pk).exists()
    assert audit.events_visible_to(users["chair"]).filter(pk=event.pk).exists()


def test_a_situation_report_at_a_chosen_level_holds_only_what_is_at_or_below_it(make_threat, users):
    make_threat(title="Official one")
    secret = make_threat(title="Secret one", classification=Classification.SECRET)
    services.add_countermeasure(secret, actor=users["analyst"], title="Close the route")
    report = services.create_situation_report(
        actor=users["analyst"],
        title="Official digest",
        period_start=D(2026, 1, 1),
        period_end=D(2026, 12, 31),
        classification=Classification.OFFICIAL,
    )
    assert report.classification == Classification.OFFICIAL
    assert sum(r["count"] for r in report.sections["by_domain"]) == 1
    assert [t["title"] for t in report.sections["top"]] == ["Official one"]
    assert report.sections["countermeasures"] == []
    with pytest.raises(PermissionDenied):
        services.create_situation_report(
            actor=users["analyst"],
            title="Too high",
            period_start=D(2026, 1, 1),
            period_end=D(2026, 12, 31),
            classification=Classification.TOP_SECRET,
        )


def test_a_forecast_enters_a_situation_report_only_by_an_alert_at_or_below_it(make_signal, users):
    """The open crossing alert that selects a forecast is itself read through the visibility policy and
    the report's level: an alert above the report selects nothing."""
    from kenes.threats.choices import AlertKind

    signal = make_signal(name="Official signal", classification=Classification.OFFICIAL)
    Forecast.objects.create(
        signal=signal,
        model="naive",
        horizon=1,
        last_period=D(2026, 1, 1),
        observations=12,
        points=[{"period": "2026-02-01", "mean": 1.0}],
        mase=1.0,
        interval_score=1.0,
        coverage95=1.0,
        baseline_mase=1.0,
        baseline_interval_score=1.0,
        baseline_coverage95=1.0,
        windows=1,
        backtest_horizon=1,
    )
    alert = Alert.objects.create(
        signal=signal,
        kind=AlertKind.FORECAST_CROSSING,
        cause="x",
        message="crossing",
        classification=Classification.SECRET,
    )

    def forecasts(level):
        report = services.create_situation_report(
            actor=users["analyst"],
            title="Digest",
            period_start=D(2026, 1, 1),
            period_end=D(2026, 12, 31),
            classification=level,
        )
        return [row["signal"] for row in report.sections["forecasts"]]

    assert forecasts(Classification.OFFICIAL) == []
    assert forecasts(Classification.SECRET) == ["Official signal"]
    alert.classification = Classification.OFFICIAL
    alert.save()
    assert forecasts(Classification.OFFICIAL) == ["Official signal"]
