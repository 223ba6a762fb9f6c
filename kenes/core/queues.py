"""What the pages say about the background queues: how long a job has been waiting for the worker,
and how old each queue's oldest waiting and running task is (the administrator's dashboard)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Min
from django.utils import timezone

from kenes.core import policy


def may_watch(user: Any) -> bool:
    """The queues' ages are the administrator's to watch (he keeps the workers running); they hold
    queue names, counts and times only, nothing classified."""
    return policy.is_reader(user) and getattr(user, "role", "") == "administrator"


def waiting_since(queued_at: dt.datetime | None) -> dt.datetime | None:
    """``queued_at`` if a job queued then is still waiting after ``KENES_TASK_WAITING_SECONDS``
    (a minute): long enough that its page says it is waiting for the worker, and since when."""
    if queued_at is None:
        return None
    limit = timezone.now() - dt.timedelta(seconds=settings.KENES_TASK_WAITING_SECONDS)
    return queued_at if queued_at <= limit else None


@dataclass(frozen=True)
class QueueAge:
    name: str
    waiting: int
    oldest_waiting: dt.datetime | None
    running: int
    oldest_running: dt.datetime | None

    @property
    def stalled(self) -> bool:
        """Its oldest task has waited longer than the threshold of the pages."""
        return waiting_since(self.oldest_waiting) is not None


def queue_ages() -> list[QueueAge]:
    """Per queue of the database backend: the tasks waiting and running, and the oldest of each."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from kenes.core.tasks import QUEUES

    rows = {
        (row["queue_name"], row["status"]): row
        for row in DBTaskResult.objects.filter(status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING])
        .order_by()
        .values("queue_name", "status")
        .annotate(count=Count("id"), enqueued=Min("enqueued_at"), started=Min("started_at"))
    }
    names = list(QUEUES) + sorted({name for name, _status in rows} - set(QUEUES))
    ages = []
    for name in names:
        ready = rows.get((name, TaskResultStatus.READY), {})
        running = rows.get((name, TaskResultStatus.RUNNING), {})
        ages.append(
            QueueAge(
                name=name,
                waiting=ready.get("count", 0),
                oldest_waiting=ready.get("enqueued"),
                running=running.get("count", 0),
                oldest_running=running.get("started"),
            )
        )
    return ages
