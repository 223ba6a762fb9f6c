"""Rules of execution control: issuing instructions, deadlines, reports and their review, extensions,
withdrawal, overdue marking, reminders and the discipline figures.

Every change runs in one transaction with its audit events (``core.services.service``); notifications
are recorded in the same transaction and e-mailed after it commits, never twice for one event.

The rules live in the modules of this package, by topic; every name callers use is kept here, so
``from kenes.control import services`` and ``services.issue_instruction(...)`` work as they always have.
"""

from kenes.control.choices import ACTIVE_STATUSES, OPEN_STATUSES
from kenes.control.services.deadlines import (
    due_date_for,
    first_period,
    next_period,
    period_due_date,
    today,
    urgency_due_date,
    urgency_holds,
)
from kenes.control.services.discipline import Discipline, discipline
from kenes.control.services.extensions import (
    REMINDER_DAYS,
    decide_extension,
    mark_overdue,
    request_extension,
    send_reminders,
)
from kenes.control.services.instructions import (
    assign_controller,
    default_level,
    ensure_urgency_agrees,
    issue_instruction,
    withdraw,
)
from kenes.control.services.reading import (
    EXECUTED_LATE,
    EXECUTED_ON_TIME,
    FIGURES,
    board,
    instructions_aimed_at,
    instructions_aimed_at_each,
    instructions_for,
    reports_of,
    with_executors,
    with_parties,
)
from kenes.control.services.reports import review_report, submit_report
from kenes.control.services.roles import (
    CONTROLLER_ROLES,
    FINISHED_STATUSES,
    ISSUING_ROLES,
    REVIEWING_ROLES,
    acting_controller,
    controller_cleared,
    controllers,
    controllers_for,
    default_controller,
    ensure_may_control,
    is_co_executor_liaison,
    is_lead_liaison,
    may_assign_controller,
    may_attach_to_report,
    may_control,
    may_issue,
    may_review,
)
from kenes.control.services.translations import translate
from kenes.control.services.working_calendar import (
    calendar_days_off,
    correct_calendar,
    may_correct_calendar,
    remove_calendar_correction,
)

__all__ = [
    "ACTIVE_STATUSES",
    "CONTROLLER_ROLES",
    "EXECUTED_LATE",
    "EXECUTED_ON_TIME",
    "FIGURES",
    "FINISHED_STATUSES",
    "ISSUING_ROLES",
    "OPEN_STATUSES",
    "REMINDER_DAYS",
    "REVIEWING_ROLES",
    "Discipline",
    "acting_controller",
    "assign_controller",
    "board",
    "calendar_days_off",
    "controller_cleared",
    "controllers",
    "controllers_for",
    "correct_calendar",
    "decide_extension",
    "default_controller",
    "default_level",
    "discipline",
    "due_date_for",
    "ensure_may_control",
    "ensure_urgency_agrees",
    "first_period",
    "instructions_aimed_at",
    "instructions_aimed_at_each",
    "instructions_for",
    "is_co_executor_liaison",
    "is_lead_liaison",
    "issue_instruction",
    "mark_overdue",
    "may_assign_controller",
    "may_attach_to_report",
    "may_control",
    "may_correct_calendar",
    "may_issue",
    "may_review",
    "next_period",
    "period_due_date",
    "remove_calendar_correction",
    "reports_of",
    "request_extension",
    "review_report",
    "send_reminders",
    "submit_report",
    "today",
    "translate",
    "urgency_due_date",
    "urgency_holds",
    "with_executors",
    "with_parties",
    "withdraw",
]
