"""Daily jobs: each app registers a task to enqueue once a day (Asia/Almaty), and ``manage.py
run_schedule`` enqueues it. The ``ScheduledRun`` row makes it once a day even with several schedulers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from kenes.core.models import ScheduledRun


@dataclass(frozen=True)
class DailyJob:
    name: str
    task: Any
    at: dt.time = dt.time(0, 5)


_jobs: list[DailyJob] = []


def register(job: DailyJob) -> None:
    if all(j.name != job.name for j in _jobs):
        _jobs.append(job)


def jobs() -> list[DailyJob]:
    return list(_jobs)


def tick(now: dt.datetime | None = None) -> list[str]:
    """Enqueue every job whose time has come today and that has not been enqueued today.

    The claim of the day and the enqueued task are one transaction (the task queue lives in the same
    database), so a job is neither lost when enqueueing fails nor enqueued twice by two schedulers."""
    local = timezone.localtime(now or timezone.now())
    started = []
    for job in _jobs:
        if local.time() < job.at:
            continue
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(name=job.name, day=local.date())
                job.task.enqueue()
        except IntegrityError:
            continue
        started.append(job.name)
    return started
