"""Time: asking for more of it and the secretary's decision, marking overdue what is late, and the
reminders before a due date."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kenes.accounts.models import Role, User
from kenes.control import workdays
from kenes.control.choices import ACTIVE_STATUSES, OPEN_STATUSES, DeadlineChangeKind, ExtensionStatus, InstructionStatus
from kenes.control.models import ExtensionRequest, Instruction
from kenes.control.services.deadlines import record_deadline, today
from kenes.control.services.instructions import locked
from kenes.control.services.notices import notify_executors
from kenes.control.services.roles import is_lead_liaison, may_review
from kenes.core import context, policy
from kenes.core.exceptions import Conflict
from kenes.core.notifications import notify
from kenes.core.services import service

REMINDER_DAYS = (7, 3, 1)


@service(named="request")
def request_extension(instruction: Instruction, *, actor: User, due_date: dt.date, reason: str) -> ExtensionRequest:
    """The lead executor's liaison (or the controller) asks to move the due date, giving a reason."""
    instruction = locked(instruction)
    policy.ensure(
        is_lead_liaison(actor, instruction) or may_review(actor, instruction),
        _("Only the lead executor or the controller asks for more time."),
    )
    if instruction.status not in ACTIVE_STATUSES:
        raise Conflict(_("This instruction is closed."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    if due_date <= instruction.due_date:
        raise ValidationError({"due_date": _("The new due date must be after the current one.")})
    if instruction.extension_requests.filter(status=ExtensionStatus.PENDING).exists():
        raise Conflict(_("A request is already waiting for the secretary."))
    return ExtensionRequest.objects.create(
        instruction=instruction, requested_due_date=due_date, reason=reason, requested_by=actor
    )


@service(named="decide")
def decide_extension(request: ExtensionRequest, *, actor: User, approve: bool, comment: str = "") -> ExtensionRequest:
    """The secretary approves (the due date moves, and the change is kept) or refuses a request."""
    policy.ensure(
        policy.is_reader(actor) and actor.role == Role.SECRETARY, _("Only the secretary decides on extensions.")
    )
    request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
    instruction = locked(request.instruction)
    if request.status != ExtensionStatus.PENDING:
        raise Conflict(_("This request has already been decided."))
    request.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
    request.decided_by, request.decided_at, request.comment = actor, timezone.now(), comment
    with context.naming("approve" if approve else "refuse"):
        request.save()
        if approve:
            _extend(instruction, request, actor)
    return request


def _extend(instruction: Instruction, request: ExtensionRequest, actor: User) -> None:
    """Move the due date as an approved request asks (to a working day), keeping the change; an
    overdue instruction is running again if the new date is still ahead."""
    if instruction.status not in ACTIVE_STATUSES:
        raise Conflict(_("This instruction is closed."))
    old = instruction.due_date
    instruction.due_date = workdays.previous_working_day(request.requested_due_date)
    if instruction.status == InstructionStatus.OVERDUE and instruction.due_date >= today():
        instruction.status = InstructionStatus.ASSIGNED
    instruction.save()
    record_deadline(
        instruction, DeadlineChangeKind.EXTENSION, old, request.reason, actor, asked=request.requested_due_date
    )


def mark_overdue(on: dt.date | None = None) -> int:
    """Mark ``overdue`` every open instruction whose due date has passed (the day after it, in Almaty
    time), notifying its executors once. Returns how many were marked. Run daily by the scheduler."""
    on = on or today()
    marked = 0
    late = Instruction.objects.filter(
        status__in=(InstructionStatus.ASSIGNED, InstructionStatus.RETURNED), due_date__lt=on
    )
    for pk in late.values_list("pk", flat=True).iterator():
        marked += _mark_one_overdue(pk, on, actor=None)
    return marked


@service(named="mark_overdue")
def _mark_one_overdue(pk: int, on: dt.date, *, actor: User | None) -> int:
    instruction = Instruction.objects.select_for_update().get(pk=pk)
    if instruction.status not in (InstructionStatus.ASSIGNED, InstructionStatus.RETURNED) or instruction.due_date >= on:
        return 0
    instruction.status = InstructionStatus.OVERDUE
    instruction.save(update_fields=["status", "updated_at"])
    notify_executors(
        instruction,
        key=f"overdue:{instruction.pk}:{instruction.due_date}",
        kind="overdue",
        code="control.instruction_overdue",
    )
    notify(
        instruction.controller,
        key=f"overdue:{instruction.pk}:{instruction.due_date}",
        kind="overdue",
        url=reverse("control:instruction-detail", args=[instruction.pk]),
        about=instruction,
        code="control.instruction_overdue",
        params={"number": instruction.number},
    )
    return 1


def send_reminders(on: dt.date | None = None) -> int:
    """Remind executors 7, 3 and 1 days before a due date; each reminder once. Returns how many were sent."""
    on = on or today()
    days = {on + dt.timedelta(days=n): n for n in REMINDER_DAYS}
    sent = 0
    due = Instruction.objects.filter(status__in=OPEN_STATUSES, due_date__in=list(days)).select_related("lead_executor")
    for instruction in due.iterator():
        n = days[instruction.due_date]
        sent += notify_executors(
            instruction,
            key=f"reminder:{instruction.pk}:{instruction.due_date}:{n}",
            kind="reminder",
            code="control.instruction_reminder",
            params={"days": n},
        )
    return sent
