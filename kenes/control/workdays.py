"""Kazakhstan's working-day calendar: weekends, public holidays and transferred days off.

The holidays and the days off moved by government decree come from the maintained ``holidays``
library; the secretary can correct any day (a decree published late) with a ``CalendarOverride``.
Deadlines are counted on this calendar, and a due date that falls on a day off moves to the previous
working day."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

import holidays
from django.utils.translation import get_language

from kenes.core import texts


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
            days.append({"date": day, "is_working": working, "name": holiday_name(day), "corrected": day in overrides})
        day += dt.timedelta(days=1)
    return days


# The holidays by their English names in the library, each a text code with a translated label. The
# Kazakh names are the library's own (the official ones); Russian and English come from the catalogue.
_HOLIDAYS = {
    "New Year's Day": "holiday.new_year",
    "Orthodox Christmas": "holiday.orthodox_christmas",
    "International Women's Day": "holiday.womens_day",
    "Nowruz Holiday": "holiday.nowruz",
    "Kazakhstan's People Solidarity Holiday": "holiday.unity_day",
    "Defender of the Fatherland Day": "holiday.defender_day",
    "Victory Day": "holiday.victory_day",
    "Capital Day": "holiday.capital_day",
    "Constitution Day": "holiday.constitution_day",
    "Republic Day": "holiday.republic_day",
    "First President Day": "holiday.first_president_day",
    "Independence Day": "holiday.independence_day",
    "Eid al-Adha": "holiday.eid_al_adha",
}
_QUALIFIED = re.compile(r"^(?P<name>.+) \((?P<how>observed|estimated)\)$")
_SUBSTITUTED = re.compile(r"^Day off \(substituted from (?P<month>\d\d)/(?P<day>\d\d)/(?P<year>\d{4})\)$")


@lru_cache(maxsize=64)
def _named(year: int, language: str) -> holidays.HolidayBase:
    return holidays.country_holidays("KZ", years=year, language=language)


def holiday_text(name: str) -> texts.Text | None:
    """The text code of a holiday's English name in the library (``None`` for a name it does not know)."""
    moved = _SUBSTITUTED.match(name)
    if moved:
        day = dt.date(int(moved["year"]), int(moved["month"]), int(moved["day"]))
        return texts.text("holiday.substituted", date=texts.date(day))
    qualified = _QUALIFIED.match(name)
    if qualified and qualified["name"] in _HOLIDAYS:
        base = texts.label(_HOLIDAYS[qualified["name"]])
        return texts.text(f"holiday.{'observed' if qualified['how'] == 'observed' else 'estimated'}", name=base)
    return texts.text(_HOLIDAYS[name]) if name in _HOLIDAYS else None


def holiday_name(day: dt.date) -> str:
    """The name of the public holiday or moved day off on ``day`` in the active language ("" if none)."""
    english = _named(day.year, "en_US").get(day)
    if not english:
        return ""
    if (get_language() or "").startswith("kk"):
        return _named(day.year, "kk").get(day) or english
    names = []
    for name in english.split("; "):
        known = holiday_text(name)
        names.append(str(known) if known is not None else name)
    return "; ".join(names)
