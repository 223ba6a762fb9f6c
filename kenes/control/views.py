"""Pages of execution control: the instruction list (a liaison's inbox), the controller's board, an
instruction with its whole history, the discipline dashboard, XLSX exports, the notification inbox."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Max, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kenes.control import services
from kenes.control.choices import OPEN_STATUSES, ExtensionStatus, InstructionStatus, ReportOutcome
from kenes.control.forms import (
    CalendarCorrectionForm,
    ControllerForm,
    ExtensionForm,
    InstructionFilterForm,
    InstructionForm,
    PeriodForm,
    ReasonForm,
    ReportForm,
    ReviewForm,
)
from kenes.control.models import Instruction
from kenes.control.widgets import sees_board
from kenes.core import policy, subjects
from kenes.core.classification import Classification
from kenes.core.http import AuthedRequest, download
from kenes.core.models import Attachment
from kenes.core.web import after_action, filters_from, page_number, perform
from kenes.council import services as council_services
from kenes.directory.services import body_choices
from kenes.reports import documents

PAGE_SIZE = 50
XLSX = documents.CONTENT_TYPES["xlsx"]


Forms = dict[str, django_forms.Form]


def _filtered(request: AuthedRequest) -> tuple[InstructionFilterForm, QuerySet[Instruction]]:
    form = InstructionFilterForm(request.GET or None, organizations=body_choices(request.user))
    filters = filters_from(form)
    return form, services.instructions_for(request.user, **filters)


@login_required
def instruction_list(request: AuthedRequest) -> HttpResponse:
    form, instructions = _filtered(request)
    page = Paginator(instructions, PAGE_SIZE).get_page(page_number(request))
    return render(
        request,
        "control/instruction_list.html",
        {
            "filters": form,
            "page": page,
            "may_issue": services.may_issue(request.user),
            "inbox_of": request.user.organization if request.user.is_liaison else None,
            "export_query": request.GET.urlencode(),
        },
    )


@login_required
def instruction_export(request: AuthedRequest) -> HttpResponse:
    """The list as filtered, as XLSX, marked with the highest level in it; the export of each secret
    instruction in it is logged (by :func:`kenes.core.http.download`)."""
    _form, instructions = _filtered(request)
    level = instructions.aggregate(level=Max("classification"))["level"] or Classification.PUBLIC
    listed = list(instructions[:100_000])
    rows: list[list[object]] = [
        [
            i.number,
            i.translated("text"),
            i.lead_executor.name,
            i.get_status_display(),
            i.issued_on,
            i.due_date,
            i.executed_on,
            i.returned_count,
            Classification(i.classification).label,
            i.controller.display_name,
        ]
        for i in listed
    ]
    header = [
        _("Number"),
        _("Text"),
        _("Lead executor"),
        _("Status"),
        _("Issued on"),
        _("Due date"),
        _("Executed on"),
        _("Times returned"),
        _("Classification"),
        _("Controller"),
    ]
    content = documents.to_xlsx([(str(_("Instructions")), header, rows)], marking=documents.marking(level))
    return download(content, content_type=XLSX, filename="instructions.xlsx", user=request.user, about=listed)


@login_required
def instruction_new(request: AuthedRequest) -> HttpResponse:
    """Give an instruction, directly or by a decision (``?decision=<id>``)."""
    if not services.may_issue(request.user):
        raise Http404
    decision = subject = None
    decision_id = request.GET.get("decision") or request.POST.get("decision")
    if decision_id:
        decision = policy.read_or_404(council_services.decisions_for(request.user), request.user, pk=decision_id)
    subject_ref = request.GET.get("subject") or request.POST.get("subject")
    if subject_ref:
        try:
            subject = subjects.resolve(request.user, *subjects.parse(subject_ref))
        except ValidationError:
            raise Http404 from None
    level = services.default_level(decision, subject)
    acting = services.acting_controller(request.user, level)
    form = InstructionForm(
        request.POST or None,
        organizations=body_choices(request.user),
        controllers=services.controllers(),
        initial={"classification": level, "controller": acting.pk if acting else None},
    )
    if request.method == "POST" and form.is_valid():
        instruction = _issue(request, form, decision, subject)
        if instruction is not None:
            return redirect("control:instruction-detail", instruction.pk)
    return render(
        request,
        "control/instruction_new.html",
        {
            "form": form,
            "decision": decision,
            "subject": subject,
            "subject_ref": subject_ref if subject else "",
            "subject_link": subjects.link_to(subject) if subject else None,
        },
        status=422 if form.errors else 200,
    )


def _issue(request: AuthedRequest, form: InstructionForm, decision: Any, subject: Any) -> Instruction | None:
    """Give the instruction the valid form asks for, and say so (and that a day off moved its due date)."""
    data = form.cleaned_data
    ok, instruction = perform(
        request,
        lambda: services.issue_instruction(
            actor=request.user,
            decision=decision,
            subject=subject,
            text=data["text"],
            lead_executor=data["lead_executor"],
            co_executors=data["co_executors"],
            controller=data["controller"],
            urgency=data["urgency"],
            due_date=data["due_date"],
            periodicity=data["periodicity"],
            report_day=data["report_day"],
            period_end=data["period_end"],
            classification=data["classification"],
        ),
        form,
    )
    if not ok:
        return None
    messages.success(
        request,
        _("Instruction %(number)s was given, due %(date)s.")
        % {"number": instruction.number, "date": _day(instruction.due_date)},
    )
    _say_if_moved(request, instruction)
    return instruction


def _day(day: dt.date) -> str:
    """A date as a message names it: its weekday, so that a day off is seen for one ("Sat 12.12.2026")."""
    return formats.date_format(day, "D d.m.Y")


def _say_if_moved(request: AuthedRequest, instruction: Instruction) -> None:
    """Tell the user when the due date just set is not the one asked for, because that was a day off."""
    change = instruction.deadline_changes.order_by("-pk").first()
    if change is not None and change.moved_from is not None:
        messages.info(
            request,
            _("%(asked)s is a day off: the due date was moved from it to %(due)s, the working day before.")
            % {"asked": _day(change.moved_from), "due": _day(change.new_due_date)},
        )


def _controller_form(instruction: Instruction, data: Any = None) -> ControllerForm:
    """The choice of a new controller: the users who may control at the instruction's level."""
    return ControllerForm(
        data,
        controllers=services.controllers_for(instruction.classification),
        initial={"controller": instruction.controller_id},
    )


def _detail_context(request: AuthedRequest, instruction: Instruction, **forms: django_forms.Form) -> dict[str, Any]:
    user = request.user
    reports = list(services.reports_of(user, instruction))
    files: dict[int, list[Attachment]] = {}
    for attachment in Attachment.objects.visible_to(user).filter(
        owner_type__app_label="control", owner_type__model="executionreport", owner_id__in=[r.pk for r in reports]
    ):
        files.setdefault(attachment.owner_id, []).append(attachment)
    lead = services.is_lead_liaison(user, instruction)
    co = not lead and services.is_co_executor_liaison(user, instruction)
    open_ = instruction.status in (*OPEN_STATUSES, InstructionStatus.REPORTED)
    deadlines = list(instruction.deadline_changes.select_related("changed_by"))
    current = next((c for c in reversed(deadlines) if c.new_due_date == instruction.due_date), None)
    return {
        "instruction": instruction,
        "moved_from": current.moved_from if current is not None else None,
        "urgency_holds": services.urgency_holds(instruction),
        "subject_link": subjects.link_of(user, instruction.subject_type_id, instruction.subject_id),
        "executors": instruction.executors.select_related("organization").order_by("-is_lead"),
        "reports": [(r, files.get(r.pk, [])) for r in reports],
        "deadlines": deadlines,
        "extensions": instruction.extension_requests.select_related("requested_by", "decided_by"),
        "may_report": (lead and instruction.status in OPEN_STATUSES) or (co and open_),
        "is_co_executor": co,
        "may_review": services.may_review(user, instruction) and instruction.status == InstructionStatus.REPORTED,
        "may_extend": open_ and (lead or services.may_review(user, instruction)),
        "is_secretary": user.role == "secretary",
        "may_assign_controller": services.may_assign_controller(user)
        and instruction.status not in services.FINISHED_STATUSES,
        "controller_form": forms.get("controller_form") or _controller_form(instruction),
        "open": open_,
        "report_form": forms.get("report_form") or ReportForm(),
        "review_form": forms.get("review_form") or ReviewForm(),
        "extension_form": forms.get("extension_form") or ExtensionForm(),
        "reason_form": forms.get("reason_form") or ReasonForm(),
        "pending": ReportOutcome.PENDING,
        "extension_pending": ExtensionStatus.PENDING,
    }


@login_required
def instruction_detail(request: AuthedRequest, instruction_id: int) -> HttpResponse:
    instruction = policy.read_or_404(services.with_parties(), request.user, pk=instruction_id)
    return render(request, "control/instruction_detail.html", _detail_context(request, instruction))


@login_required
@require_POST
def instruction_action(request: AuthedRequest, instruction_id: int, action: str) -> HttpResponse:
    """Report, review, ask for more time, decide on it, change the controller, or withdraw."""
    act = ACTIONS.get(action)
    if act is None:
        raise Http404
    instruction = policy.read_or_404(services.with_parties(), request.user, pk=instruction_id)
    forms = act(request, instruction, action)
    return after_action(
        request, instruction, forms, "control/instruction_detail.html", _detail_context, "control:instruction-detail"
    )


def _report(request: AuthedRequest, instruction: Instruction, _action: str) -> Forms:
    form = ReportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data.get("file")
        ok, _report = perform(
            request,
            lambda: services.submit_report(
                instruction, actor=request.user, text=form.cleaned_data["text"], files=[upload] if upload else []
            ),
            form,
        )
        if ok:
            messages.success(request, _("The report was submitted."))
    return {"report_form": form}


def _review(request: AuthedRequest, instruction: Instruction, _action: str) -> Forms:
    reports = services.reports_of(request.user, instruction)
    report = policy.read_or_404(reports, request.user, pk=request.POST.get("report", "0"))
    form = ReviewForm(request.POST)
    if form.is_valid():
        outcome, comment = form.cleaned_data["outcome"], form.cleaned_data["comment"]
        ok, _reviewed = perform(
            request,
            lambda: services.review_report(report, actor=request.user, outcome=outcome, comment=comment),
            form,
        )
        if ok:
            _say_reviewed(request, instruction, outcome)
    return {"review_form": form}


def _say_reviewed(request: AuthedRequest, instruction: Instruction, outcome: str) -> None:
    instruction.refresh_from_db()
    if outcome == "return":
        message = _(
            "The report was returned to %(body)s with your comment; instruction %(number)s awaits a new report."
        )
    elif instruction.status == InstructionStatus.EXECUTED:
        message = _("The report was accepted: instruction %(number)s is executed.")
    else:
        message = _("The report was accepted: the period is closed, and the next report is due %(date)s.")
    values = {"number": instruction.number, "body": instruction.lead_executor.name, "date": _day(instruction.due_date)}
    messages.success(request, message % values)


def _extension(request: AuthedRequest, instruction: Instruction, _action: str) -> Forms:
    form = ExtensionForm(request.POST)
    if form.is_valid():
        due_date, reason = form.cleaned_data["due_date"], form.cleaned_data["reason"]
        ok, _request = perform(
            request,
            lambda: services.request_extension(instruction, actor=request.user, due_date=due_date, reason=reason),
            form,
        )
        if ok:
            messages.success(
                request,
                _("Your request to move the due date to %(date)s was sent to the secretary.")
                % {"date": _day(due_date)},
            )
    return {"extension_form": form}


def _decide(request: AuthedRequest, instruction: Instruction, action: str) -> Forms:
    """Approve or refuse a request for more time on this instruction."""
    extension = instruction.extension_requests.filter(pk=request.POST.get("request", "0")).first()
    if extension is None:
        raise Http404
    comment = request.POST.get("comment", "")[:5000]
    approve = action == "approve"
    ok, _decided = perform(
        request,
        lambda: services.decide_extension(extension, actor=request.user, approve=approve, comment=comment),
    )
    if ok and approve:
        instruction.refresh_from_db()
        messages.success(
            request,
            _("The extension was approved: instruction %(number)s is due %(date)s now.")
            % {"number": instruction.number, "date": _day(instruction.due_date)},
        )
        _say_if_moved(request, instruction)
    elif ok:
        messages.success(
            request,
            _("The request to move the due date of %(number)s was refused; it stays due %(date)s.")
            % {"number": instruction.number, "date": _day(instruction.due_date)},
        )
    return {}


def _change_controller(request: AuthedRequest, instruction: Instruction, _action: str) -> Forms:
    form = _controller_form(instruction, request.POST)
    if form.is_valid():
        ok, changed = perform(
            request,
            lambda: services.assign_controller(instruction, form.cleaned_data["controller"], actor=request.user),
            form,
        )
        if ok:
            messages.success(
                request,
                _("%(name)s controls instruction %(number)s now.")
                % {"name": changed.controller.display_name, "number": changed.number},
            )
    return {"controller_form": form}


def _withdraw(request: AuthedRequest, instruction: Instruction, _action: str) -> Forms:
    form = ReasonForm(request.POST)
    if form.is_valid():
        reason = form.cleaned_data["reason"]
        ok, _withdrawn = perform(
            request, lambda: services.withdraw(instruction, actor=request.user, reason=reason), form
        )
        if ok:
            messages.success(
                request, _("Instruction %(number)s was withdrawn from control.") % {"number": instruction.number}
            )
    return {"reason_form": form}


# The actions of an instruction's page, by the name in its URL; each returns the forms it checked.
ACTIONS: dict[str, Callable[[AuthedRequest, Instruction, str], Forms]] = {
    "report": _report,
    "review": _review,
    "extension": _extension,
    "approve": _decide,
    "refuse": _decide,
    "controller": _change_controller,
    "withdraw": _withdraw,
}


@login_required
def board(request: AuthedRequest) -> HttpResponse:
    if not sees_board(request.user):
        raise Http404
    lists = services.board(request.user)
    limited = {key: list(queryset[:PAGE_SIZE]) for key, queryset in lists.items()}
    # A list shorter than a page is its own count; only a full one asks the database how many there are.
    counts = {key: len(limited[key]) if len(limited[key]) < PAGE_SIZE else lists[key].count() for key in lists}
    return render(request, "control/board.html", {"lists": limited, "counts": counts, "today": services.today()})


def _period(request: AuthedRequest) -> tuple[PeriodForm, dt.date, dt.date]:
    today = services.today()
    default = {"issued_from": today.replace(month=1, day=1), "issued_to": today}
    form = PeriodForm(request.GET or None, initial=default)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["issued_from"], form.cleaned_data["issued_to"]
    return (form if form.is_bound else PeriodForm(initial=default)), default["issued_from"], default["issued_to"]


@login_required
def discipline(request: AuthedRequest) -> HttpResponse:
    """Execution discipline per body and for the whole government, with its course by month."""
    if not sees_board(request.user):
        raise Http404
    form, start, end = _period(request)
    figures = services.discipline(request.user, issued_from=start, issued_to=end)
    chart = {
        "labels": [month.strftime("%Y-%m") for month, _d in figures["monthly"]],
        "series": [
            {"label": str(_("Executed on time")), "data": [d.on_time for _m, d in figures["monthly"]]},
            {"label": str(_("Executed late")), "data": [d.late for _m, d in figures["monthly"]]},
            {"label": str(_("Overdue now")), "data": [d.overdue for _m, d in figures["monthly"]]},
        ],
    }
    language = (request.LANGUAGE_CODE or "kk")[:2]
    rows = [(pk, {"en": en, "ru": ru, "kk": kk}.get(language) or en, d) for pk, en, ru, kk, d in figures["by_body"]]
    period = f"issued_from={start.isoformat()}&issued_to={end.isoformat()}"
    return render(
        request,
        "control/discipline.html",
        {
            "form": form,
            "total": figures["total"],
            "rows": rows,
            "chart": json.dumps(chart),
            "period": period,
            "start": start,
            "end": end,
        },
    )


@login_required
def discipline_export(request: AuthedRequest) -> HttpResponse:
    """The discipline figures as XLSX, marked with the highest level counted; the figures are drawn from
    the instructions of the period, so the export of each secret one among them is logged."""
    if not sees_board(request.user):
        raise Http404
    _form, start, end = _period(request)
    figures = services.discipline(request.user, issued_from=start, issued_to=end)
    header = [
        _("Body"),
        _("Received"),
        _("Executed on time"),
        _("Executed late"),
        _("Overdue now"),
        _("Average delay, days"),
        _("Returned at least once"),
        _("Share on time"),
    ]
    rows: list[list[object]] = [
        [en, d.received, d.on_time, d.late, d.overdue, d.average_delay_days, d.returned, d.on_time_share]
        for _pk, en, _ru, _kk, d in figures["by_body"]
    ]
    total = figures["total"]
    rows.append(
        [
            _("All bodies"),
            total.received,
            total.on_time,
            total.late,
            total.overdue,
            total.average_delay_days,
            total.returned,
            total.on_time_share,
        ]
    )
    counted = services.instructions_for(request.user, issued_from=start, issued_to=end)
    level = counted.aggregate(level=Max("classification"))["level"] or Classification.PUBLIC
    content = documents.to_xlsx([(str(_("Discipline")), header, rows)], marking=documents.marking(level))
    return download(
        content,
        content_type=XLSX,
        filename=f"discipline-{start}-{end}.xlsx",
        user=request.user,
        about=counted.filter(classification__gte=Classification.SECRET),
    )


@login_required
def working_calendar(request: AuthedRequest) -> HttpResponse:
    """The working calendar deadlines are counted on: the year's days off and working Saturdays, and
    the secretary's corrections (add one, or return a day to the official calendar)."""
    try:
        year = min(max(int(request.GET.get("year", timezone.localdate().year)), 2000), 2100)
    except ValueError:
        year = timezone.localdate().year
    may_correct = services.may_correct_calendar(request.user)
    form = CalendarCorrectionForm(request.POST or None, initial={"is_working": "0"})
    if request.method == "POST":
        if not may_correct:
            raise Http404
        if request.POST.get("remove"):
            removal = CalendarCorrectionForm({"date": request.POST.get("remove"), "is_working": "0"})
            if removal.is_valid():
                day = removal.cleaned_data["date"]
                ok, _result = perform(
                    request, lambda: services.remove_calendar_correction(actor=request.user, date=day), removal
                )
                if ok:
                    messages.success(request, _("%(day)s follows the official calendar again.") % {"day": day})
                    return redirect(f"{reverse('control:calendar')}?year={day.year}")
        elif form.is_valid():
            data = form.cleaned_data
            ok, correction = perform(request, lambda: services.correct_calendar(actor=request.user, **data), form)
            if ok:
                messages.success(request, _("The correction of %(day)s was recorded.") % {"day": correction.date})
                return redirect(f"{reverse('control:calendar')}?year={correction.date.year}")
    return render(
        request,
        "control/calendar.html",
        {"year": year, "days": services.calendar_days_off(year), "form": form, "may_correct": may_correct},
        status=422 if form.errors else 200,
    )
