"""Forecast runs in the background: no process pool, a time limit, interrupted runs, the wait for the
worker, the daily runs shown to every analyst without counts above his clearance, and cancellation."""

import datetime as dt
import os
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from kenes.core.models import AuditEvent
from kenes.threats import forecasting, services
from kenes.threats.choices import RunReason, RunStatus
from kenes.threats.models import Forecast, ForecastRun
from tests.threats.conftest import fill, seasonal

pytestmark = pytest.mark.django_db


def test_forecasting_many_series_never_forks_a_process_pool(monkeypatch):
    """A pool forked inside the worker inherits its SIGTERM handler and can hang it for ever."""

    def no_fork():
        raise AssertionError("the engine forked a process")

    monkeypatch.setattr(os, "fork", no_fork)
    series = {n: seasonal(22, trend=0.1 * n) for n in range(120)}
    answers = forecasting.forecast_many(series, season_length=1, horizon=4)
    assert sum(isinstance(a, forecasting.Outcome) for a in answers.values()) == 120


def test_a_run_past_its_time_limit_is_ended_failed_with_the_reason(client, settings, users, make_signal, monkeypatch):
    from kenes.threats.tasks import run_forecasts

    settings.KENES_TASK_TIME_LIMITS = {"default": 60, "forecasts": 0.3}
    fill(make_signal(), seasonal(72))

    def slow(*args, **kwargs):
        time.sleep(5)

    monkeypatch.setattr(forecasting, "forecast_many", slow)
    run = ForecastRun.objects.create(started_by=users["analyst"], horizon=12)
    started = time.monotonic()
    result = run_forecasts.enqueue(run.pk)
    assert time.monotonic() - started < 3
    assert result.status == "FAILED"
    assert result.errors[0].exception_class_path == "kenes.core.tasks.TimeLimitExceeded"
    assert "time limit of 0.3 s" in result.errors[0].traceback
    run.refresh_from_db()
    assert (run.status, run.reason) == (RunStatus.FAILED, RunReason.TIME_LIMIT)
    assert run.finished_at is not None
    client.force_login(users["analyst"])
    page = client.get(reverse("threats:run-detail", args=[run.pk])).content.decode()
    assert "The run went past its time limit and was stopped." in page


def test_a_run_whose_worker_died_is_shown_interrupted(client, settings, users):
    settings.KENES_TASK_TIME_LIMITS = {"default": 60, "forecasts": 600}
    long_ago = timezone.now() - dt.timedelta(seconds=600 + 120)
    dead = ForecastRun.objects.create(started_by=users["analyst"], horizon=12, status=RunStatus.RUNNING)
    ForecastRun.objects.filter(pk=dead.pk).update(started_at=long_ago, created_at=long_ago)
    alive = ForecastRun.objects.create(
        started_by=users["analyst"], horizon=12, status=RunStatus.RUNNING, started_at=timezone.now()
    )
    client.force_login(users["analyst"])
    page = client.get(reverse("threats:run-detail", args=[dead.pk])).content.decode()
    assert "The run was interrupted: its worker stopped before it ended." in page
    dead.refresh_from_db()
    assert (dead.status, dead.reason) == (RunStatus.FAILED, RunReason.INTERRUPTED)
    client.get(reverse("threats:run-list"))
    alive.refresh_from_db()
    assert alive.status == RunStatus.RUNNING


def test_a_queued_run_says_since_when_it_waits_for_the_worker_after_a_minute(client, users):
    waiting = ForecastRun.objects.create(started_by=users["analyst"], horizon=12)
    fresh = ForecastRun.objects.create(started_by=users["analyst"], horizon=12)
    queued_at = timezone.now() - dt.timedelta(seconds=90)
    ForecastRun.objects.filter(pk=waiting.pk).update(created_at=queued_at)
    client.force_login(users["analyst"])
    page = client.get(reverse("threats:run-detail", args=[waiting.pk])).content.decode()
    since = timezone.localtime(queued_at).strftime("%Y-%m-%d %H:%M")
    assert f"Waiting for the worker since {since}." in page
    assert "Waiting for the worker" not in client.get(reverse("threats:run-detail", args=[fresh.pk])).content.decode()
    assert f"Waiting for the worker since {since}." in client.get(reverse("threats:run-list")).content.decode()


def test_an_analyst_sees_the_daily_runs_without_their_counts(client, users):
    system = ForecastRun.objects.create(
        horizon=12, status=RunStatus.DONE, total=4321, processed=4321, forecast=3987, skipped=334
    )
    others = ForecastRun.objects.create(started_by=users["chair"], horizon=12, total=777, processed=5)
    client.force_login(users["analyst"])
    listing = client.get(reverse("threats:run-list"))
    assert [run.pk for run in listing.context["runs"]] == [system.pk]
    detail = client.get(reverse("threats:run-detail", args=[system.pk]))
    assert detail.status_code == 200
    for page in (listing.content.decode(), detail.content.decode()):
        assert "Done" in page
        for count in ("4321", "3987", "334"):
            assert count not in page
    assert client.get(reverse("threats:run-detail", args=[others.pk])).status_code == 404
    client.force_login(users["secretary"])  # cleared to the highest level: the counts too
    assert "4321" in client.get(reverse("threats:run-detail", args=[system.pk])).content.decode()


def test_the_secretary_cancels_a_run_audited_and_no_one_else_may(client, users):
    run = ForecastRun.objects.create(horizon=12, status=RunStatus.RUNNING, started_at=timezone.now())
    url = reverse("threats:run-cancel", args=[run.pk])
    client.force_login(users["analyst"])
    page = client.get(reverse("threats:run-detail", args=[run.pk])).content.decode()
    assert url not in page
    assert client.post(url).status_code == 403
    client.force_login(users["liaison"])
    assert client.post(url).status_code == 404
    analysts_run = ForecastRun.objects.create(started_by=users["analyst"], horizon=12)
    client.force_login(users["secretary"])
    assert client.post(reverse("threats:run-cancel", args=[analysts_run.pk])).status_code == 404
    assert url in client.get(reverse("threats:run-detail", args=[run.pk])).content.decode()
    assert client.post(url).status_code == 302
    run.refresh_from_db()
    assert (run.status, run.reason, run.cancelled_by) == (RunStatus.CANCELLED, RunReason.CANCELLED, users["secretary"])
    event = AuditEvent.objects.get(object_type="threats.forecastrun", object_id=str(run.pk))
    assert (event.actor, event.changes) == (users["secretary"], {"status": ["running", "cancelled"]})
    page = client.get(reverse("threats:run-detail", args=[run.pk])).content.decode()
    assert "The run was cancelled." in page
    client.post(url)  # a run that has ended is not cancelled again
    assert AuditEvent.objects.filter(object_type="threats.forecastrun").count() == 1
    analysts_run.refresh_from_db()
    assert analysts_run.status == RunStatus.QUEUED


def test_a_cancelled_run_stops_at_its_next_checkpoint(users, make_signal):
    for n in range(3):
        fill(make_signal(code=f"s{n}"), seasonal(72))
    run = ForecastRun.objects.create(horizon=12)
    seen = []

    def cancel_at_first_report(done, total):
        seen.append(done)
        if len(seen) == 1:
            services.cancel_run(ForecastRun.objects.get(pk=run.pk), actor=users["secretary"])

    run = services.execute_run(run, progress=cancel_at_first_report)
    assert run.status == RunStatus.CANCELLED
    assert seen == [0]
    assert not Forecast.objects.exists()


def test_a_run_cancelled_while_queued_is_never_started(users, make_signal):
    fill(make_signal(), seasonal(72))
    run = services.start_run(actor=None)
    services.cancel_run(run, actor=users["secretary"])
    run = services.execute_run(run)
    assert (run.status, run.started_at) == (RunStatus.CANCELLED, None)
    assert not Forecast.objects.exists()
    with pytest.raises(Exception, match="already ended"):
        services.cancel_run(run, actor=users["secretary"])


def test_only_the_secretary_may_call_the_cancel_service(users):
    from django.core.exceptions import PermissionDenied

    run = ForecastRun.objects.create(horizon=12)
    for role in ("chair", "analyst", "admin"):
        with pytest.raises(PermissionDenied):
            services.cancel_run(run, actor=users[role])
    assert ForecastRun.objects.get(pk=run.pk).status == RunStatus.QUEUED
    assert not AuditEvent.objects.filter(object_type="threats.forecastrun").exists()
