"""API of execution control: instructions, reports and their review, extensions, withdrawal, discipline."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from kenes.accounts.models import User
from kenes.control import services
from kenes.control.models import ExecutionReport, Instruction
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
from kenes.control.widgets import sees_board
from kenes.core import audit, policy, subjects
from kenes.core.classification import level_from_input
from kenes.core.schemas import ERRORS, ApiDate, Id, Pagination
from kenes.council.models import Decision
from kenes.directory import services as directory
from kenes.directory.models import Organization

router = Router(tags=["control"])


def _instruction(request: HttpRequest, instruction_id: int) -> Instruction:
    queryset = services.with_executors(Instruction.objects.visible_to(request.user))
    instruction = policy.get_visible_or_404(queryset, request.user, pk=instruction_id)
    audit.record_read(instruction, actor=request.user)
    return instruction


def _bodies(request: HttpRequest, ids: list[int], field: str) -> list[Organization]:
    return directory.active_bodies(request.user, ids, field=field)


@router.get("/instructions", response={200: list[InstructionOut], **ERRORS}, summary="Instructions the caller may see")
@paginate(Pagination)
def list_instructions(request: HttpRequest, filters: Query[InstructionFilter]):
    return services.with_executors(services.instructions_for(request.user, **filters.dict()))


@router.post("/instructions", response={201: InstructionOut, **ERRORS}, summary="Give an instruction")
def create_instruction(request: HttpRequest, data: InstructionIn):
    decision = policy.get_visible_or_404(Decision.objects, request.user, pk=data.decision) if data.decision else None
    subject = subjects.resolve(request.user, data.subject.type, data.subject.id) if data.subject else None
    lead = _bodies(request, [data.lead_executor], "lead_executor")[0]
    controller = None
    if data.controller is not None:
        controller = User.objects.filter(pk=data.controller).first()  # policy: staff directory, checked by the service
        if controller is None:
            raise ValidationError({"controller": _("No such user.")})
    instruction = services.issue_instruction(
        actor=request.user,
        text=data.text,
        lead_executor=lead,
        co_executors=_bodies(request, data.co_executors, "co_executors"),
        controller=controller,
        decision=decision,
        subject=subject,
        urgency=data.urgency,
        due_date=data.due_date,
        periodicity=data.periodicity,
        report_day=data.report_day,
        period_end=data.period_end,
        classification=level_from_input(data.classification),
    )
    return Status(201, _instruction(request, instruction.pk))


@router.get("/instructions/{instruction_id}", response={200: InstructionOut, **ERRORS}, summary="An instruction")
def get_instruction(request: HttpRequest, instruction_id: Id):
    return _instruction(request, instruction_id)


@router.patch(
    "/instructions/{instruction_id}", response={200: InstructionOut, **ERRORS}, summary="Withdraw from control"
)
def patch_instruction(request: HttpRequest, instruction_id: Id, data: InstructionPatch):
    services.withdraw(_instruction(request, instruction_id), actor=request.user, reason=data.reason)
    return _instruction(request, instruction_id)


@router.post(
    "/instructions/{instruction_id}/controller",
    response={200: InstructionOut, **ERRORS},
    summary="Put it under another controller (the secretary, the chairman)",
)
def assign_controller(request: HttpRequest, instruction_id: Id, data: ControllerIn):
    instruction = _instruction(request, instruction_id)
    controller = User.objects.filter(pk=data.controller).first()  # policy: staff directory, checked by the service
    if controller is None:
        raise ValidationError({"controller": _("No such user.")})
    services.assign_controller(instruction, controller, actor=request.user)
    return _instruction(request, instruction_id)


@router.get(
    "/instructions/{instruction_id}/reports", response={200: list[ExecutionReportOut], **ERRORS}, summary="Its reports"
)
@paginate(Pagination)
def list_reports(request: HttpRequest, instruction_id: Id):
    return services.reports_of(request.user, _instruction(request, instruction_id))


@router.post(
    "/instructions/{instruction_id}/reports", response={201: ExecutionReportOut, **ERRORS}, summary="Submit a report"
)
def submit_report(request: HttpRequest, instruction_id: Id, data: ExecutionReportIn):
    return Status(
        201, services.submit_report(_instruction(request, instruction_id), actor=request.user, text=data.text)
    )


@router.post(
    "/reports/{report_id}/review", response={200: ExecutionReportOut, **ERRORS}, summary="Accept or return a report"
)
def review_report(request: HttpRequest, report_id: Id, data: ReviewIn):
    report = policy.get_visible_or_404(ExecutionReport.objects, request.user, pk=report_id)
    return services.review_report(report, actor=request.user, outcome=data.outcome, comment=data.comment)


@router.get(
    "/instructions/{instruction_id}/deadlines",
    response={200: list[DeadlineChangeOut], **ERRORS},
    summary="Every change of its due date",
)
def list_deadlines(request: HttpRequest, instruction_id: Id):
    return list(_instruction(request, instruction_id).deadline_changes.all())


@router.get(
    "/instructions/{instruction_id}/extensions", response={200: list[ExtensionOut], **ERRORS}, summary="Requests"
)
def list_extensions(request: HttpRequest, instruction_id: Id):
    return list(_instruction(request, instruction_id).extension_requests.all())


@router.post(
    "/instructions/{instruction_id}/extensions", response={201: ExtensionOut, **ERRORS}, summary="Ask for more time"
)
def request_extension(request: HttpRequest, instruction_id: Id, data: ExtensionIn):
    return Status(
        201,
        services.request_extension(
            _instruction(request, instruction_id), actor=request.user, due_date=data.due_date, reason=data.reason
        ),
    )


@router.post("/extensions/{extension_id}/decision", response={200: ExtensionOut, **ERRORS}, summary="Approve or refuse")
def decide_extension(request: HttpRequest, extension_id: Id, data: ExtensionDecisionIn):
    extension = services.extension_visible_to(request.user, extension_id)
    return services.decide_extension(extension, actor=request.user, approve=data.approve, comment=data.comment)


def _figures(d) -> dict:
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
def get_discipline(request: HttpRequest, params: Query[DisciplineQuery]):
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
def working_calendar(request: HttpRequest, year: int = Query(..., ge=2000, le=2100)):
    return services.calendar_days_off(year)


@router.post("/calendar", response={201: CalendarDayOut, **ERRORS}, summary="Correct one day (the secretary)")
def correct_calendar(request: HttpRequest, data: CalendarCorrectionIn):
    correction = services.correct_calendar(actor=request.user, **data.dict())
    return Status(
        201, next(d for d in services.calendar_days_off(correction.date.year) if d["date"] == correction.date)
    )


@router.delete("/calendar/{day}", response={204: None, **ERRORS}, summary="Return a day to the official calendar")
def remove_calendar_correction(request: HttpRequest, day: ApiDate):
    services.remove_calendar_correction(actor=request.user, date=day)
    return Status(204, None)
