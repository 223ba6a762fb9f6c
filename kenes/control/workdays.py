"""Kazakhstan's working-day calendar: weekends, public holidays and transferred days off.

The holidays and the days off moved by government decree come from the maintained ``holidays``
library; the secretary can correct any day (a decree published late) with a ``CalendarOverride``.
Deadlines are counted on this calendar, and a due date that falls on a day off moves to the previous
working day."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _official(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("KZ", years=year)


def _overrides(first: dt.date, last: dt.date) -> dict[dt.date, bool]:
    """The secretary's corrections between two days, read afresh by every operation (one query), so
    every process sees a correction the moment it is committed."""
    from kenes.control.models import CalendarOverride

    return dict(CalendarOverride.objects.filter(date__range=(first, last)).values_list("date", "is_working"))


def _working(day: dt.date, overrides: dict[dt.date, bool]) -> bool:
    override = overrides.get(day)
    return override if override is not None else _official(day.year).is_working_day(day)


def is_working_day(day: dt.date) -> bool:
    """Whether ``day`` is a working day in Kazakhstan (the secretary's correction wins)."""
    return _working(day, _overrides(day, day))


def previous_working_day(day: dt.date) -> dt.date:
    """``day`` itself if it is a working day, else the last working day before it."""
    overrides = _overrides(day - dt.timedelta(days=60), day)
    while not _working(day, overrides):
        day -= dt.timedelta(days=1)
    return day


def add_working_days(start: dt.date, count: int) -> dt.date:
    """The date ``count`` working days after ``start`` (``start`` itself is not counted)."""
    if count < 0:
        raise ValueError("count must not be negative")
    overrides = _overrides(start, start + dt.timedelta(days=count * 3 + 60))
    day = start
    while count:
        day += dt.timedelta(days=1)
        if _working(day, overrides):
            count -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """How many working days lie after ``start`` up to and including ``end``."""
    overrides = _overrides(start, end)
    days, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        days += _working(day, overrides)
    return days


def exceptions_of(year: int) -> list[dict]:
    """Every day of ``year`` that is not as a plain Monday-to-Friday week has it: public holidays,
    transferred days off and working Saturdays, with the secretary's corrections marked."""
    official = _official(year)
    overrides = _overrides(dt.date(year, 1, 1), dt.date(year, 12, 31))
    days = []
    day = dt.date(year, 1, 1)
    while day.year == year:
        working = _working(day, overrides)
        if working != (day.weekday() < 5) or day in official or day in overrides:
            days.append(
                {"date": day, "is_working": working, "name": official.get(day) or "", "corrected": day in overrides}
            )
        day += dt.timedelta(days=1)
    return days
