"""Periods of time series: the one rule of how a period is written, shared by every module.

A period (of a target, a measurement, an observation, a forecast point) is written as its first day:
``2026-01-01`` is the year 2026 for an annual series, its first quarter for a quarterly one, January
for a monthly one and the week starting that Monday for a weekly one. Any other day is invalid input.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kenes.core import bounds


class Frequency(models.TextChoices):
    DAILY = "daily", _("daily")
    WEEKLY = "weekly", _("weekly")
    MONTHLY = "monthly", _("monthly")
    QUARTERLY = "quarterly", _("quarterly")
    ANNUAL = "annual", _("annual")


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_SEASON = {"daily": 7, "weekly": 52, "monthly": 12, "quarterly": 4, "annual": 1}
_PANDAS = {"daily": "D", "weekly": "W-MON", "monthly": "MS", "quarterly": "QS", "annual": "YS"}
_MONTHS = {"monthly": 1, "quarterly": 3, "annual": 12}


def _check(frequency: str) -> None:
    if frequency not in _SEASON:
        raise ValueError(f"unknown frequency {frequency!r}")


def floor(day: dt.date, frequency: str) -> dt.date:
    """The first day of the period that contains ``day``."""
    _check(frequency)
    if isinstance(day, dt.datetime):
        day = day.date()
    if frequency == "daily":
        return day
    if frequency == "weekly":
        return day - dt.timedelta(days=day.weekday())
    step = _MONTHS[frequency]
    return dt.date(day.year, (day.month - 1) // step * step + 1, 1)


def is_start(day: dt.date, frequency: str) -> bool:
    """Whether ``day`` is how a period of this frequency is written."""
    return floor(day, frequency) == day


def shift(period: dt.date, frequency: str, n: int) -> dt.date:
    """The period ``n`` periods after ``period`` (before it, for negative ``n``)."""
    _check(frequency)
    if frequency == "daily":
        return period + dt.timedelta(days=n)
    if frequency == "weekly":
        return period + dt.timedelta(weeks=n)
    months = period.year * 12 + period.month - 1 + n * _MONTHS[frequency]
    return dt.date(months // 12, months % 12 + 1, 1)


def count_between(a: dt.date, b: dt.date, frequency: str) -> int:
    """How many periods from the period of ``a`` to the period of ``b`` (negative if ``b`` is earlier)."""
    a, b = floor(a, frequency), floor(b, frequency)
    if frequency == "daily":
        return (b - a).days
    if frequency == "weekly":
        return (b - a).days // 7
    return ((b.year - a.year) * 12 + b.month - a.month) // _MONTHS[frequency]


def span(start: dt.date, end: dt.date, frequency: str) -> list[dt.date]:
    """Every period from the one containing ``start`` to the one containing ``end``, inclusive."""
    first = floor(start, frequency)
    return [shift(first, frequency, i) for i in range(count_between(first, end, frequency) + 1)]


def label(period: dt.date, frequency: str) -> str:
    """How a person reads the period: 2026, 2026 Q1, 2026-03, 2026-W10 or 2026-03-05."""
    _check(frequency)
    if frequency == "annual":
        return str(period.year)
    if frequency == "quarterly":
        return f"{period.year} Q{(period.month - 1) // 3 + 1}"
    if frequency == "monthly":
        return f"{period.year}-{period.month:02d}"
    if frequency == "weekly":
        year, week, _day = period.isocalendar()
        return f"{year}-W{week:02d}"
    return period.isoformat()


def season_length(frequency: str) -> int:
    """Periods in one seasonal cycle, as forecasting models expect it."""
    _check(frequency)
    return _SEASON[frequency]


def pandas_freq(frequency: str) -> str:
    """The pandas offset alias of the frequency, its periods starting on their first day."""
    _check(frequency)
    return _PANDAS[frequency]


def parse(value: object, frequency: str, *, field: str = "period") -> dt.date:
    """A period from a date or an ISO ``YYYY-MM-DD`` text; anything else, an impossible date, a day outside
    the calendar's bounds or a day that is not the first of its period is a ``ValidationError`` naming ``field``."""
    _check(frequency)
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    else:
        text = str(value).strip() if isinstance(value, str | int | float) else ""
        try:
            if not _ISO_DAY.fullmatch(text):
                raise ValueError(text)
            day = dt.date.fromisoformat(text)
        except ValueError:
            raise ValidationError(
                {field: [gettext("Enter a date as YYYY-MM-DD; “%(value)s” is not one.") % {"value": text[:40]}]}
            ) from None
    bounds.check_date(day, field=field)
    if not is_start(day, frequency):
        raise ValidationError(
            {
                field: [
                    gettext("%(day)s is not the first day of a %(frequency)s period; write it as %(start)s.")
                    % {"day": day.isoformat(), "frequency": Frequency(frequency).label, "start": floor(day, frequency)}
                ]
            }
        )
    return day
