"""Every background task has a queue and a time limit; stuck work shows (imports, the queues' age)."""

import datetime as dt
import importlib
import pkgutil
import threading
import time

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import Task

import kenes
from kenes.core import imports
from kenes.core.models import ImportJob
from kenes.core.tasks import QUEUES, TimeLimitExceeded, watchdog
from tests.testapp.tasks import nap


def all_tasks() -> dict[str, Task]:
    found = {}
    for module in pkgutil.walk_packages(kenes.__path__, "kenes."):
        if module.name.endswith(".tasks"):
            for name, value in vars(importlib.import_module(module.name)).items():
                if isinstance(value, Task):
                    found[f"{module.name}.{name}"] = value
    return found


def test_every_task_has_a_queue_and_a_time_limit_and_forecasts_have_their_own_queue():
    tasks = all_tasks()
    assert len(tasks) >= 7
    for name, task in tasks.items():
        assert task.queue_name in QUEUES, name
        assert getattr(task.func, "__wrapped__", None) is not None, f"{name} is not declared with background()"
    forecasts = {name for name, task in tasks.items() if task.queue_name == "forecasts"}
    assert forecasts == {
        "kenes.threats.tasks.forecast_batch",
        "kenes.threats.tasks.run_forecasts",
        "kenes.threats.tasks.daily_forecasts",
        "kenes.strategy.tasks.refresh_forecasts",
    }


def test_a_task_past_its_time_limit_is_stopped_and_failed_with_the_reason(settings):
    settings.KENES_TASK_TIME_LIMITS = {"default": 0.2, "forecasts": 60}
    started = time.monotonic()
    result = nap.enqueue(10)
    assert time.monotonic() - started < 2
    assert result.status == "FAILED"
    assert result.errors[0].exception_class_path == "kenes.core.tasks.TimeLimitExceeded"
    assert "tests.testapp.tasks.nap ran past its time limit of 0.2 s" in result.errors[0].traceback
    assert nap.enqueue(0.05).return_value == "rested"


def test_the_watchdog_stops_work_in_another_thread_too():
    caught = []

    def work():
        try:
            with watchdog(0.2, "in a thread"):
                for _ in range(200):
                    time.sleep(0.01)
        except TimeLimitExceeded as error:
            caught.append(str(error))

    thread = threading.Thread(target=work)
    started = time.monotonic()
    thread.start()
    thread.join(5)
    assert caught == ["The task in a thread ran past its time limit of 0.2 s and was stopped."]
    assert time.monotonic() - started < 1.5


@pytest.mark.postgres_only
def test_a_time_limit_in_the_middle_of_a_query_cancels_it_and_leaves_the_connection_usable(db):
    """psycopg cancels a query on the server only for KeyboardInterrupt or SystemExit: a time limit that
    struck during one would otherwise leave the connection busy, and the run or import unmarked."""
    from django.db import connection, transaction

    started = time.monotonic()
    with (
        pytest.raises(TimeLimitExceeded),
        transaction.atomic(),
        watchdog(0.5, "test.pg_sleep"),
        connection.cursor() as cursor,
    ):
        cursor.execute("SELECT pg_sleep(5)")
    assert time.monotonic() - started < 3
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_a_watchdog_inside_another_keeps_the_outer_deadline():
    started = time.monotonic()
    with pytest.raises(TimeLimitExceeded), watchdog(0.3, "outer"):
        with watchdog(5, "inner"):
            time.sleep(0.05)
        time.sleep(5)
    assert time.monotonic() - started < 2


def test_an_import_past_its_time_limit_is_failed_saying_so(settings, monkeypatch, users):
    settings.KENES_TASK_TIME_LIMITS = {"default": 0.2, "forecasts": 60}

    def slow(job, data, progress):
        time.sleep(5)
        return {}

    monkeypatch.setitem(imports._kinds, "tests.slow", imports.Kind(slow, lambda user: True))
    job = imports.start("tests.slow", b"a,b\n", filename="slow.csv", actor=users["analyst"])
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    from django.utils import translation

    with translation.override("en"):
        assert "time limit of 0.2 seconds" in job.errors_shown[0]["message"]
    with translation.override("ru"):
        assert "0,2" in job.errors_shown[0]["message"], "the reader's number format, a fraction kept"
    assert not job.file


def test_an_import_page_says_since_when_it_waits_for_the_worker_after_a_minute(client, users):
    waiting = ImportJob.objects.create(kind="threats.observations", owner=users["analyst"], filename="a.csv")
    fresh = ImportJob.objects.create(kind="threats.observations", owner=users["analyst"], filename="b.csv")
    queued_at = timezone.now() - dt.timedelta(minutes=2)
    ImportJob.objects.filter(pk=waiting.pk).update(created_at=queued_at)
    client.force_login(users["analyst"])
    since = timezone.localtime(queued_at).strftime("%Y-%m-%d %H:%M")
    page = client.get(reverse("core:import-job", args=[waiting.pk])).content.decode()
    assert f"Waiting for the worker since {since}." in page
    assert "Waiting for the worker" not in client.get(reverse("core:import-job", args=[fresh.pk])).content.decode()
    ImportJob.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - dt.timedelta(hours=5))
    assert "Waiting for the worker since" in client.get(reverse("core:import-job", args=[waiting.pk])).content.decode()
    waiting.refresh_from_db()
    assert waiting.status == ImportJob.Status.QUEUED  # waiting for a worker is not being interrupted


def test_the_administrators_dashboard_shows_the_age_of_each_queue(client, settings, users):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": list(QUEUES)}}
    nap.enqueue(1)
    nap.enqueue(1)
    queued_at = timezone.now() - dt.timedelta(minutes=47)
    DBTaskResult.objects.update(enqueued_at=queued_at)
    client.force_login(users["admin"])
    response = client.get(reverse("core:dashboard"))
    (widget,) = [w for w in response.context["widgets"] if w["name"] == "queues"]
    ages = {queue.name: queue for queue in widget["queues"]}
    assert (ages["default"].waiting, ages["default"].oldest_waiting, ages["default"].stalled) == (2, queued_at, True)
    assert (ages["forecasts"].waiting, ages["forecasts"].oldest_waiting) == (0, None)
    page = response.content.decode()
    assert "Background queues" in page
    assert timezone.localtime(queued_at).strftime("%Y-%m-%d %H:%M") in page
    for role in ("analyst", "secretary", "auditor", "chair"):
        client.force_login(users[role])
        assert "queue-ages" not in client.get(reverse("core:dashboard")).content.decode(), role
