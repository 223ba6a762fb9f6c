"""Forecast runs: a forecast of every signal queued, run by the worker with its progress, cancelled
by the secretary, ended when its worker died."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kenes.accounts.models import Role, User
from kenes.core import audit, policy
from kenes.core.classification import Classification
from kenes.core.exceptions import Conflict
from kenes.core.models import AuditEvent
from kenes.core.services import service
from kenes.threats.choices import RunReason, RunStatus
from kenes.threats.models import (
    Forecast,
    ForecastRun,
    Signal,
)
from kenes.threats.services.common import may_edit
from kenes.threats.services.forecasts import DEFAULT_HORIZON, check_run_horizon, forecast_signals


def _run_signals(run: ForecastRun) -> QuerySet[Signal]:
    """The signals a run forecasts: a person's run only those he may read; the system's run all."""
    if run.started_by is not None:
        return Signal.objects.visible_to(run.started_by)
    return Signal.objects.all()  # policy: the system's own job; its counts are shown by ``runs_for``


def start_run(*, actor: User | None, horizon: int = DEFAULT_HORIZON) -> ForecastRun:
    """Queue a forecast of every signal the actor may read (every signal for the system, ``actor=None``);
    the worker runs it and the run's page shows its progress to whom ``runs_for`` allows."""
    from kenes.threats.tasks import run_forecasts

    if actor is not None:
        policy.ensure(may_edit(actor), _("Only the analysts, the secretary or the chairman start forecast runs."))
    check_run_horizon(horizon)
    run = ForecastRun(started_by=actor, horizon=horizon)
    run.total = _run_signals(run).count()
    run.save()
    transaction.on_commit(lambda: run_forecasts.enqueue(run.pk))
    return run


def runs_for(user: Any) -> QuerySet[ForecastRun]:
    """The forecast runs ``user`` sees: the runs he started, and the system's runs (the daily job, the
    command), whose counts he sees only if cleared to the highest level (``shows_counts``)."""
    if not policy.is_reader(user):
        return ForecastRun.objects.none()
    condition = models.Q(started_by=user) | models.Q(started_by__isnull=True)
    return (
        ForecastRun.objects.filter(condition)
        .select_related("started_by", "cancelled_by")
        .order_by("-created_at", "-pk")
    )


def shows_counts(user: Any, run: ForecastRun) -> bool:
    """Whether ``user`` sees a run's counts (signals, processed, forecast, skipped) and its message: his
    own run counts only what he may read; the system's run counts every signal, so only a reader
    cleared to the highest level sees its counts (the others see its status and times)."""
    if run.started_by_id is not None:
        return bool(run.started_by_id == user.pk)
    return bool(user.clearance >= Classification.SPECIAL_IMPORTANCE)


def cancels_runs(user: Any) -> bool:
    """The secretary cancels forecast runs (the daily one too)."""
    return policy.is_reader(user) and user.role == Role.SECRETARY


def may_cancel(user: Any, run: ForecastRun) -> bool:
    return cancels_runs(user) and not run.finished


class RunCancelled(Exception):
    """The run was cancelled (or ended by someone else) while it was going: it stops at its next checkpoint."""


@service(named="cancel")
def cancel_run(run: ForecastRun, *, actor: User) -> ForecastRun:
    """Cancel a queued or running forecast run: it is marked cancelled at once, and the worker stops it
    at its next checkpoint (every chunk of signals); forecasts are stored a frequency at a time, so those
    of the frequencies already finished are kept and the group in progress is dropped. Only the secretary
    cancels; a run that has ended is a conflict."""
    policy.ensure(cancels_runs(actor), _("Only the secretary cancels forecast runs."))
    previous = run.status
    cancelled = ForecastRun.objects.filter(pk=run.pk, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).update(
        status=RunStatus.CANCELLED,
        reason=RunReason.CANCELLED,
        cancelled_by=actor,
        finished_at=timezone.now(),
    )
    if not cancelled:
        raise Conflict(_("This forecast run has already ended."))
    audit.record(
        AuditEvent.Action.UPDATE,
        actor=actor,
        object_type="threats.forecastrun",
        object_id=str(run.pk),
        object_repr=f"forecast run {run.pk}",
        classification=Classification.PUBLIC,  # the event names the run only, none of its signals
        changes={"status": [previous, RunStatus.CANCELLED]},
    )
    run.refresh_from_db()
    return run


def interrupted_after() -> dt.timedelta:
    """A run still ``running`` this long after it started has lost its worker: the worker's time limit
    would have stopped it before, and a minute's grace."""
    from kenes.core.tasks import FORECASTS_QUEUE, time_limit

    return dt.timedelta(seconds=time_limit(FORECASTS_QUEUE) + 60)


def end_if_interrupted(run: ForecastRun) -> ForecastRun:
    """A run whose worker died never ends by itself: one still running past ``interrupted_after`` is
    ended ``failed`` as interrupted (the forecasts it stored before are kept)."""
    if run.status != RunStatus.RUNNING or (run.started_at or run.created_at) > timezone.now() - interrupted_after():
        return run
    ForecastRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(
        status=RunStatus.FAILED, reason=RunReason.INTERRUPTED, finished_at=timezone.now()
    )
    run.refresh_from_db()
    return run


def execute_run(
    run: ForecastRun,
    progress: Callable[[int, int], None] | None = None,
    signals: Sequence[Signal] | None = None,
) -> ForecastRun:
    """Forecast every signal of the run (those its starter may read; or those given) for a run, writing
    its progress as it goes (read by the page's polling). A run no longer queued (cancelled, or taken
    by another worker) is left as it is; one cancelled while it goes stops at its next checkpoint (each
    progress report); one past the worker's time limit is ended failed, saying so."""
    from kenes.core.tasks import TimeLimitExceeded

    claimed = ForecastRun.objects.filter(pk=run.pk, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        run.refresh_from_db()
        return run
    if signals is None:
        signals = list(_run_signals(run).select_related("threat").order_by("pk"))
    ForecastRun.objects.filter(pk=run.pk).update(total=len(signals))

    def step(done: int, total: int) -> None:
        if not ForecastRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(processed=done, total=total):
            raise RunCancelled
        if progress:
            progress(done, total)

    try:
        answers = forecast_signals(signals, horizon=run.horizon, progress=step, actor=run.started_by, run=run)
    except RunCancelled:
        run.refresh_from_db()
        return run
    except TimeLimitExceeded:
        ForecastRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(
            status=RunStatus.FAILED, reason=RunReason.TIME_LIMIT, finished_at=timezone.now()
        )
        raise
    except Exception as error:
        ForecastRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, message=str(error)[:2000], finished_at=timezone.now()
        )
        raise
    made = sum(isinstance(a, Forecast) for a in answers.values())
    ForecastRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(
        status=RunStatus.DONE,
        processed=len(signals),
        forecast=made,
        skipped=len(signals) - made,
        finished_at=timezone.now(),
    )
    run.refresh_from_db()
    return run
