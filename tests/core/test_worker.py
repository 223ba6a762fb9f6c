"""The real task workers (``manage.py db_worker``, as ``make run`` starts them) on the test database:
a forecast batch over 200 signals never stalls them, an import queued behind it ends first, and a
task past its time limit is stopped and failed."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kenes.core import audit, imports, periods
from kenes.core.models import ImportJob
from kenes.core.tasks import QUEUES
from kenes.threats import services
from kenes.threats.models import Forecast, Observation, Signal
from tests.testapp.tasks import nap_past_a_second
from tests.threats.conftest import seasonal

ROOT = Path(__file__).resolve().parents[2]
SIGNALS = 200


def database_url() -> str:
    """The test database (not the one the settings name) as a DATABASE_URL for the worker processes."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    credentials = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else "")
    return f"postgres://{credentials}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def start_worker(queue: str, **env: str) -> subprocess.Popen:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "KENES_TEST_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "DATABASE_URL": database_url(),
        "PYTHONUNBUFFERED": "1",
        "KENES_TEST_REPORT_FORKS": "1",
        **env,
    }
    command = [sys.executable, "manage.py", "db_worker", "--queue-name", queue, "--batch"]
    command += ["--no-reload", "--no-startup-delay", "--interval", "0.2", "-v", "2"]
    return subprocess.Popen(
        command, cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def finish(worker: subprocess.Popen, bound: float) -> str:
    try:
        output, _ = worker.communicate(timeout=bound)
    except subprocess.TimeoutExpired:
        worker.kill()
        output, _ = worker.communicate()
        pytest.fail(f"the worker did not finish within {bound} s:\n{output[-3000:]}")
    assert worker.returncode == 0, output[-3000:]
    return output


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": list(QUEUES)}}
    settings.MEDIA_ROOT = django_settings.VAR_DIR / "media"  # where the workers' settings keep uploads


def annual_signals(users) -> list[Signal]:
    """200 short annual series: the cheapest the engine forecasts (22 points, horizon 8)."""
    signals = [
        services.create_signal(
            actor=users["analyst"], name=f"Signal {n}", unit="cases", code=f"w{n}", frequency="annual"
        )
        for n in range(SIGNALS)
    ]
    start = timezone.localdate().replace(year=2000, month=1, day=1)
    with transaction.atomic(), audit.bulk(Observation, action="create", classification=0):
        Observation.objects.bulk_create(
            Observation(signal=signal, period=periods.shift(start, "annual", k), value=value)
            for n, signal in enumerate(signals)
            for k, value in enumerate(seasonal(22, trend=0.2 + n / 100))
        )
    return signals


@pytest.mark.django_db(transaction=True)
def test_a_forecast_batch_over_200_signals_never_stalls_the_workers(users, database_tasks):
    """Queued in this order: a forecast batch over 200 signals, a task that goes past its time limit,
    an import. Both workers (as ``make run`` starts them) end every task; the import ends while the
    forecasts are still going, and the task past its limit is stopped after a second and failed."""
    from kenes.threats.tasks import forecast_batch

    signals = annual_signals(users)
    forecasts = forecast_batch.enqueue([s.pk for s in signals])
    stuck = nap_past_a_second.enqueue(600)
    services.create_signal(actor=users["analyst"], name="Imported", unit="cases", code="imported")
    csv = "signal,period,value\n" + "".join(f"imported,2026-0{k + 1}-01,{k}\n" for k in range(5))
    job = imports.start("threats.observations", csv.encode(), filename="late.csv", actor=users["analyst"])
    workers = {queue: start_worker(queue) for queue in QUEUES}
    outputs = [finish(workers["default"], bound=180), finish(workers["forecasts"], bound=400)]
    # A process pool forked inside the worker hung it (see threats.forecasting): no worker forks.
    assert not any("the worker forked" in output for output in outputs)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, job.errors
    result = DBTaskResult.objects.get(pk=forecasts.id)
    assert result.status == "SUCCESSFUL", result.traceback
    assert result.return_value == {"forecast": SIGNALS, "skipped": 0}
    assert Forecast.objects.values("signal").distinct().count() == SIGNALS
    # Long work never blocks short work: the import ended while the forecasts were still going.
    assert job.finished_at < result.finished_at

    stopped = DBTaskResult.objects.get(pk=stuck.id)
    assert stopped.status == "FAILED"
    assert stopped.exception_class_path == "kenes.core.tasks.TimeLimitExceeded"
    assert "ran past its time limit of 1 s" in stopped.traceback
    assert (stopped.finished_at - stopped.started_at).total_seconds() < 10
