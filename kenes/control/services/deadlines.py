"""Deadlines: the day they are counted in, the due date of an instruction and of each reporting
period, and the record of every change of a due date."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from kenes.accounts.models import User
from kenes.control import workdays
from kenes.control.choices import PERIOD_MONTHS, URGENCY_WORKING_DAYS, Periodicity, Urgency
from kenes.control.models import DeadlineChange, Instruction


def today() -> dt.date:
    """Today in Asia/Almaty, the day that deadlines are counted in."""
    return timezone.localdate()


def due_date_for(urgency: str, issued_on: dt.date, requested: dt.date | None = None) -> dt.date:
    """The due date of an instruction: N working days from issue for the urgent classes, else the
    requested date; a date that falls on a day off moves to the previous working day."""
    return workdays.previous_working_day(asked_due_date(urgency, issued_on, requested))


def asked_due_date(urgency: str, issued_on: dt.date, requested: dt.date | None = None) -> dt.date:
    """The due date asked for, before a day off moves it (:func:`due_date_for`): N working days from
    issue for the urgent classes (always a working day), else the requested date."""
    if urgency in URGENCY_WORKING_DAYS:
        return workdays.add_working_days(issued_on, URGENCY_WORKING_DAYS[Urgency(urgency)])
    if requested is None:
        raise ValidationError({"due_date": _("An ordinary instruction needs a due date.")})
    if requested < issued_on:
        raise ValidationError({"due_date": _("The due date cannot be before the day of issue.")})
    return requested


def urgency_due_date(urgency: str, issued_on: dt.date) -> dt.date | None:
    """The due date an urgency class gives an instruction issued on ``issued_on`` (N working days
    after it), or ``None`` for an ordinary one, whose due date is chosen."""
    if urgency not in URGENCY_WORKING_DAYS:
        return None
    return workdays.add_working_days(issued_on, URGENCY_WORKING_DAYS[Urgency(urgency)])


def urgency_holds(instruction: Instruction) -> bool:
    """Whether the instruction's urgency still gives its due date: always for an ordinary one; for an
    urgent one, unless the due date has moved since (an approved extension), when its page must say so
    rather than show "3 working days" beside a date weeks away."""
    due = urgency_due_date(instruction.urgency, instruction.issued_on)
    return due is None or (due == instruction.due_date and not instruction.is_periodic)


def first_period(periodicity: str, issued_on: dt.date) -> dt.date:
    """The first day of the reporting period that contains ``issued_on``."""
    months = PERIOD_MONTHS[Periodicity(periodicity)]
    month = ((issued_on.month - 1) // months) * months + 1
    return dt.date(issued_on.year, month, 1)


def period_due_date(periodicity: str, period_start: dt.date, report_day: int) -> dt.date:
    """A period's report is due by ``report_day`` of the month after the period (previous working day)."""
    return workdays.previous_working_day(period_asked_date(periodicity, period_start, report_day))


def period_asked_date(periodicity: str, period_start: dt.date, report_day: int) -> dt.date:
    """``report_day`` of the month after the period, before a day off moves it (:func:`period_due_date`)."""
    months = PERIOD_MONTHS[Periodicity(periodicity)]
    after = period_start + relativedelta(months=months)
    return after.replace(day=report_day)


def next_period(periodicity: str, period_start: dt.date) -> dt.date:
    return period_start + relativedelta(months=PERIOD_MONTHS[Periodicity(periodicity)])


def record_deadline(
    instruction: Instruction,
    kind: str,
    old: dt.date | None,
    reason: str,
    actor: User | None,
    *,
    asked: dt.date | None = None,
) -> DeadlineChange:
    """Keep a change of the instruction's due date; ``asked`` is the date asked for, kept as
    ``moved_from`` when it was a day off and the due date moved to the working day before it."""
    return DeadlineChange.objects.create(
        instruction=instruction,
        kind=kind,
        old_due_date=old,
        new_due_date=instruction.due_date,
        moved_from=asked if asked is not None and asked != instruction.due_date else None,
        reason=reason,
        changed_by=actor if actor is not None and actor.is_authenticated else None,
    )
