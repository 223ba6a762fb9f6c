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


def record_deadline(instruction: Instruction, kind: str, old: dt.date | None, reason: str, actor: User | None) -> None:
    DeadlineChange.objects.create(
        instruction=instruction,
        kind=kind,
        old_due_date=old,
        new_due_date=instruction.due_date,
        reason=reason,
        changed_by=actor if actor is not None and actor.is_authenticated else None,
    )
