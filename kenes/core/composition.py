"""The one rule of composed documents: a document holds only what is at or below its own level.

A composed document is a record whose text or figures are put together from other classified records:
the minutes of a session (its items, speakers and decisions), a strategy evaluation report (its
indicators and goals), a threats situation report (threats, alerts, forecasts, countermeasures), and
every later one (the annual report, a hearing brief). Kenes does **not** classify such a document at
the high-water mark of whatever happened to go into it; it decides the document's level first and
composes from what is at or below it. So whoever may read the document may read every line of it,
and a reader above the document's level never finds it lowered to hold something it should not.

* The level comes first: by default the level of the record the document is about (the minutes': the
  session's; an evaluation report's: its strategic document's), or what the author chose — never
  above his clearance (:func:`kenes.core.policy.ensure_may_classify`) and never below its source
  (:func:`kenes.core.policy.ensure_high_water`). To include higher records, the author raises the
  document's level (an audited change) and the document is composed again.
* Every source the document composes is passed through :func:`at_or_below` with that level, on top of
  what the author may read himself (``Model.objects.visible_to(author)``).
* The stored document is a classified record read like any other, through the visibility policy, so
  a reader sees its text only if he may read its level; the audit event written when it is stored
  carries the same, already capped, text.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet


def at_or_below(items: QuerySet[Any] | Iterable[Any], level: int) -> Any:
    """Only the records of ``items`` classified at or below ``level``.

    A queryset stays a queryset (one more database condition); any other iterable of classified
    records becomes a list. Every composed document passes each of its sources through it."""
    if isinstance(items, QuerySet):
        return items.filter(classification__lte=int(level))
    return [item for item in items if int(item.classification) <= int(level)]


def holds(level: int, record: Any) -> bool:
    """Whether a document at ``level`` may hold ``record`` (a record at or below it)."""
    return record is not None and int(record.classification) <= int(level)
