"""What a reader sees of the register: documents, goals, indicators, reports, measurements, and the
periods a body still has to report. Every queryset comes through the visibility policy."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db.models import Q, QuerySet

from kenes.core import periods, references, search
from kenes.strategy.choices import EvaluationStatus
from kenes.strategy.models import EvaluationReport, Goal, Indicator, Measurement, MeasurementRevision, StrategicDocument
from kenes.strategy.services import common


def documents_for(user: Any, *, q: str | None = None, kind: str | None = None) -> QuerySet[StrategicDocument]:
    queryset = StrategicDocument.objects.visible_to(user).select_related("owner")
    queryset = references.annotate(queryset, user, "parent")
    if kind:
        queryset = queryset.filter(kind=kind)
    return search.matching(queryset, q, ("title",)).order_by("period_start", "title", "pk")


def indicators_for(
    user: Any,
    *,
    document: int | None = None,
    goal: int | None = None,
    responsible: int | None = None,
    status: str | None = None,
    q: str | None = None,
) -> QuerySet[Indicator]:
    """The indicators the user may see, with their stored evaluation, filtered as pages and API ask."""
    queryset = Indicator.objects.visible_to(user).select_related("evaluation", "responsible", "document")
    queryset = references.annotate(queryset, user, "goal")
    if document:
        queryset = references.filter_by(queryset, user, "document", document)
    if goal:
        queryset = references.filter_by(queryset, user, "goal", goal)
    if responsible:
        queryset = queryset.filter(responsible_id=responsible)
    if status == EvaluationStatus.NO_DATA:
        queryset = queryset.filter(Q(evaluation__isnull=True) | Q(evaluation__status=status))
    elif status:
        queryset = queryset.filter(evaluation__status=status)
    return search.matching(queryset, q, ("code", "name")).order_by("document_id", "code")


def goals_for(user: Any, document: StrategicDocument) -> QuerySet[Goal]:
    goals = Goal.objects.visible_to(user).filter(document=document)
    return references.annotate(goals, user, "parent").order_by("parent_id", "position", "pk")


def reports_for(user: Any, *, document: int | None = None) -> QuerySet[EvaluationReport]:
    queryset = EvaluationReport.objects.visible_to(user).select_related("document", "author")
    queryset = references.annotate(queryset, user, "agenda_item")
    if document:
        queryset = references.filter_by(queryset, user, "document", document)
    return queryset.order_by("-period", "-pk")


def measurements_of(indicator: Indicator) -> QuerySet[Measurement]:
    """Measurements of an indicator the caller has already been allowed to see."""
    return indicator.measurements.select_related("entered_by", "verified_by").order_by("period")


def revisions_of(indicator: Indicator) -> QuerySet[MeasurementRevision]:
    return (
        MeasurementRevision.objects.filter(measurement__indicator=indicator)
        .select_related("measurement", "entered_by", "replaced_by")
        .order_by("measurement__period", "replaced_at", "pk")
    )


def _due_window(indicator: Indicator, until: dt.date) -> tuple[dt.date, dt.date]:
    frequency = indicator.frequency
    last_ended = periods.shift(periods.floor(until, frequency), frequency, -1)
    first = max(
        periods.floor(indicator.document.period_start, frequency),
        periods.shift(indicator.baseline_period, frequency, 1),
    )
    return first, min(last_ended, periods.floor(indicator.document.period_end, frequency))


def due_periods(indicators: Sequence[Indicator], *, until: dt.date | None = None) -> dict[int, list[dt.date]]:
    """For each indicator (with its document loaded), the periods of its document's span after the
    baseline that have ended by ``until`` but have no value yet: what its body still has to report.
    One query for all of them."""
    until = until or common.today()
    windows = {i.pk: _due_window(i, until) for i in indicators}
    have: set[tuple[int, dt.date]] = set(
        Measurement.objects.filter(indicator_id__in=list(windows)).values_list("indicator_id", "period")
    )
    due = {}
    for indicator in indicators:
        first, end = windows[indicator.pk]
        spans = periods.span(first, end, indicator.frequency) if first <= end else []
        due[indicator.pk] = [p for p in spans if (indicator.pk, p) not in have]
    return due


def entry_periods(indicator: Indicator) -> list[dt.date]:
    """The periods a value may be entered for: the document's span up to the current period, latest first."""
    start, end = common.window(indicator.document, indicator.frequency)
    end = min(end, periods.floor(common.today(), indicator.frequency))
    return list(reversed(periods.span(start, end, indicator.frequency))) if start <= end else []
