"""Giving an instruction, changing its controller, and taking it off control."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kenes.accounts.models import Role, User
from kenes.control import workdays
from kenes.control.choices import URGENCY_WORKING_DAYS, DeadlineChangeKind, InstructionStatus, Periodicity, Urgency
from kenes.control.models import Instruction, InstructionExecutor
from kenes.control.services.deadlines import (
    asked_due_date,
    first_period,
    period_asked_date,
    record_deadline,
    today,
)
from kenes.control.services.notices import notify_executors
from kenes.control.services.roles import (
    FINISHED_STATUSES,
    default_controller,
    ensure_may_control,
    may_assign_controller,
    may_issue,
)
from kenes.core import policy, sequences
from kenes.core.classification import Classification
from kenes.core.exceptions import Conflict
from kenes.core.notifications import notify
from kenes.core.services import service
from kenes.council import services as council_services

if TYPE_CHECKING:
    from kenes.council.models import Decision
    from kenes.directory.models import Organization


def locked(instruction: Instruction) -> Instruction:
    """The instruction read again under a lock, for a change of its status, due date or controller."""
    return Instruction.objects.select_for_update().select_related("lead_executor").get(pk=instruction.pk)


@service(named="issue")
def issue_instruction(
    *,
    actor: User,
    text: str,
    lead_executor: Organization,
    controller: User | None = None,
    co_executors: Iterable[Organization] = (),
    decision: Decision | None = None,
    urgency: str = Urgency.ORDINARY,
    due_date: dt.date | None = None,
    periodicity: str = Periodicity.NONE,
    report_day: int | None = None,
    period_end: dt.date | None = None,
    classification: int | None = None,
    subject: models.Model | None = None,
    issued_on: dt.date | None = None,
) -> Instruction:
    """Give an instruction to a lead executor (and co-executors), under a controller of the apparatus.

    The chairman or the secretary gives it, directly or by an adopted decision; it is classified at
    least as high as the decision and as what it is aimed at (``subject``: an indicator, a threat, a
    countermeasure...), and at least ``official`` when nothing is asked. Without a ``controller`` the
    author controls it, if his role may (:func:`default_controller`). Periodic instructions report by
    ``report_day`` of the month after each period until ``period_end``.

    Urgency and reporting must agree (:func:`ensure_urgency_agrees`): an urgent instruction (very
    urgent, urgent, operational) is a one-off, due N working days after issue, and reports once; only
    an ordinary instruction reports periodically. Both together are refused (422, naming ``urgency``
    and ``periodicity``), never one silently overriding the other. A due date asked for on a day off
    moves to the working day before it, and the change of deadline keeps the date asked for."""
    policy.ensure(may_issue(actor), _("Only the chairman, the secretary or a controller gives instructions."))
    decision, subject = _sources_locked(decision, subject)
    if not text.strip():
        raise ValidationError({"text": _("Write what is to be done.")})
    sources = [decision, subject]
    level = policy.resolve_level(actor, classification, default=default_level(*sources), sources=sources)
    controller = controller if controller is not None else default_controller(actor, level)
    ensure_may_control(controller, level)
    instruction = Instruction(
        decision=decision,
        text=text,
        lead_executor=lead_executor,
        controller=controller,
        issued_by=actor,
        issued_on=issued_on or today(),
        urgency=urgency,
        periodicity=periodicity,
        classification=level,
    )
    asked = _schedule(instruction, due_date=due_date, report_day=report_day, period_end=period_end)
    if subject is not None:
        instruction.subject_type = ContentType.objects.get_for_model(subject)
        instruction.subject_id = subject.pk
    _register(instruction, co_executors, actor=actor, asked=asked)
    if decision is not None:
        council_services.start_execution(decision)
    return instruction


def default_level(*sources: models.Model | None) -> int:
    """The level of an instruction when none is asked: the high-water mark of its sources (the decision,
    the subject), and at least ``official``."""
    return max(policy.high_water_mark(sources), Classification.OFFICIAL)


def _sources_locked(
    decision: Decision | None, subject: models.Model | None
) -> tuple[Decision | None, models.Model | None]:
    """The decision and the subject an instruction derives its level from, read again under a lock: a
    concurrent raise of either waits for the instruction, or the instruction waits for the raise and
    reads the new level. Instructions are given only by a decision that may give them (422)."""
    if decision is not None:
        decision = type(decision)._default_manager.select_for_update().get(pk=decision.pk)
    if subject is not None:
        subject = type(subject)._default_manager.select_for_update().get(pk=subject.pk)
    if decision is not None and not council_services.gives_instructions(decision):
        raise ValidationError({"decision": _("Instructions are given by an adopted decision.")})
    return decision, subject


def ensure_urgency_agrees(urgency: str, periodicity: str) -> None:
    """Refuse an urgent instruction with periodic reporting (422 naming both fields).

    The urgency of an urgent, very urgent or operational instruction *is* its due date: N working days
    after issue, one report. Periodic reporting sets the due dates by its periods instead (the first one
    weeks away), so the two cannot both hold: the controller chooses ``ordinary`` urgency for periodic
    reporting, or reporting ``once`` for an urgent instruction."""
    if urgency in URGENCY_WORKING_DAYS and periodicity != Periodicity.NONE:
        names = {"ordinary": Urgency.ORDINARY.label, "once": Periodicity.NONE.label}
        raise ValidationError(
            {
                "urgency": _(
                    "An urgent instruction is due in working days and reports once: "
                    "choose “%(ordinary)s” for periodic reporting."
                )
                % names,
                "periodicity": _(
                    "Periodic reporting is for ordinary instructions: choose “%(once)s” for an urgent instruction."
                )
                % names,
            }
        )


def _schedule(
    instruction: Instruction, *, due_date: dt.date | None, report_day: int | None, period_end: dt.date | None
) -> dt.date:
    """Set the due date of a new instruction: its first period's for a periodic one (reporting by
    ``report_day`` until ``period_end``), else the one its urgency gives (:func:`due_date_for`); a
    date on a day off moves to the working day before. Returns the date asked for, before that move."""
    issued_on = instruction.issued_on
    ensure_urgency_agrees(instruction.urgency, instruction.periodicity)
    if instruction.periodicity == Periodicity.NONE:
        asked = asked_due_date(instruction.urgency, issued_on, due_date)
        instruction.due_date = workdays.previous_working_day(asked)
        return asked
    if report_day is None or not 1 <= report_day <= 28:
        raise ValidationError({"report_day": _("Give the day of the month (1–28) by which reports are due.")})
    if period_end is None or period_end <= issued_on:
        raise ValidationError({"period_end": _("Periodic reporting needs an end date after the day of issue.")})
    instruction.report_day = report_day
    instruction.period_end = period_end
    instruction.period_start = first_period(instruction.periodicity, issued_on)
    asked = period_asked_date(instruction.periodicity, instruction.period_start, report_day)
    instruction.due_date = workdays.previous_working_day(asked)
    return asked


def _next_number(issued_on: dt.date) -> str:
    return f"{sequences.take('instruction', issued_on.year)}/{issued_on.year}-И"


def _register(instruction: Instruction, co_executors: Iterable[Organization], *, actor: User, asked: dt.date) -> None:
    """Number and save a new instruction with its executors (the lead, then each co-executor once, never
    the lead again) and its first due date, and tell the executors' liaison officers."""
    instruction.number = _next_number(instruction.issued_on)
    instruction.full_clean(exclude=["co_executors"])
    instruction.save()
    lead = instruction.lead_executor
    InstructionExecutor.objects.create(instruction=instruction, organization=lead, is_lead=True)
    for body in {b.pk: b for b in co_executors if b.pk != lead.pk}.values():
        InstructionExecutor.objects.create(instruction=instruction, organization=body, is_lead=False)
    record_deadline(instruction, DeadlineChangeKind.SET, None, "", actor, asked=asked)
    notify_executors(
        instruction,
        key=f"issued:{instruction.pk}",
        kind="issued",
        code="control.instruction_issued",
    )


@service(named="assign")
def assign_controller(instruction: Instruction, controller: User, *, actor: User) -> Instruction:
    """Put an instruction under another controller (the secretary or the chairman), one cleared to
    its level; the new controller is told. Naming the present controller changes nothing."""
    policy.ensure(
        may_assign_controller(actor), _("Only the secretary or the chairman changes the controller of an instruction.")
    )
    instruction = locked(instruction)
    if instruction.status in FINISHED_STATUSES:
        raise Conflict(_("This instruction is closed."))
    if instruction.controller_id == controller.pk:
        return instruction
    ensure_may_control(controller, instruction.classification)
    instruction.controller = controller
    instruction.save()
    notify(
        controller,
        key=f"controller:{instruction.pk}:{controller.pk}:{timezone.now().isoformat()}",
        kind="controller",
        url=reverse("control:instruction-detail", args=[instruction.pk]),
        about=instruction,
        code="control.controller_assigned",
        params={"number": instruction.number},
    )
    return instruction


@service(named="withdraw")
def withdraw(instruction: Instruction, *, actor: User, reason: str) -> Instruction:
    """Take an instruction off control (the secretary, with a reason)."""
    policy.ensure(
        policy.is_reader(actor) and actor.role == Role.SECRETARY, _("Only the secretary withdraws instructions.")
    )
    instruction = locked(instruction)
    if instruction.status in FINISHED_STATUSES:
        raise Conflict(_("This instruction is closed."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    instruction.status = InstructionStatus.WITHDRAWN
    instruction.withdrawn_reason = reason
    instruction.save()
    return instruction
