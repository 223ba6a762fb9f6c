"""Imports in the background: the file is kept, a worker runs the module's handler, the page shows
the progress and then the result or every error by row and column.

A module registers a handler per kind of import. The handler reads the file with
``kenes.core.tabular``, validates every row (reporting progress as it goes, outside any transaction,
so the owner's page sees it move), and then writes everything in one transaction of its own service,
which audits it. It raises ``ImportRejected`` to refuse the file: the job then ends ``failed`` with
the errors and nothing is written. Any other failure is logged and shown as an internal error,
never as a half-done import.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kenes.core import context, texts
from kenes.core.models import ImportJob
from kenes.core.tabular import ImportRejected, RowError
from kenes.core.tasks import DEFAULT_QUEUE, TimeLimitExceeded, time_limit

if TYPE_CHECKING:
    from kenes.accounts.models import User

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
Handler = Callable[[ImportJob, bytes, Progress], dict[str, Any]]


@dataclass(frozen=True)
class Kind:
    handler: Handler
    may_start: Callable[[Any], bool]


_kinds: dict[str, Kind] = {}


def register(kind: str, handler: Handler, *, may_start: Callable[[Any], bool] = lambda user: True) -> None:
    """Make ``kind`` importable: ``handler(job, data, progress)`` does the work and returns a summary;
    ``may_start(user)`` is the module's rule of who may import this kind at all."""
    _kinds[kind] = Kind(handler, may_start)


def start(kind: str, data: bytes, *, filename: str, actor: User, params: dict[str, Any] | None = None) -> ImportJob:
    """Keep the file and queue its import; the worker (at once, in tests) runs the handler.

    Queued in the same transaction as the job (the queue lives in the database), so a job is never
    left without its task, nor a task without its job."""
    from kenes.core.tasks import run_import

    if kind not in _kinds:
        raise ValidationError({"kind": [_("Unknown kind of import.")]})
    if not _kinds[kind].may_start(actor):
        raise PermissionDenied(_("You may not import this."))
    limit = settings.KENES_MAX_UPLOAD_BYTES
    if len(data) > limit:
        message = _("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)}
        raise ValidationError({"file": ValidationError(message, code="too_large")})
    with transaction.atomic():
        job = ImportJob(kind=kind, owner=actor, filename=filename[:255], params=params or {})
        job.file.save("upload", ContentFile(data), save=False)
        job.save()
        run_import.enqueue(job.pk)
    return job


def job_of(user: User, job_id: int) -> ImportJob:
    """The user's own job; any other answers 404 like one that does not exist."""
    # policy: an import job is its owner's alone; no one else reads it, whatever the clearance.
    job = ImportJob.objects.filter(pk=job_id, owner=user).first() if user.is_authenticated else None
    if job is None:
        raise Http404
    return end_if_abandoned(job)


def end_if_abandoned(job: ImportJob) -> ImportJob:
    """A job whose worker died never ends by itself: one still running ``KENES_IMPORT_TIMEOUT_MINUTES``
    after it started (never sooner than the default queue's time limit and a minute) is ended ``failed``,
    saying that its outcome must be checked (its writes are one transaction, so they are either all
    there or none). A job still queued is waiting for a worker, and its page says so: it runs when one
    comes."""
    # never sooner than the worker's own time limit (and a minute's grace) would have stopped it
    waited = max(
        dt.timedelta(minutes=settings.KENES_IMPORT_TIMEOUT_MINUTES),
        dt.timedelta(seconds=time_limit(DEFAULT_QUEUE) + 60),
    )
    limit = timezone.now() - waited
    if job.status != ImportJob.Status.RUNNING or (job.started_at or job.created_at) > limit:
        return job
    message = texts.text("import.interrupted")
    ImportJob.objects.filter(pk=job.pk, status=job.status).update(
        status=ImportJob.Status.FAILED,
        errors=[RowError(0, "", message).as_dict()],
        error_total=1,
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
    return job


class _Reporter:
    """Writes the job's progress at most a few times a second, each write committed on its own."""

    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self.last = 0.0

    def __call__(self, processed: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < 0.5 and processed < total:
            return
        self.last = now
        ImportJob.objects.filter(pk=self.job.pk).update(processed=processed, total=total)
        self.job.processed, self.job.total = processed, total


def run(job_id: int) -> str:
    """Run one queued job to its end; returns its final status."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:  # gone, or another worker took it
        return "missing"
    job = ImportJob.objects.select_related("owner").get(pk=job_id)
    errors: list[RowError] = []
    error_total = 0
    result: dict[str, Any] = {}
    try:
        with job.file.open("rb") as stored:
            data = stored.read()
        # the texts written as they are (for the record, and any a handler raises) in the owner's language
        language = job.owner.preferred_language or translation.get_language()
        with context.acting_as(job.owner), translation.override(language):
            result = _kinds[job.kind].handler(job, data, _Reporter(job))
        status = ImportJob.Status.DONE
    except ImportRejected as rejected:
        errors, error_total, status = rejected.errors, rejected.total, ImportJob.Status.FAILED
    except (ValidationError, PermissionDenied) as refused:
        message = " ".join(refused.messages) if isinstance(refused, ValidationError) else str(refused)
        errors, error_total, status = [RowError(0, "", message)], 1, ImportJob.Status.FAILED
    except TimeLimitExceeded as stopped:
        # Its writes are one transaction, rolled back as the exception left it; the worker records the
        # task as failed with this exception once the job says why.
        logger.error("import job %s: %s", job.pk, stopped)
        stopped_text = texts.text("import.time_limit", seconds=stopped.seconds)
        _finish(job, ImportJob.Status.FAILED, [RowError(0, "", stopped_text)], 1, {})
        raise
    except Exception:
        logger.exception("import job %s failed", job.pk)
        errors, error_total, status = [RowError(0, "", texts.text("import.internal_error"))], 1, ImportJob.Status.FAILED
    _finish(job, status, errors, error_total, result)
    return str(status)


def _finish(job: ImportJob, status: str, errors: list[RowError], error_total: int, result: dict[str, Any]) -> None:
    job.file.delete(save=False)
    ImportJob.objects.filter(pk=job.pk).update(
        status=status,
        errors=[error.as_dict() for error in errors],
        error_total=error_total,
        result=result or {},
        finished_at=timezone.now(),
        file="",
        processed=job.total if status == ImportJob.Status.DONE else job.processed,
    )
