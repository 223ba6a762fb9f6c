"""The edges of what input may be: ids, offsets and dates, the same for the API, the pages and imports.

A number past what the database stores (SQLite and PostgreSQL keep 64-bit integers) or a date past what
the calendar code can shift by a day or a period is invalid input, refused with a message naming the
field, never a server error later on. The API declares these bounds in its schema (``kenes.core.schemas``),
the forms in their fields (``kenes.core.forms``), and the parsing of periods in ``kenes.core.periods``.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

MAX_ID = 2**63 - 1
MAX_OFFSET = 10**9
MAX_LIMIT = 500
MIN_YEAR = 1900
MAX_YEAR = 2200
MIN_DATE = dt.date(MIN_YEAR, 1, 1)
MAX_DATE = dt.date(MAX_YEAR, 12, 31)


def date_error(day: dt.date) -> str | None:
    """Why ``day`` is out of bounds, in the reader's language; ``None`` when it is within them."""
    if isinstance(day, dt.datetime):
        day = day.date()
    if MIN_DATE <= day <= MAX_DATE:
        return None
    return gettext("Enter a date between %(min)s and %(max)s.") % {
        "min": MIN_DATE.isoformat(),
        "max": MAX_DATE.isoformat(),
    }


def check_date(day: dt.date, *, field: str) -> dt.date:
    """``day`` itself if it is within the bounds, else a ``ValidationError`` naming ``field``."""
    message = date_error(day)
    if message is not None:
        raise ValidationError({field: [message]}, code="out_of_bounds")
    return day
