"""The execution discipline figures: per lead body, for the whole government, and by month of issue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, DurationField, ExpressionWrapper, F, Sum
from django.db.models.functions import TruncMonth

from kenes.accounts.models import User
from kenes.control.services.reading import EXECUTED_LATE, FIGURES, instructions_for
from kenes.directory.models import Organization


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
