"""Kazakhstan's working-day calendar: weekends, public holidays and transferred days off.

The holidays and the days off moved by government decree come from the maintained ``holidays``
library; the secretary can correct any day (a decree published late) with a ``CalendarOverride``.
Deadlines are counted on this calendar, and a due date that falls on a day off moves to the previous
working day."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays
from django.core.cache import cache

OVERRIDES_CACHE_KEY = "kenes.control.calendar_overrides"


@lru_cache(maxsize=64)
def _official(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("KZ", years=year)


def _overrides() -> dict[dt.date, bool]:
    overrides = cache.get(OVERRIDES_CACHE_KEY)
    if overrides is None:
        from kenes.control.models import CalendarOverride

        overrides = dict(CalendarOverride.objects.values_list("date", "is_working"))
        cache.set(OVERRIDES_CACHE_KEY, overrides, 300)
    return overrides


def forget_overrides() -> None:
    cache.delete(OVERRIDES_CACHE_KEY)


def is_working_day(day: dt.date) -> bool:
    """Whether ``day`` is a working day in Kazakhstan (the secretary's correction wins)."""
    override = _overrides().get(day)
    if override is not None:
        return override
    return _official(day.year).is_working_day(day)


def previous_working_day(day: dt.date) -> dt.date:
    """``day`` itself if it is a working day, else the last working day before it."""
    while not is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def add_working_days(start: dt.date, count: int) -> dt.date:
    """The date ``count`` working days after ``start`` (``start`` itself is not counted)."""
    if count < 0:
        raise ValueError("count must not be negative")
    day = start
    while count:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """How many working days lie after ``start`` up to and including ``end``."""
    days, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        days += is_working_day(day)
    return days


def exceptions_of(year: int) -> list[dict]:
    """Every day of ``year`` that is not as a plain Monday-to-Friday week has it: public holidays,
    transferred days off and working Saturdays, with the secretary's corrections marked."""
    official = _official(year)
    overrides = _overrides()
    days: dict[dt.date, dict] = {}
    day = dt.date(year, 1, 1)
    while day.year == year:
        plain = day.weekday() < 5
        working = is_working_day(day)
        if working != plain or day in official or day in overrides:
            days[day] = {
                "date": day,
                "is_working": working,
                "name": official.get(day) or "",
                "corrected": day in overrides,
            }
        day += dt.timedelta(days=1)
    return [days[d] for d in sorted(days)]
