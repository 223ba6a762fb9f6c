"""The working calendar deadlines are counted on: the secretary's corrections of the official one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from kenes.accounts.models import Role, User
from kenes.control import workdays
from kenes.control.models import CalendarOverride
from kenes.core import policy
from kenes.core.services import service


def may_correct_calendar(user: User) -> bool:
    return user.is_active and user.role in (Role.SECRETARY, Role.CHAIRMAN)


@service
def correct_calendar(*, actor: User, date: dt.date, is_working: bool, note: str = "") -> CalendarOverride:
    """Record the secretary's correction of one day (a decree moving a day off, published late).

    Deadlines computed afterwards use it; deadlines already set stay as they were (an extension
    changes a deadline, never a calendar correction)."""
    policy.ensure(may_correct_calendar(actor), _("Only the secretary or the chairman corrects the working calendar."))
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
    policy.ensure(may_correct_calendar(actor), _("Only the secretary or the chairman corrects the working calendar."))
    correction = CalendarOverride.objects.filter(date=date).first()
    if correction is None:
        raise Http404(_("Not found."))
    correction.delete()


def calendar_days_off(year: int) -> list[dict[str, Any]]:
    """The year's days that differ from a plain Monday-to-Friday week, official and corrected."""
    notes = dict(CalendarOverride.objects.filter(date__year=year).values_list("date", "note"))
    return [{**day, "note": notes.get(day["date"], "")} for day in workdays.exceptions_of(year)]
