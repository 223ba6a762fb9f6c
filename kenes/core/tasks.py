"""Background tasks of the security core, and what every background task of Kenes shares.

Every task is declared with :func:`background`: it names its queue and runs under a time limit.
Short work (imports, e-mails, the daily control job) goes on the ``default`` queue; long work
(forecasts) on ``forecasts``, served by a worker process of its own (``manage.py db_worker
--queue-name forecasts``), so an hour of forecasting never keeps an import waiting.

A task past its limit is stopped: :class:`TimeLimitExceeded` is raised inside it (by ``SIGALRM`` in
the worker's main thread, or asynchronously in another thread), the worker marks the task failed with
that reason, and the records the task was working on (an import, a forecast run) say so.
"""

from __future__ import annotations

import ctypes
import functools
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from kenes.core.models import Notification
from kenes.core.notifications import email_text

DEFAULT_QUEUE = "default"
FORECASTS_QUEUE = "forecasts"
QUEUES = (DEFAULT_QUEUE, FORECASTS_QUEUE)

F = TypeVar("F", bound=Callable[..., Any])


class TimeLimitExceeded(SystemExit):
    """A task ran past its time limit and was stopped.

    A ``SystemExit`` (so a ``BaseException``): no ``except Exception`` on the way (a library's fallback, an
    import's error report) swallows it; it reaches the task's own handling and then the worker, which
    catches every ``BaseException`` of a task and marks it failed. And psycopg, interrupted by it in the
    middle of a query, cancels that query on the server, as it does on Ctrl-C: the connection stays usable
    for the handlers that mark the import or the forecast run failed."""

    def __init__(self, name: str = "", seconds: float = 0) -> None:
        self.name, self.seconds = name, seconds
        super().__init__(f"The task {name or '(unknown)'} ran past its time limit of {seconds:g} s and was stopped.")


def time_limit(queue_name: str) -> float:
    """The time limit, in seconds, of the tasks of a queue (``KENES_TASK_TIME_LIMITS``)."""
    return float(settings.KENES_TASK_TIME_LIMITS[queue_name])


@contextmanager
def watchdog(seconds: float, name: str) -> Iterator[None]:
    """Run the body for at most ``seconds``; past that, :class:`TimeLimitExceeded` is raised in it.

    In the main thread (the worker's, run with ``--no-reload``) a ``SIGALRM`` timer does it: it
    interrupts sleeps, database queries (cancelled on the server) and waits for child processes too.
    A watchdog inside another one (a task run at once by another, as in tests) keeps the outer deadline.
    In any other thread a timer thread raises the exception asynchronously, at the task's next Python
    instruction."""
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        yield from _alarm(seconds, name)
    else:
        yield from _async(seconds, name)


def _alarm(seconds: float, name: str) -> Iterator[None]:
    outer, _interval = signal.getitimer(signal.ITIMER_REAL)
    limit = min(seconds, outer) if outer else seconds

    def expire(_signum: int, _frame: Any) -> None:
        raise TimeLimitExceeded(name, seconds if not outer or seconds <= outer else outer)

    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer:  # the outer watchdog's deadline goes on (at once if it has passed)
            signal.setitimer(signal.ITIMER_REAL, max(outer - (time.monotonic() - started), 0.001))


def _async(seconds: float, name: str) -> Iterator[None]:
    target = threading.get_ident()
    lock = threading.Lock()
    finished = False

    class Expired(TimeLimitExceeded):  # raised by its class alone: it carries the task's name and limit
        def __init__(self) -> None:
            super().__init__(name, seconds)

    Expired.__name__ = Expired.__qualname__ = TimeLimitExceeded.__qualname__

    def expire() -> None:
        with lock:
            if not finished:
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), ctypes.py_object(Expired))

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            finished = True
        timer.cancel()


def background(*, queue_name: str = DEFAULT_QUEUE, seconds: float | None = None) -> Callable[[F], Any]:
    """Declare a background task on ``queue_name``, run under a time limit: ``seconds``, or the
    queue's (``KENES_TASK_TIME_LIMITS``), read when the task runs."""

    def decorate(function: F) -> Any:
        name = f"{function.__module__}.{function.__qualname__}"

        @functools.wraps(function)
        def limited(*args: Any, **kwargs: Any) -> Any:
            with watchdog(seconds or time_limit(queue_name), name):
                return function(*args, **kwargs)

        return task(queue_name=queue_name)(limited)

    return decorate


@background()
def send_notification_email(notification_id: int) -> bool:
    """E-mail one notification, once: a notification already e-mailed is not sent again."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update().select_related("user").filter(pk=notification_id).first()
        )
        if notification is None or notification.emailed_at is not None or not notification.user.email:
            return False
        subject, body = email_text(notification)
        send_mail(subject, body, None, [notification.user.email])
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True


@background()
def run_import(job_id: int) -> str:
    """Run one uploaded import (see ``kenes.core.imports``)."""
    from kenes.core import imports

    return imports.run(job_id)


@background()
def anchor_audit_head() -> int:
    """The daily anchor of the audit chain's head, outside the database (see ``audit.anchor_head``)."""
    from kenes.core import audit

    return audit.anchor_head().seq
