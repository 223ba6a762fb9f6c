"""API of execution control: instructions, reports and their review, extensions, withdrawal, discipline.

One record is read through :func:`kenes.core.policy.read_or_404` (404 for what is missing or unseen, and
the read of a secret one logged once per request); what a write returns is the record it wrote."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from kenes.accounts.models import User
from kenes.control import services
from kenes.control.models import ExecutionReport, ExtensionRequest, Instruction
from kenes.control.schemas import (
    CalendarCorrectionIn,
    CalendarDayOut,
    ControllerIn,
    DeadlineChangeOut,
    DisciplineOut,
    DisciplineQuery,
    ExecutionReportIn,
    ExecutionReportOut,
    ExtensionDecisionIn,
    ExtensionIn,
    ExtensionOut,
    InstructionFilter,
    InstructionIn,
    InstructionOut,
    InstructionPatch,
    ReviewIn,
)
from kenes.control.services.discipline import Discipline
from kenes.control.widgets import sees_board
from kenes.core import policy, subjects
from kenes.core.classification import level_from_input
from kenes.core.http import AuthedRequest
from kenes.core.schemas import ERRORS, ApiDate, Id, Pagination
from kenes.council import services as council_services
from kenes.directory import services as directory

router = Router(tags=["control"])


def _instructions() -> QuerySet[Instruction]:
    """Instructions with their executors, as every answer about one of them shows them."""
    return services.with_executors(Instruction.objects.all())  # policy: read through policy.read_or_404


def _user(pk: int) -> User:
    """The user a request names as controller (the staff directory; the service checks his role)."""
    controller = User.objects.filter(pk=pk).first()  # policy: staff directory, checked by the service
    if controller is None:
        raise ValidationError({"controller": _("No such user.")})
    return controller


@router.get("/instructions", response={200: list[InstructionOut], **ERRORS}, summary="Instructions the caller may see")
@paginate(Pagination)
def list_instructions(request: AuthedRequest, filters: Query[InstructionFilter]) -> QuerySet[Instruction]:
    return services.with_executors(services.instructions_for(request.user, **filters.dict()))


@router.post("/instructions", response={201: InstructionOut, **ERRORS}, summary="Give an instruction")
def create_instruction(request: AuthedRequest, data: InstructionIn):
    decisions = council_services.decisions_for(request.user)
    decision = policy.read_or_404(decisions, request.user, pk=data.decision) if data.decision else None
    subject = subjects.resolve(request.user, data.subject.type, data.subject.id) if data.subject else None
    lead = directory.active_bodies(request.user, [data.lead_executor], field="lead_executor")[0]
    instruction = services.issue_instruction(
        actor=request.user,
        text=data.text,
        lead_executor=lead,
        co_executors=directory.active_bodies(request.user, data.co_executors, field="co_executors"),
        controller=_user(data.controller) if data.controller is not None else None,
        decision=decision,
        subject=subject,
        urgency=data.urgency,
        due_date=data.due_date,
        periodicity=data.periodicity,
        report_day=data.report_day,
        period_end=data.period_end,
        classification=level_from_input(data.classification),
    )
    return Status(201, instruction)


@router.get("/instructions/{instruction_id}", response={200: InstructionOut, **ERRORS}, summary="An instruction")
def get_instruction(request: AuthedRequest, instruction_id: Id) -> Instruction:
    return policy.read_or_404(_instructions(), request.user, pk=instruction_id)


@router.patch(
    "/instructions/{instruction_id}", response={200: InstructionOut, **ERRORS}, summary="Withdraw from control"
)
def patch_instruction(request: AuthedRequest, instruction_id: Id, data: InstructionPatch) -> Instruction:
    instruction = policy.read_or_404(Instruction.objects, request.user, pk=instruction_id)
    return services.withdraw(instruction, actor=request.user, reason=data.reason)


@router.post(
    "/instructions/{instruction_id}/controller",
    response={200: InstructionOut, **ERRORS},
    summary="Put it under another controller (the secretary, the chairman)",
)
def assign_controller(request: AuthedRequest, instruction_id: Id, data: ControllerIn) -> Instruction:
    instruction = policy.read_or_404(Instruction.objects, request.user, pk=instruction_id)
    return services.assign_controller(instruction, _user(data.controller), actor=request.user)


@router.get(
    "/instructions/{instruction_id}/reports", response={200: list[ExecutionReportOut], **ERRORS}, summary="Its reports"
)
@paginate(Pagination)
def list_reports(request: AuthedRequest, instruction_id: Id) -> QuerySet[ExecutionReport]:
    instruction = policy.read_or_404(Instruction.objects, request.user, pk=instruction_id)
    return services.reports_of(request.user, instruction)


@router.post(
    "/instructions/{instruction_id}/reports", response={201: ExecutionReportOut, **ERRORS}, summary="Submit a report"
)
def submit_report(request: AuthedRequest, instruction_id: Id, data: ExecutionReportIn) -> Status:
    instruction = policy.read_or_404(Instruction.objects, request.user, pk=instruction_id)
    return Status(201, services.submit_report(instruction, actor=request.user, text=data.text))


@router.post(
    "/reports/{report_id}/review", response={200: ExecutionReportOut, **ERRORS}, summary="Accept or return a report"
)
def review_report(request: AuthedRequest, report_id: Id, data: ReviewIn) -> ExecutionReport:
    report = policy.read_or_404(ExecutionReport.objects, request.user, pk=report_id)
    return services.review_report(report, actor=request.user, outcome=data.outcome, comment=data.comment)


@router.get(
    "/instructions/{instruction_id}/deadlines",
    response={200: list[DeadlineChangeOut], **ERRORS},
    summary="Every change of its due date",
)
def list_deadlines(request: AuthedRequest, instruction_id: Id) -> list[Any]:
    return list(policy.read_or_404(Instruction.objects, request.user, pk=instruction_id).deadline_changes.all())


@router.get(
    "/instructions/{instruction_id}/extensions", response={200: list[ExtensionOut], **ERRORS}, summary="Requests"
)
def list_extensions(request: AuthedRequest, instruction_id: Id) -> list[Any]:
    return list(policy.read_or_404(Instruction.objects, request.user, pk=instruction_id).extension_requests.all())


@router.post(
    "/instructions/{instruction_id}/extensions", response={201: ExtensionOut, **ERRORS}, summary="Ask for more time"
)
def request_extension(request: AuthedRequest, instruction_id: Id, data: ExtensionIn) -> Status:
    instruction = policy.read_or_404(Instruction.objects, request.user, pk=instruction_id)
    extension = services.request_extension(instruction, actor=request.user, due_date=data.due_date, reason=data.reason)
    return Status(201, extension)


@router.post("/extensions/{extension_id}/decision", response={200: ExtensionOut, **ERRORS}, summary="Approve or refuse")
def decide_extension(request: AuthedRequest, extension_id: Id, data: ExtensionDecisionIn) -> ExtensionRequest:
    parent = ExtensionRequest.objects.filter(pk=extension_id).values("instruction_id")  # policy: read below
    instruction = policy.read_or_404(Instruction.objects, request.user, pk__in=parent)
    extension = instruction.extension_requests.get(pk=extension_id)
    return services.decide_extension(extension, actor=request.user, approve=data.approve, comment=data.comment)


def _figures(d: Discipline) -> dict[str, Any]:
    return {
        "received": d.received,
        "on_time": d.on_time,
        "late": d.late,
        "overdue": d.overdue,
        "returned": d.returned,
        "average_delay_days": d.average_delay_days,
        "on_time_share": d.on_time_share,
    }


@router.get("/discipline", response={200: DisciplineOut, **ERRORS}, summary="Discipline figures for a period of issue")
def get_discipline(request: AuthedRequest, params: Query[DisciplineQuery]) -> dict[str, Any]:
    if not sees_board(request.user):
        raise PermissionDenied(_("The discipline figures are for the Council and its apparatus."))
    if params.issued_from > params.issued_to:
        raise ValidationError({"issued_to": _("The end of the period is before its start.")})
    figures = services.discipline(request.user, issued_from=params.issued_from, issued_to=params.issued_to)
    return {
        "issued_from": params.issued_from,
        "issued_to": params.issued_to,
        "total": _figures(figures["total"]),
        "by_body": [{"organization": pk, "name": en, **_figures(d)} for pk, en, _ru, _kk, d in figures["by_body"]],
        "monthly": [{"month": month, **_figures(d)} for month, d in figures["monthly"]],
    }


@router.get(
    "/calendar", response={200: list[CalendarDayOut], **ERRORS}, summary="The year's days off and working Saturdays"
)
def working_calendar(request: AuthedRequest, year: int = Query(..., ge=2000, le=2100)) -> list[dict[str, Any]]:
    return services.calendar_days_off(year)


@router.post("/calendar", response={201: CalendarDayOut, **ERRORS}, summary="Correct one day (the secretary)")
def correct_calendar(request: AuthedRequest, data: CalendarCorrectionIn) -> Status:
    correction = services.correct_calendar(actor=request.user, **data.dict())
    return Status(
        201, next(d for d in services.calendar_days_off(correction.date.year) if d["date"] == correction.date)
    )


@router.delete("/calendar/{day}", response={204: None, **ERRORS}, summary="Return a day to the official calendar")
def remove_calendar_correction(request: AuthedRequest, day: ApiDate) -> Status:
    services.remove_calendar_correction(actor=request.user, date=day)
    return Status(204, None)
