"""Reports on an instruction and their review: the lead executor's report, a co-executor's input,
accepting a report (the instruction is executed, or its period closes) or returning it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kenes.accounts.models import User
from kenes.control import workdays
from kenes.control.choices import DeadlineChangeKind, InstructionStatus, ReportOutcome
from kenes.control.models import ExecutionReport, Instruction
from kenes.control.services.deadlines import next_period, period_asked_date, record_deadline, today
from kenes.control.services.instructions import locked
from kenes.control.services.notices import liaisons_of, notify_executors
from kenes.control.services.roles import is_co_executor_liaison, is_lead_liaison, may_review
from kenes.core import attachments, context, policy
from kenes.core.exceptions import Conflict
from kenes.core.notifications import notify
from kenes.core.services import service


@service(named="submit")
def submit_report(instruction: Instruction, *, actor: User, text: str, files: Iterable[Any] = ()) -> ExecutionReport:
    """A report by the lead executor's liaison (the instruction becomes ``reported``), or a
    co-executor's input to the lead (the status does not change), with its files: all or nothing."""
    instruction = locked(instruction)
    lead = is_lead_liaison(actor, instruction)
    policy.ensure(
        lead or is_co_executor_liaison(actor, instruction),
        _("Only the liaison officers of the executing bodies report."),
    )
    if not text.strip():
        raise ValidationError({"text": _("The report cannot be empty.")})
    if instruction.status in (InstructionStatus.EXECUTED, InstructionStatus.WITHDRAWN):
        raise Conflict(_("This instruction is closed."))
    if lead and instruction.status == InstructionStatus.REPORTED:
        raise Conflict(_("A report is already waiting for review."))
    report = ExecutionReport.objects.create(
        instruction=instruction,
        organization=actor.organization,
        text=text,
        submitted_by=actor,
        period_start=instruction.period_start,
        classification=instruction.classification,
        outcome=ReportOutcome.PENDING if lead else ReportOutcome.INPUT,
    )
    for upload in files:
        attachments.attach_file(upload, actor=actor, owner=report)
    url = reverse("control:instruction-detail", args=[instruction.pk])
    if lead:
        instruction.status = InstructionStatus.REPORTED
        instruction.save(update_fields=["status", "updated_at"])
        notify(
            instruction.controller,
            key=f"report:{report.pk}",
            kind="report",
            url=url,
            about=report,
            code="control.report_submitted",
            params={"number": instruction.number},
        )
    else:
        for liaison in liaisons_of([instruction.lead_executor_id]):
            notify(
                liaison,
                key=f"input:{report.pk}",
                kind="input",
                url=url,
                about=report,
                code="control.input_submitted",
                params={"number": instruction.number},
            )
    return report


@service(named="review")
def review_report(
    report: ExecutionReport, *, actor: User, outcome: str, comment: str = "", on: dt.date | None = None
) -> ExecutionReport:
    """Accept a report (the instruction is executed, or its period closes) or return it with a comment
    (the executor must report again)."""
    instruction = locked(report.instruction)
    report = ExecutionReport.objects.select_for_update().get(pk=report.pk)
    policy.ensure(
        may_review(actor, instruction), _("Only the instruction's controller or the secretary reviews reports.")
    )
    if outcome not in ("accept", "return"):
        raise ValidationError({"outcome": _("Accept or return.")})
    if report.outcome != ReportOutcome.PENDING or instruction.status != InstructionStatus.REPORTED:
        raise Conflict(_("This report is not waiting for review."))
    if outcome == "return" and not comment.strip():
        raise ValidationError({"comment": _("Say why the report is returned.")})
    report.reviewed_by, report.reviewed_at, report.review_comment = actor, timezone.now(), comment
    with context.naming(outcome):  # the log says "accept" or "return", not only "review"
        if outcome == "return":
            _return(report, instruction, comment)
        else:
            report.outcome = ReportOutcome.ACCEPTED
            _close_period_or_execute(instruction, actor, on or today())
        report.save()
        instruction.save()
    return report


def _return(report: ExecutionReport, instruction: Instruction, comment: str) -> None:
    """A returned report: the executor must report again, and its liaisons are told why."""
    report.outcome = ReportOutcome.RETURNED
    instruction.status = InstructionStatus.RETURNED
    instruction.returned_count += 1
    notify_executors(
        instruction,
        key=f"returned:{report.pk}",
        kind="returned",
        lead_only=True,
        code="control.report_returned",
        body=comment,
    )


def _close_period_or_execute(instruction: Instruction, actor: User, on: dt.date) -> None:
    if instruction.is_periodic and instruction.period_start is not None and instruction.period_end is not None:
        following = next_period(instruction.periodicity, instruction.period_start)
        if following <= instruction.period_end:
            old = instruction.due_date
            instruction.period_start = following
            asked = period_asked_date(instruction.periodicity, following, instruction.report_day or 1)
            instruction.due_date = workdays.previous_working_day(asked)
            overdue = instruction.due_date < on
            instruction.status = InstructionStatus.OVERDUE if overdue else InstructionStatus.ASSIGNED
            instruction.save()
            record_deadline(instruction, DeadlineChangeKind.NEXT_PERIOD, old, "", actor, asked=asked)
            return
    instruction.status = InstructionStatus.EXECUTED
    instruction.executed_on = on
