"""Reading execution control: the instructions a user may see, filtered as pages and the API ask, the
controller's board, an instruction's reports, and the instructions aimed at a record of another module."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Prefetch, Q, QuerySet

from kenes.accounts.models import Role, User
from kenes.control.choices import OPEN_STATUSES, ExtensionStatus, InstructionStatus
from kenes.control.models import ExecutionReport, ExtensionRequest, Instruction, InstructionExecutor
from kenes.control.services.deadlines import today
from kenes.core import policy, references, search, subjects

EXECUTED_ON_TIME = Q(status=InstructionStatus.EXECUTED, executed_on__lte=F("due_date"))
EXECUTED_LATE = Q(status=InstructionStatus.EXECUTED, executed_on__gt=F("due_date"))
# The discipline figures, as conditions on instructions (a figure's drill-down lists its instructions).
FIGURES = {
    "received": ~Q(status=InstructionStatus.WITHDRAWN),
    "on_time": EXECUTED_ON_TIME,
    "late": EXECUTED_LATE,
    "overdue": Q(status=InstructionStatus.OVERDUE),
    "returned": Q(returned_count__gt=0) & ~Q(status=InstructionStatus.WITHDRAWN),
}


def instructions_for(
    user: User,
    *,
    status: str | None = None,
    executor: int | None = None,
    overdue: bool | None = None,
    controller: int | None = None,
    decision: int | None = None,
    q: str | None = None,
    due_before: dt.date | None = None,
    figure: str | None = None,
    issued_from: dt.date | None = None,
    issued_to: dt.date | None = None,
    sort: str | None = None,
) -> QuerySet[Instruction]:
    """The instructions the user may see, filtered as the pages, the API and the drill-downs ask."""
    queryset = Instruction.objects.visible_to(user).select_related("lead_executor", "controller")
    queryset = references.annotate(queryset, user, "decision")
    if status:
        queryset = queryset.filter(status=status)
    if executor:
        queryset = queryset.filter(
            pk__in=InstructionExecutor.objects.filter(organization_id=executor).values("instruction_id")
        )
    if overdue:
        queryset = queryset.filter(status=InstructionStatus.OVERDUE)
    if controller:
        queryset = queryset.filter(controller_id=controller)
    if decision:
        queryset = references.filter_by(queryset, user, "decision", decision)
    if due_before:
        queryset = queryset.filter(due_date__lte=due_before)
    if issued_from:
        queryset = queryset.filter(issued_on__gte=issued_from)
    if issued_to:
        queryset = queryset.filter(issued_on__lte=issued_to)
    if figure:
        queryset = queryset.filter(FIGURES.get(figure, policy.NOTHING))
    queryset = search.matching(queryset, q, ("text", "number"))
    orders = {
        "due": ("due_date", "pk"),
        "-due": ("-due_date", "-pk"),
        "issued": ("-issued_on", "-pk"),
        "number": ("number", "pk"),
        "status": ("status", "due_date"),
    }
    return queryset.order_by(*orders.get(sort or "due", orders["due"]))


def board(user: User) -> dict[str, Any]:
    """The controller's board: due within a week, overdue, waiting for review, extensions to decide."""
    mine = instructions_for(user)
    if user.role == Role.CONTROLLER:
        mine = mine.filter(controller=user)
    horizon = today() + dt.timedelta(days=7)
    return {
        "due_soon": mine.filter(status__in=OPEN_STATUSES, due_date__lte=horizon).exclude(
            status=InstructionStatus.OVERDUE
        ),
        "overdue": mine.filter(status=InstructionStatus.OVERDUE),
        "to_review": mine.filter(status=InstructionStatus.REPORTED),
        "extensions": ExtensionRequest.objects.filter(
            status=ExtensionStatus.PENDING, instruction__in=mine.values("pk")
        ).select_related("instruction", "requested_by"),
    }


def with_parties() -> QuerySet[Instruction]:
    """Instructions with who executes, controls and gave them and their decision fetched in the same
    query, as an instruction's page shows them (read one through :func:`kenes.core.policy.read_or_404`)."""
    return Instruction.objects.select_related("lead_executor", "controller", "issued_by", "decision")


def with_executors(queryset: QuerySet[Instruction]) -> QuerySet[Instruction]:
    """Instructions the caller already may see, with their executors fetched in one more query."""
    executors = InstructionExecutor.objects.only("instruction_id", "organization_id", "is_lead")
    return queryset.prefetch_related(Prefetch("executors", queryset=executors))


def instructions_aimed_at(subject: models.Model, user: User) -> QuerySet[Instruction]:
    """The instructions the user may see that are aimed at ``subject`` (its page lists them)."""
    return (
        Instruction.objects.visible_to(user)
        .filter(subjects.filter_q(subject))
        .select_related("lead_executor")
        .order_by("-issued_on", "-pk")
    )


def instructions_aimed_at_each(records: Sequence[models.Model], user: User) -> dict[int, list[Instruction]]:
    """The instructions the user may see aimed at each of ``records`` (of one model), by record id, newest
    first: one query for a whole list of records."""
    by_record: dict[int, list[Instruction]] = {}
    if not records:
        return by_record
    aimed = Instruction.objects.visible_to(user).filter(
        subject_type=ContentType.objects.get_for_model(records[0]), subject_id__in=[record.pk for record in records]
    )
    for instruction in aimed.select_related("lead_executor").order_by("-issued_on", "-pk"):
        by_record.setdefault(instruction.subject_id, []).append(instruction)
    return by_record


def reports_of(user: User, instruction: Instruction) -> QuerySet[ExecutionReport]:
    return (
        ExecutionReport.objects.visible_to(user)
        .filter(instruction=instruction)
        .select_related("organization", "submitted_by", "reviewed_by")
    )
