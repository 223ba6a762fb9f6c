"""Rules of execution control: issuing instructions, deadlines, reports and their review, extensions,
withdrawal, overdue marking, reminders and the discipline figures.

Every change runs in one transaction with its audit events (``core.services.service``); notifications
are recorded in the same transaction and e-mailed after it commits, never twice for one event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, DurationField, ExpressionWrapper, F, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kenes.accounts.models import Role, User
from kenes.control import workdays
from kenes.control.choices import (
    ACTIVE_STATUSES,
    OPEN_STATUSES,
    PERIOD_MONTHS,
    URGENCY_WORKING_DAYS,
    DeadlineChangeKind,
    ExtensionStatus,
    InstructionStatus,
    Periodicity,
    ReportOutcome,
    Urgency,
)
from kenes.control.models import (
    CalendarOverride,
    DeadlineChange,
    ExecutionReport,
    ExtensionRequest,
    Instruction,
    InstructionExecutor,
)
from kenes.core import attachments, policy, references, search, sequences, subjects
from kenes.core.classification import Classification
from kenes.core.exceptions import Conflict
from kenes.core.notifications import notify
from kenes.core.services import service
from kenes.council import services as council_services
from kenes.directory.models import Organization

if TYPE_CHECKING:
    from kenes.council.models import Decision

# The chairman and the secretary give instructions; the controllers of the apparatus register them
# (an instruction of a decision, or one dictated by the chairman) and keep them under control.
ISSUING_ROLES = (Role.CHAIRMAN, Role.SECRETARY, Role.CONTROLLER)
REVIEWING_ROLES = (Role.CONTROLLER, Role.SECRETARY)
CONTROLLER_ROLES = (Role.CONTROLLER, Role.SECRETARY, Role.CHAIRMAN)
REMINDER_DAYS = (7, 3, 1)


def today() -> dt.date:
    """Today in Asia/Almaty, the day that deadlines are counted in."""
    return timezone.localdate()


# --- who may act ---------------------------------------------------------------------------------


def may_issue(user: User) -> bool:
    return policy.is_reader(user) and user.role in ISSUING_ROLES


def may_review(user: User, instruction: Instruction) -> bool:
    """The instruction's controller, or the secretary."""
    return policy.is_reader(user) and (user.role == Role.SECRETARY or instruction.controller_id == user.pk)


def may_control(user: User, level: int) -> bool:
    """Whether ``user`` may be named the controller of an instruction at ``level`` (see :func:`controllers`):
    a controller of the apparatus, active, cleared to the instruction's level (or he could not read it)."""
    return user.is_active and user.role in CONTROLLER_ROLES and user.clearance >= int(level)


def default_controller(author: User, level: int) -> User:
    """The controller of an instruction given without one: its author, if his role may control
    instructions; otherwise the request names no controller, and that is invalid input."""
    if not may_control(author, level):
        raise ValidationError({"controller": _("Name the controller: your role does not control instructions.")})
    return author


FINISHED_STATUSES = (InstructionStatus.EXECUTED, InstructionStatus.WITHDRAWN)


def controller_cleared(instruction: Instruction, level: int) -> None:
    """Guard of raising an instruction: its controller must stay cleared to read it (409 otherwise).

    A finished instruction (executed or withdrawn) is no longer under control: it rises all the same."""
    if instruction.status in FINISHED_STATUSES:
        return
    if instruction.controller.clearance < int(level):
        raise Conflict(
            _(
                "The controller of instruction %(number)s is not cleared to %(level)s; "
                "name a controller cleared to %(level)s first."
            )
            % {"number": instruction.number, "level": Classification(int(level)).label}
        )


def is_lead_liaison(user: User, instruction: Instruction) -> bool:
    return policy.is_reader(user) and user.is_liaison and user.organization_id == instruction.lead_executor_id


def is_co_executor_liaison(user: User, instruction: Instruction) -> bool:
    body = user.organization_id if policy.is_reader(user) and user.is_liaison else None
    return (
        body is not None
        and body != instruction.lead_executor_id
        and instruction.executors.filter(organization_id=body).exists()
    )


def may_attach_to_report(user: User, report: ExecutionReport) -> bool:
    """Files of a report are added by the person who submitted it, before it is reviewed."""
    return (
        policy.is_reader(user)
        and report.submitted_by_id == user.pk
        and report.outcome in (ReportOutcome.PENDING, ReportOutcome.INPUT)
    )


def _ensure(condition: bool, message: str) -> None:
    if not condition:
        raise PermissionDenied(message)


# --- the working calendar ------------------------------------------------------------------------


def may_correct_calendar(user: User) -> bool:
    return user.is_active and user.role in (Role.SECRETARY, Role.CHAIRMAN)


@service
def correct_calendar(*, actor: User, date: dt.date, is_working: bool, note: str = "") -> CalendarOverride:
    """Record the secretary's correction of one day (a decree moving a day off, published late).

    Deadlines computed afterwards use it; deadlines already set stay as they were (an extension
    changes a deadline, never a calendar correction)."""
    _ensure(may_correct_calendar(actor), _("Only the secretary or the chairman corrects the working calendar."))
    if not dt.date(2000, 1, 1) <= date <= dt.date(2100, 12, 31):
        raise ValidationError({"date": _("Give a date between 2000 and 2100.")})
    correction = CalendarOverride.objects.filter(date=date).first() or CalendarOverride(date=date)
    correction.is_working = is_working
    correction.note = note.strip()
    correction.full_clean()
    correction.save()
    return correction


@service
def remove_calendar_correction(*, actor: User, date: dt.date) -> None:
    """Return a day to the official calendar."""
    _ensure(may_correct_calendar(actor), _("Only the secretary or the chairman corrects the working calendar."))
    correction = CalendarOverride.objects.filter(date=date).first()
    if correction is None:
        raise Http404(_("Not found."))
    correction.delete()


def calendar_days_off(year: int) -> list[dict[str, Any]]:
    """The year's days that differ from a plain Monday-to-Friday week, official and corrected."""
    notes = dict(CalendarOverride.objects.filter(date__year=year).values_list("date", "note"))
    return [{**day, "note": notes.get(day["date"], "")} for day in workdays.exceptions_of(year)]


# --- deadlines -----------------------------------------------------------------------------------


def due_date_for(urgency: str, issued_on: dt.date, requested: dt.date | None = None) -> dt.date:
    """The due date of an instruction: N working days from issue for the urgent classes, else the
    requested date; a date that falls on a day off moves to the previous working day."""
    if urgency in URGENCY_WORKING_DAYS:
        return workdays.add_working_days(issued_on, URGENCY_WORKING_DAYS[Urgency(urgency)])
    if requested is None:
        raise ValidationError({"due_date": _("An ordinary instruction needs a due date.")})
    if requested < issued_on:
        raise ValidationError({"due_date": _("The due date cannot be before the day of issue.")})
    return workdays.previous_working_day(requested)


def first_period(periodicity: str, issued_on: dt.date) -> dt.date:
    """The first day of the reporting period that contains ``issued_on``."""
    months = PERIOD_MONTHS[Periodicity(periodicity)]
    month = ((issued_on.month - 1) // months) * months + 1
    return dt.date(issued_on.year, month, 1)


def period_due_date(periodicity: str, period_start: dt.date, report_day: int) -> dt.date:
    """A period's report is due by ``report_day`` of the month after the period (previous working day)."""
    months = PERIOD_MONTHS[Periodicity(periodicity)]
    after = period_start + relativedelta(months=months)
    return workdays.previous_working_day(after.replace(day=report_day))


def next_period(periodicity: str, period_start: dt.date) -> dt.date:
    return period_start + relativedelta(months=PERIOD_MONTHS[Periodicity(periodicity)])


def _record_deadline(instruction: Instruction, kind: str, old: dt.date | None, reason: str, actor: User | None) -> None:
    DeadlineChange.objects.create(
        instruction=instruction,
        kind=kind,
        old_due_date=old,
        new_due_date=instruction.due_date,
        reason=reason,
        changed_by=actor if actor is not None and actor.is_authenticated else None,
    )


# --- issuing -------------------------------------------------------------------------------------


def _next_number(issued_on: dt.date) -> str:
    return f"{sequences.take('instruction', issued_on.year)}/{issued_on.year}-И"


@service
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
    countermeasure...). Without a ``controller`` the author controls it, if his role may
    (:func:`default_controller`). Periodic instructions report by ``report_day`` of the month after
    each period until ``period_end``."""
    _ensure(may_issue(actor), _("Only the chairman, the secretary or a controller gives instructions."))
    # The sources are read again under a lock: a concurrent raise of the decision (or of the subject)
    # waits for this instruction, or this waits for the raise and reads the new level.
    if decision is not None:
        decision = type(decision)._default_manager.select_for_update().get(pk=decision.pk)
    if subject is not None:
        subject = type(subject)._default_manager.select_for_update().get(pk=subject.pk)
    if decision is not None and not council_services.gives_instructions(decision):
        raise ValidationError({"decision": _("Instructions are given by an adopted decision.")})
    if not text.strip():
        raise ValidationError({"text": _("Write what is to be done.")})
    issued_on = issued_on or today()
    sources = [source for source in (decision, subject) if source is not None]
    level = int(classification if classification is not None else max(policy.high_water_mark(sources), 10))
    if level not in Classification.values:
        raise ValidationError({"classification": _("Unknown classification.")})
    policy.ensure_may_classify(actor, level)
    policy.ensure_high_water(level, sources)
    controller = controller if controller is not None else default_controller(actor, level)
    if not may_control(controller, Classification.PUBLIC):
        raise ValidationError({"controller": _("The controller must be a controller of the apparatus.")})
    if not may_control(controller, level):
        raise ValidationError(
            {
                "controller": _("The controller is not cleared to %(level)s, the level of the instruction.")
                % {"level": Classification(level).label}
            }
        )
    instruction = Instruction(
        decision=decision,
        text=text,
        lead_executor=lead_executor,
        controller=controller,
        issued_by=actor,
        issued_on=issued_on,
        urgency=urgency,
        periodicity=periodicity,
        classification=level,
    )
    if periodicity != Periodicity.NONE:
        if report_day is None or not 1 <= report_day <= 28:
            raise ValidationError({"report_day": _("Give the day of the month (1–28) by which reports are due.")})
        if period_end is None or period_end <= issued_on:
            raise ValidationError({"period_end": _("Periodic reporting needs an end date after the day of issue.")})
        instruction.report_day = report_day
        instruction.period_end = period_end
        instruction.period_start = first_period(periodicity, issued_on)
        instruction.due_date = period_due_date(periodicity, instruction.period_start, report_day)
    else:
        instruction.due_date = due_date_for(urgency, issued_on, due_date)
    if subject is not None:
        instruction.subject_type = ContentType.objects.get_for_model(subject)
        instruction.subject_id = subject.pk
    instruction.number = _next_number(issued_on)
    instruction.full_clean(exclude=["co_executors"])
    instruction.save()
    InstructionExecutor.objects.create(instruction=instruction, organization=lead_executor, is_lead=True)
    for body in {b.pk: b for b in co_executors if b.pk != lead_executor.pk}.values():
        InstructionExecutor.objects.create(instruction=instruction, organization=body, is_lead=False)
    _record_deadline(instruction, DeadlineChangeKind.SET, None, "", actor)
    _notify_executors(
        instruction,
        key=f"issued:{instruction.pk}",
        kind="issued",
        title=_("New instruction %(number)s") % {"number": instruction.number},
    )
    if decision is not None:
        council_services.start_execution(decision)
    return instruction


# --- reports -------------------------------------------------------------------------------------


def _locked(instruction: Instruction) -> Instruction:
    return Instruction.objects.select_for_update().select_related("lead_executor").get(pk=instruction.pk)


@service
def submit_report(instruction: Instruction, *, actor: User, text: str, files: Iterable[Any] = ()) -> ExecutionReport:
    """A report by the lead executor's liaison (the instruction becomes ``reported``), or a
    co-executor's input to the lead (the status does not change), with its files: all or nothing."""
    instruction = _locked(instruction)
    lead = is_lead_liaison(actor, instruction)
    _ensure(
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
            title=_("Report on instruction %(number)s") % {"number": instruction.number},
        )
    else:
        for liaison in _liaisons_of([instruction.lead_executor_id]):
            notify(
                liaison,
                key=f"input:{report.pk}",
                kind="input",
                url=url,
                about=report,
                title=_("Input of a co-executor on %(number)s") % {"number": instruction.number},
            )
    return report


@service
def review_report(
    report: ExecutionReport, *, actor: User, outcome: str, comment: str = "", on: dt.date | None = None
) -> ExecutionReport:
    """Accept a report (the instruction is executed, or its period closes) or return it with a comment
    (the executor must report again)."""
    instruction = _locked(report.instruction)
    report = ExecutionReport.objects.select_for_update().get(pk=report.pk)
    _ensure(may_review(actor, instruction), _("Only the instruction's controller or the secretary reviews reports."))
    if outcome not in ("accept", "return"):
        raise ValidationError({"outcome": _("Accept or return.")})
    if report.outcome != ReportOutcome.PENDING or instruction.status != InstructionStatus.REPORTED:
        raise Conflict(_("This report is not waiting for review."))
    if outcome == "return" and not comment.strip():
        raise ValidationError({"comment": _("Say why the report is returned.")})
    report.reviewed_by, report.reviewed_at, report.review_comment = actor, timezone.now(), comment
    if outcome == "return":
        report.outcome = ReportOutcome.RETURNED
        instruction.status = InstructionStatus.RETURNED
        instruction.returned_count += 1
        _notify_executors(
            instruction,
            key=f"returned:{report.pk}",
            kind="returned",
            lead_only=True,
            title=_("Report on %(number)s returned") % {"number": instruction.number},
            body=comment,
        )
    else:
        report.outcome = ReportOutcome.ACCEPTED
        _close_period_or_execute(instruction, actor, on or today())
    report.save()
    instruction.save()
    return report


def _close_period_or_execute(instruction: Instruction, actor: User, on: dt.date) -> None:
    if instruction.is_periodic and instruction.period_start is not None and instruction.period_end is not None:
        following = next_period(instruction.periodicity, instruction.period_start)
        if following <= instruction.period_end:
            old = instruction.due_date
            instruction.period_start = following
            instruction.due_date = period_due_date(instruction.periodicity, following, instruction.report_day or 1)
            overdue = instruction.due_date < on
            instruction.status = InstructionStatus.OVERDUE if overdue else InstructionStatus.ASSIGNED
            instruction.save()
            _record_deadline(instruction, DeadlineChangeKind.NEXT_PERIOD, old, "", actor)
            return
    instruction.status = InstructionStatus.EXECUTED
    instruction.executed_on = on


# --- deadlines, withdrawal, overdue ---------------------------------------------------------------


@service
def request_extension(instruction: Instruction, *, actor: User, due_date: dt.date, reason: str) -> ExtensionRequest:
    """The lead executor's liaison (or the controller) asks to move the due date, giving a reason."""
    instruction = _locked(instruction)
    _ensure(
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


@service
def decide_extension(request: ExtensionRequest, *, actor: User, approve: bool, comment: str = "") -> ExtensionRequest:
    """The secretary approves (the due date moves, and the change is kept) or refuses a request."""
    _ensure(policy.is_reader(actor) and actor.role == Role.SECRETARY, _("Only the secretary decides on extensions."))
    request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
    instruction = _locked(request.instruction)
    if request.status != ExtensionStatus.PENDING:
        raise Conflict(_("This request has already been decided."))
    request.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
    request.decided_by, request.decided_at, request.comment = actor, timezone.now(), comment
    request.save()
    if approve:
        if instruction.status not in ACTIVE_STATUSES:
            raise Conflict(_("This instruction is closed."))
        old = instruction.due_date
        instruction.due_date = workdays.previous_working_day(request.requested_due_date)
        if instruction.status == InstructionStatus.OVERDUE and instruction.due_date >= today():
            instruction.status = InstructionStatus.ASSIGNED
        instruction.save()
        _record_deadline(instruction, DeadlineChangeKind.EXTENSION, old, request.reason, actor)
    return request


def may_assign_controller(user: User) -> bool:
    return policy.is_reader(user) and user.role in (Role.SECRETARY, Role.CHAIRMAN)


def controllers_for(level: int) -> QuerySet[User]:
    """Who may control an instruction at ``level`` (:func:`may_control`), as one query."""
    return controllers().filter(clearance__gte=int(level))


@service
def assign_controller(instruction: Instruction, controller: User, *, actor: User) -> Instruction:
    """Put an instruction under another controller (the secretary or the chairman), one cleared to
    its level; the new controller is told. Naming the present controller changes nothing."""
    _ensure(
        may_assign_controller(actor), _("Only the secretary or the chairman changes the controller of an instruction.")
    )
    instruction = _locked(instruction)
    if instruction.status in FINISHED_STATUSES:
        raise Conflict(_("This instruction is closed."))
    if instruction.controller_id == controller.pk:
        return instruction
    if not may_control(controller, Classification.PUBLIC):
        raise ValidationError({"controller": _("The controller must be a controller of the apparatus.")})
    if not may_control(controller, instruction.classification):
        raise ValidationError(
            {
                "controller": _("The controller is not cleared to %(level)s, the level of the instruction.")
                % {"level": Classification(instruction.classification).label}
            }
        )
    instruction.controller = controller
    instruction.save()
    notify(
        controller,
        key=f"controller:{instruction.pk}:{controller.pk}:{timezone.now().isoformat()}",
        kind="controller",
        url=reverse("control:instruction-detail", args=[instruction.pk]),
        about=instruction,
        title=_("You control instruction %(number)s") % {"number": instruction.number},
    )
    return instruction


@service
def withdraw(instruction: Instruction, *, actor: User, reason: str) -> Instruction:
    """Take an instruction off control (the secretary, with a reason)."""
    _ensure(policy.is_reader(actor) and actor.role == Role.SECRETARY, _("Only the secretary withdraws instructions."))
    instruction = _locked(instruction)
    if instruction.status in FINISHED_STATUSES:
        raise Conflict(_("This instruction is closed."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    instruction.status = InstructionStatus.WITHDRAWN
    instruction.withdrawn_reason = reason
    instruction.save()
    return instruction


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


@service
def _mark_one_overdue(pk: int, on: dt.date, *, actor: User | None) -> int:
    instruction = Instruction.objects.select_for_update().get(pk=pk)
    if instruction.status not in (InstructionStatus.ASSIGNED, InstructionStatus.RETURNED) or instruction.due_date >= on:
        return 0
    instruction.status = InstructionStatus.OVERDUE
    instruction.save(update_fields=["status", "updated_at"])
    _notify_executors(
        instruction,
        key=f"overdue:{instruction.pk}:{instruction.due_date}",
        kind="overdue",
        title=_("Instruction %(number)s is overdue") % {"number": instruction.number},
    )
    notify(
        instruction.controller,
        key=f"overdue:{instruction.pk}:{instruction.due_date}",
        kind="overdue",
        url=reverse("control:instruction-detail", args=[instruction.pk]),
        about=instruction,
        title=_("Instruction %(number)s is overdue") % {"number": instruction.number},
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
        sent += _notify_executors(
            instruction,
            key=f"reminder:{instruction.pk}:{instruction.due_date}:{n}",
            kind="reminder",
            title=_("Instruction %(number)s is due in %(days)d days") % {"number": instruction.number, "days": n},
        )
    return sent


def _liaisons_of(organization_ids: Iterable[int]) -> QuerySet[User]:
    return User.objects.filter(role=Role.LIAISON, is_active=True, organization_id__in=list(organization_ids))


def _notify_executors(
    instruction: Instruction, *, key: str, kind: str, title: str, body: str = "", lead_only: bool = False
) -> int:
    bodies = (
        [instruction.lead_executor_id]
        if lead_only
        else list(instruction.executors.values_list("organization_id", flat=True))
    )
    url = reverse("control:instruction-detail", args=[instruction.pk])
    return sum(
        notify(liaison, key=key, kind=kind, title=title, body=body, url=url, about=instruction) is not None
        for liaison in _liaisons_of(bodies)
    )


# --- reading -------------------------------------------------------------------------------------


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


def controllers() -> QuerySet[User]:
    """Who may be named an instruction's controller (a staff list, not classified data)."""
    return User.objects.filter(role__in=CONTROLLER_ROLES, is_active=True).order_by("role", "last_name")


def with_executors(queryset: QuerySet[Instruction]) -> QuerySet[Instruction]:
    """Instructions the caller already may see, with their executors fetched in one more query."""
    executors = InstructionExecutor.objects.only("instruction_id", "organization_id", "is_lead")
    return queryset.prefetch_related(Prefetch("executors", queryset=executors))


def extension_visible_to(user: User, extension_id: int) -> ExtensionRequest:
    """A request for more time on an instruction the user may see; anything else is 404."""
    visible = Instruction.objects.visible_to(user).values("pk")
    extension = ExtensionRequest.objects.filter(pk=extension_id, instruction__in=visible).first()
    if extension is None:
        raise Http404(_("Not found."))
    return extension


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


# --- discipline figures --------------------------------------------------------------------------

EXECUTED_ON_TIME = Q(status=InstructionStatus.EXECUTED, executed_on__lte=F("due_date"))
EXECUTED_LATE = Q(status=InstructionStatus.EXECUTED, executed_on__gt=F("due_date"))
FIGURES = {
    "received": ~Q(status=InstructionStatus.WITHDRAWN),
    "on_time": EXECUTED_ON_TIME,
    "late": EXECUTED_LATE,
    "overdue": Q(status=InstructionStatus.OVERDUE),
    "returned": Q(returned_count__gt=0) & ~Q(status=InstructionStatus.WITHDRAWN),
}


@dataclass(frozen=True)
class Discipline:
    """The execution discipline of one body (or of all) over a period of issue."""

    received: int
    on_time: int
    late: int
    overdue: int
    returned: int
    average_delay_days: float | None
    total_delay_days: float = 0.0

    @classmethod
    def combine(cls, parts: list[Discipline]) -> Discipline:
        """The figures of several bodies together (the average delay weighted by their late ones)."""
        late = sum(p.late for p in parts)
        delay = sum(p.total_delay_days for p in parts)
        return cls(
            sum(p.received for p in parts),
            sum(p.on_time for p in parts),
            late,
            sum(p.overdue for p in parts),
            sum(p.returned for p in parts),
            round(delay / late, 1) if late else None,
            delay,
        )

    @property
    def on_time_share(self) -> float | None:
        """Executed on time, as a share of what was received and is no longer open or was due."""
        closed = self.on_time + self.late + self.overdue
        return round(self.on_time / closed, 3) if closed else None


def _aggregates() -> dict[str, Any]:
    delay = ExpressionWrapper(F("executed_on") - F("due_date"), output_field=DurationField())
    return {
        "received": Count("pk", filter=FIGURES["received"]),
        "on_time": Count("pk", filter=FIGURES["on_time"]),
        "late": Count("pk", filter=FIGURES["late"]),
        "overdue": Count("pk", filter=FIGURES["overdue"]),
        "returned": Count("pk", filter=FIGURES["returned"]),
        "total_delay": Sum(delay, filter=EXECUTED_LATE),
    }


def _days(value: Any) -> float:
    """Days in a duration as the database returns it (an interval, or microseconds on SQLite)."""
    if value is None:
        return 0.0
    if isinstance(value, dt.timedelta):
        return value.total_seconds() / 86400
    return float(value) / 86_400_000_000


def _discipline(row: dict[str, Any]) -> Discipline:
    late = row["late"]
    average = round(_days(row.get("total_delay")) / late, 1) if late else None
    return Discipline(
        row["received"],
        row["on_time"],
        row["late"],
        row["overdue"],
        row["returned"],
        average,
        _days(row.get("total_delay")),
    )


def discipline(user: User, *, issued_from: dt.date, issued_to: dt.date) -> dict[str, Any]:
    """The figures for the whole government and per lead body, and their course by month of issue.

    Counted over the instructions the user may see, issued in the period, in one grouped query (by
    body and month): the bodies' figures, the months' and the government's are sums of its rows."""
    base = instructions_for(user, issued_from=issued_from, issued_to=issued_to).order_by()
    rows = list(base.annotate(month=TruncMonth("issued_on")).values("lead_executor", "month").annotate(**_aggregates()))
    per_body: dict[int, list[Discipline]] = {}
    per_month: dict[dt.date, list[Discipline]] = {}
    for row in rows:
        figures = _discipline(row)
        per_body.setdefault(row["lead_executor"], []).append(figures)
        month = row["month"].date() if isinstance(row["month"], dt.datetime) else row["month"]
        per_month.setdefault(month, []).append(figures)
    names = {
        o["pk"]: o
        for o in Organization.objects.filter(pk__in=list(per_body)).values("pk", "name_en", "name_ru", "name_kk")
    }
    by_body = [
        (pk, names[pk]["name_en"], names[pk]["name_ru"], names[pk]["name_kk"], Discipline.combine(parts))
        for pk, parts in per_body.items()
    ]
    by_body.sort(key=lambda r: (-(r[4].on_time_share or 0), -r[4].received, r[1]))
    monthly = [(month, Discipline.combine(parts)) for month, parts in sorted(per_month.items())]
    total = Discipline.combine([figures for _pk, *_names, figures in by_body])
    return {"total": total, "by_body": by_body, "monthly": monthly}
