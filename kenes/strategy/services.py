"""Rules of strategic monitoring, and its evaluation engine, in one place.

Documents, goals, indicators, targets and measurements change only here, each change in one
transaction with its audit events. The evaluation of an indicator (achievement against its target,
status from the secretary's thresholds, forecast of the value at the end of the document's period
and the probability of meeting the final target) is computed here and stored; it is recomputed by
these services whenever a measurement, a target, a baseline or the thresholds change, never by hand.
Roll-ups to goals and documents are computed on read from the stored evaluations of the indicators
the reader may see, so a roll-up never carries figures of an indicator hidden from its reader.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, F, FloatField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Greatest, Least
from django.utils import timezone
from django.utils.translation import gettext as _

from kenes.accounts.models import Role, User
from kenes.core import audit, codes, composition, periods, policy, references, search
from kenes.core.classification import Classification
from kenes.core.models import AuditEvent
from kenes.core.services import service
from kenes.directory.models import Organization
from kenes.strategy.choices import (
    Direction,
    DocumentKind,
    DocumentStatus,
    EvaluationStatus,
    IndicatorFrequency,
    MeasurementSource,
)
from kenes.strategy.forecasting import forecast
from kenes.strategy.models import (
    EvaluationReport,
    EvaluationSettings,
    Goal,
    Indicator,
    IndicatorEvaluation,
    Measurement,
    MeasurementRevision,
    StrategicDocument,
    Target,
)

if TYPE_CHECKING:
    from kenes.council.models import AgendaItem, Meeting

# The apparatus keeps the register of documents and indicators; analysts verify measurements; the
# secretary sets the thresholds; the secretary and the chairman put reports on an agenda.
EDITING_ROLES = (Role.CHAIRMAN, Role.SECRETARY, Role.ANALYST)
VERIFYING_ROLES = (Role.SECRETARY, Role.ANALYST)
THRESHOLD_ROLES = (Role.SECRETARY,)
APPARATUS_ROLES = (Role.CHAIRMAN, Role.SECRETARY, Role.ANALYST, Role.CONTROLLER, Role.MEMBER, Role.AUDITOR)
#: No indicator of a state document is measured in numbers beyond this: a bigger one is a typo.
ABSURD = 1e12


def today() -> dt.date:
    return timezone.localdate()


def _ensure(condition: bool, message: str) -> None:
    if not condition:
        raise PermissionDenied(message)


# --- who may do what ------------------------------------------------------------------------------


def may_edit(user: Any) -> bool:
    """The chairman, the secretary and the analysts keep the register of documents and indicators."""
    return policy.is_reader(user) and user.role in EDITING_ROLES


def may_verify(user: Any) -> bool:
    return policy.is_reader(user) and user.role in VERIFYING_ROLES


def may_set_thresholds(user: Any) -> bool:
    return policy.is_reader(user) and user.role in THRESHOLD_ROLES


def sees_apparatus_pages(user: Any) -> bool:
    """The heatmap, reports and the import of others' data are for the Council and its apparatus."""
    return policy.is_reader(user) and user.role in APPARATUS_ROLES


def may_read_thresholds(user: Any) -> bool:
    """Who reads the thresholds of the statuses, by page or API: the Council and its apparatus (the
    secretary sets them); for anyone else they do not exist (404)."""
    return sees_apparatus_pages(user)


def may_enter(user: Any, indicator: Indicator) -> bool:
    """Measurements are entered by the responsible body's liaison officer, or by the apparatus's
    analysts and secretary (e.g. from official statistics). Visibility is checked by the caller."""
    if not policy.is_reader(user):
        return False
    if user.is_liaison:
        return user.organization_id is not None and indicator.responsible_id == user.organization_id
    return user.role in VERIFYING_ROLES


# --- reading -------------------------------------------------------------------------------------


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
    until = until or today()
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
    start, end = _window(indicator.document, indicator.frequency)
    end = min(end, periods.floor(today(), indicator.frequency))
    return list(reversed(periods.span(start, end, indicator.frequency))) if start <= end else []


# --- the register ----------------------------------------------------------------------------------


def _level(value: int | None, default: int) -> int:
    level = int(value if value is not None else default)
    if level not in Classification.values:
        raise ValidationError({"classification": _("Unknown classification.")})
    return level


def _check_level(actor: User, level: int, sources: Iterable[Any]) -> None:
    policy.ensure_may_classify(actor, level)
    policy.ensure_high_water(level, sources)


def _finite(value: Any, field_name: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError({field_name: _("Enter a number.")}) from None
    if not math.isfinite(number):
        raise ValidationError({field_name: _("Enter a finite number.")})
    if abs(number) > ABSURD:
        raise ValidationError({field_name: _("The value is absurdly large.")})
    return number


def _weight(value: Any, field_name: str = "weight") -> float:
    number = _finite(value, field_name)
    if number <= 0 or number > 1000:
        raise ValidationError({field_name: _("A weight is a positive number up to 1000.")})
    return number


@service
def create_document(
    *,
    actor: User,
    kind: str,
    title: str,
    period_start: dt.date,
    period_end: dt.date,
    owner: Organization,
    parent: StrategicDocument | None = None,
    status: str = DocumentStatus.IN_FORCE,
    description: str = "",
    classification: int | None = None,
) -> StrategicDocument:
    """Register a strategic document; a document under a parent is classified at least as high."""
    _ensure(may_edit(actor), _("Only the chairman, the secretary or an analyst registers strategic documents."))
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": _("Unknown kind of document.")})
    if status not in DocumentStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    if not title.strip():
        raise ValidationError({"title": _("Give the document a title.")})
    if period_end < period_start:
        raise ValidationError({"period_end": _("The end of the period is before its start.")})
    level = _level(classification, parent.classification if parent else Classification.OFFICIAL)
    _check_level(actor, level, [parent] if parent else [])
    document = StrategicDocument(
        kind=kind,
        title=title.strip(),
        period_start=period_start,
        period_end=period_end,
        owner=owner,
        parent=parent,
        status=status,
        description=description,
        classification=level,
    )
    document.full_clean()
    document.save()
    return document


@service
def create_goal(
    document: StrategicDocument,
    *,
    actor: User,
    title: str,
    weight: float = 1.0,
    parent: Goal | None = None,
    classification: int | None = None,
) -> Goal:
    """Add a goal (or a sub-goal, two levels at most) to a document."""
    _ensure(may_edit(actor), _("Only the chairman, the secretary or an analyst edits goals."))
    if parent is not None and (parent.document_id != document.pk or parent.parent_id is not None):
        raise ValidationError({"parent": _("A sub-goal belongs to a top-level goal of the same document.")})
    if not title.strip():
        raise ValidationError({"title": _("Give the goal a title.")})
    sources = [document, parent] if parent else [document]
    level = _level(classification, policy.high_water_mark(sources))
    _check_level(actor, level, sources)
    position = (document.goals.filter(parent=parent).aggregate(m=models.Max("position"))["m"] or 0) + 1
    goal = Goal(
        document=document,
        parent=parent,
        title=title.strip(),
        weight=_weight(weight),
        position=position,
        classification=level,
    )
    goal.full_clean()
    goal.save()
    return goal


def _target_rows(indicator: Indicator, targets: Sequence[tuple[Any, Any]]) -> dict[dt.date, float]:
    """Validate targets: each period a start of the indicator's frequency inside the document's span."""
    rows: dict[dt.date, float] = {}
    for index, (raw_period, raw_value) in enumerate(targets):
        where = f"targets[{index}]"
        period = periods.parse(raw_period, indicator.frequency, field=f"{where}.period")
        _in_document(indicator, period, f"{where}.period")
        if period in rows:
            raise ValidationError({f"{where}.period": _("This period is given twice.")})
        rows[period] = _finite(raw_value, f"{where}.value")
    return rows


def _window(document: StrategicDocument, frequency: str) -> tuple[dt.date, dt.date]:
    return periods.floor(document.period_start, frequency), periods.floor(document.period_end, frequency)


def _in_document(indicator: Indicator, period: dt.date, field_name: str) -> None:
    start, end = _window(indicator.document, indicator.frequency)
    if not start <= period <= end:
        raise ValidationError(
            {
                field_name: _("The period is outside the document's period (%(start)s – %(end)s).")
                % {"start": start, "end": end}
            }
        )


def _baseline_period(value: Any, frequency: str, document: StrategicDocument) -> dt.date:
    """The one check of a baseline period, on creation and on every edit: a period start of the
    indicator's frequency, at or before the document's end."""
    baseline = periods.parse(value, frequency, field="baseline_period")
    if baseline > periods.floor(document.period_end, frequency):
        raise ValidationError({"baseline_period": _("The baseline is after the document's end.")})
    return baseline


def _code_message() -> str:
    return _("This code cannot be used: choose another of 1 to 40 characters without spaces, or none.")


def _indicator_code(value: str | None, document: StrategicDocument) -> str:
    """The code of a new indicator: the one given, or ``D<document id>-<6 random hex digits>``.

    A code is unique across every indicator (imports name indicators by code alone, case-insensitively);
    :func:`kenes.core.codes.choose` refuses every unusable code with one message and draws a random one,
    so neither says anything about (or counts) indicators the author may not see."""
    taken = Indicator.objects  # policy: uniqueness of a code; the answer is the same whoever holds it
    return codes.choose(
        value,
        valid=lambda code: len(code) <= 40 and not any(c.isspace() for c in code),
        taken=lambda code: taken.filter(code__iexact=code).exists(),
        base=f"D{document.pk}",
        length=40,
        message=_code_message(),
        upper=True,
    )


def _save_with_code(indicator: Indicator) -> None:
    """Insert a new indicator; a code taken by a concurrent writer since it was checked is refused with
    the same message as any unusable code, not a server error."""
    codes.save_with_code(indicator, _code_message())


def _default_baseline_period(frequency: str, document: StrategicDocument, targets: Iterable[dt.date]) -> dt.date:
    """The period before the first target (or, without targets, before the document's first period)."""
    first = min(targets, default=periods.floor(document.period_start, frequency))
    return periods.shift(first, frequency, -1)


@service
def create_indicator(
    document: StrategicDocument,
    *,
    actor: User,
    name: str,
    unit: str,
    baseline_value: float,
    responsible: Organization,
    code: str | None = None,
    baseline_period: Any = None,
    direction: str = Direction.INCREASE,
    frequency: str = IndicatorFrequency.ANNUAL,
    goal: Goal | None = None,
    data_source: str = "",
    weight: float = 1.0,
    classification: int | None = None,
    targets: Sequence[tuple[Any, Any]] = (),
) -> Indicator:
    """Add an indicator to a document (under one of its goals), with its baseline and targets.

    It is classified at least as high as its document and its goal (the high-water mark). Its
    baseline period is a period start of its frequency, at or before the document's end; without one,
    the period before its first target. Without a code it gets a generated one (:func:`_indicator_code`)."""
    _ensure(may_edit(actor), _("Only the chairman, the secretary or an analyst adds indicators."))
    if direction not in Direction.values:
        raise ValidationError({"direction": _("The direction is increase or decrease.")})
    if frequency not in IndicatorFrequency.values:
        raise ValidationError({"frequency": _("The frequency is monthly, quarterly or annual.")})
    if goal is not None and goal.document_id != document.pk:
        raise ValidationError({"goal": _("The goal belongs to another document.")})
    if not name.strip():
        raise ValidationError({"name": _("Give the indicator a name.")})
    sources = [document, goal] if goal else [document]
    level = _level(classification, policy.high_water_mark(sources))
    _check_level(actor, level, sources)
    indicator = Indicator(
        document=document,
        goal=goal,
        name=name.strip(),
        unit=unit.strip(),
        direction=direction,
        frequency=frequency,
        baseline_value=_finite(baseline_value, "baseline"),
        responsible=responsible,
        data_source=data_source,
        weight=_weight(weight),
        classification=level,
    )
    rows = _target_rows(indicator, targets)
    indicator.baseline_period = (
        _baseline_period(baseline_period, frequency, document)
        if baseline_period not in (None, "")
        else _default_baseline_period(frequency, document, rows)
    )
    indicator.code = _indicator_code(code, document)
    indicator.full_clean(exclude=["code"])
    _save_with_code(indicator)
    Target.objects.bulk_create([Target(indicator=indicator, period=p, value=v) for p, v in rows.items()])
    if rows:  # bulk_create sends no signals: one event for all the targets
        audit.record(
            AuditEvent.Action.UPDATE,
            indicator,
            actor=actor,
            changes={"targets": {p.isoformat(): v for p, v in sorted(rows.items())}},
        )
    evaluate([indicator.pk])
    return indicator


@service
def edit_indicator(
    indicator: Indicator,
    *,
    actor: User,
    targets: Sequence[tuple[Any, Any]] | None = None,
    baseline_value: float | None = None,
    baseline_period: Any = None,
    weight: float | None = None,
    name: str | None = None,
    unit: str | None = None,
    data_source: str | None = None,
) -> Indicator:
    """Change an indicator's baseline, weight or wording and set the targets of the given periods
    (others stay), all or nothing: every field and target is checked before anything is written, and
    the evaluation is recomputed once. A field left ``None`` keeps its value."""
    _ensure(may_edit(actor), _("Only the chairman, the secretary or an analyst edits indicators."))
    if baseline_value is not None:
        indicator.baseline_value = _finite(baseline_value, "baseline")
    if baseline_period is not None:
        indicator.baseline_period = _baseline_period(baseline_period, indicator.frequency, indicator.document)
    if weight is not None:
        indicator.weight = _weight(weight)
    if name is not None:
        if not name.strip():
            raise ValidationError({"name": _("Give the indicator a name.")})
        indicator.name = name.strip()
    if unit is not None:
        indicator.unit = unit.strip()
    if data_source is not None:
        indicator.data_source = data_source
    indicator.full_clean()
    rows = _target_rows(indicator, targets or ())
    indicator.save()
    existing = {t.period: t for t in indicator.targets.filter(period__in=list(rows))}
    for period, value in rows.items():
        target = existing.get(period)
        if target is None:
            Target.objects.create(indicator=indicator, period=period, value=value)
        elif target.value != value:
            target.value = value
            target.save(update_fields=["value"])
    evaluate([indicator.pk])
    return indicator


def update_indicator(indicator: Indicator, *, actor: User, **fields: Any) -> Indicator:
    """Change an indicator's baseline, weight or wording (:func:`edit_indicator` without targets)."""
    return edit_indicator(indicator, actor=actor, **fields)


def set_targets(indicator: Indicator, *, actor: User, targets: Sequence[tuple[Any, Any]]) -> list[Target]:
    """Set the targets of the given periods (others stay), through :func:`edit_indicator`."""
    edit_indicator(indicator, actor=actor, targets=targets)
    return list(indicator.targets.order_by("period"))


@service
def set_weight(goal: Goal, *, actor: User, weight: float) -> Goal:
    """Change a goal's weight among its siblings (roll-ups read it on every view)."""
    _ensure(may_edit(actor), _("Only the chairman, the secretary or an analyst edits goals."))
    goal.weight = _weight(weight)
    goal.save(update_fields=["weight", "updated_at"])
    return goal


# --- measurements ----------------------------------------------------------------------------------


def validate_measurement_period(indicator: Indicator, period: dt.date, field_name: str) -> None:
    """A measured period lies inside the document's span and has begun."""
    _in_document(indicator, period, field_name)
    if period > periods.floor(today(), indicator.frequency):
        raise ValidationError({field_name: _("The period has not begun yet.")})


@service
def record_measurements(
    indicator: Indicator,
    *,
    actor: User,
    measurements: Sequence[tuple[Any, Any]],
    source: str = MeasurementSource.API,
) -> list[Measurement]:
    """Record actual values of an indicator, all or nothing.

    Each period must be a start of the indicator's frequency inside the document's span and must have
    begun; each value a finite, sane number; a period may appear once. A value for a period that has
    one already is a correction: the old value goes to the history and the verification is cleared."""
    _ensure(may_enter(actor, indicator), _("Only the responsible body's liaison officer or an analyst enters values."))
    if not measurements:
        raise ValidationError({"measurements": _("Send at least one value.")})
    if len(measurements) > 1000:
        raise ValidationError({"measurements": _("Send at most 1000 values at once; import a file for more.")})
    rows: dict[dt.date, float] = {}
    for index, (raw_period, raw_value) in enumerate(measurements):
        where = f"measurements[{index}]"
        period = periods.parse(raw_period, indicator.frequency, field=f"{where}.period")
        validate_measurement_period(indicator, period, f"{where}.period")
        if period in rows:
            raise ValidationError({f"{where}.period": _("This period is given twice.")})
        rows[period] = _finite(raw_value, f"{where}.value")
    now = timezone.now()
    # Writers of one indicator queue on its row, so two corrections of a period cannot both win.
    Indicator.objects.select_for_update().filter(pk=indicator.pk).values_list("pk", flat=True).first()  # policy: a lock
    existing = {m.period: m for m in indicator.measurements.filter(period__in=list(rows))}
    saved = []
    for period, value in rows.items():
        measurement = existing.get(period)
        if measurement is None:
            measurement = Measurement.objects.create(
                indicator=indicator, period=period, value=value, source=source, entered_by=actor, entered_at=now
            )
        elif measurement.value != value:
            MeasurementRevision.objects.create(
                measurement=measurement,
                value=measurement.value,
                source=measurement.source,
                entered_by_id=measurement.entered_by_id,
                entered_at=measurement.entered_at,
                replaced_by=actor,
                replaced_at=now,
            )
            measurement.value, measurement.source, measurement.entered_by, measurement.entered_at = (
                value,
                source,
                actor,
                now,
            )
            measurement.verified_by, measurement.verified_at = None, None
            measurement.save()
        saved.append(measurement)
    evaluate([indicator.pk])
    return saved


@service
def verify_measurement(measurement: Measurement, *, actor: User) -> Measurement:
    """An analyst (or the secretary) confirms a value against its source."""
    _ensure(may_verify(actor), _("Only an analyst or the secretary verifies values."))
    measurement.verified_by, measurement.verified_at = actor, timezone.now()
    measurement.save(update_fields=["verified_by", "verified_at"])
    return measurement


# --- thresholds ------------------------------------------------------------------------------------


def thresholds() -> EvaluationSettings:
    """The thresholds in force (the defaults until the secretary sets them)."""
    return EvaluationSettings.objects.order_by("pk").first() or EvaluationSettings()


@service
def set_thresholds(*, actor: User, achieved: float, on_track: float, at_risk: float) -> EvaluationSettings:
    """The secretary sets the thresholds of the statuses; every indicator is re-evaluated."""
    _ensure(may_set_thresholds(actor), _("Only the secretary sets the thresholds."))
    values = {
        name: _finite(v, name) for name, v in (("achieved", achieved), ("on_track", on_track), ("at_risk", at_risk))
    }
    if not values["achieved"] >= values["on_track"] >= values["at_risk"]:
        raise ValidationError({"on_track": _("The thresholds must go down: achieved ≥ on track ≥ at risk.")})
    current = EvaluationSettings.objects.select_for_update().order_by("pk").first() or EvaluationSettings()
    for name, value in values.items():
        setattr(current, name, value)
    current.save()
    ids = list(Indicator.objects.values_list("pk", flat=True))  # policy: the engine re-evaluates every indicator
    evaluate(ids, with_forecast=False)
    return current


# --- the evaluation engine -------------------------------------------------------------------------


def achievement(actual: float, baseline: float, target: float, direction: str) -> float:
    """The share of the way from the baseline to the target that the actual value has covered,
    ``(actual − baseline) / (target − baseline)``, not capped. Where the target equals the baseline,
    1 if the actual is at least as good as the target in the indicator's direction, else 0."""
    if target == baseline:
        good = actual >= target if direction == Direction.INCREASE else actual <= target
        return 1.0 if good else 0.0
    return (actual - baseline) / (target - baseline)


def status_for(value: float | None, limits: EvaluationSettings) -> str:
    """The status of an achievement (or a roll-up score) by the thresholds in force."""
    if value is None:
        return EvaluationStatus.NO_DATA
    if value >= limits.achieved:
        return EvaluationStatus.ACHIEVED
    if value >= limits.on_track:
        return EvaluationStatus.ON_TRACK
    if value >= limits.at_risk:
        return EvaluationStatus.AT_RISK
    return EvaluationStatus.OFF_TRACK


def _latest_pairs(ids: Sequence[int]) -> QuerySet[Indicator]:
    """Each indicator with the latest period having both a target and an actual, those two values,
    and its final target (the target of its last target period): correlated subqueries that ride on
    the unique (indicator, period) indexes."""
    both = Measurement.objects.filter(
        indicator_id=OuterRef("pk"),
        period__in=Target.objects.filter(indicator_id=OuterRef(OuterRef("pk"))).values("period"),
    ).order_by("-period")
    final = Target.objects.filter(indicator_id=OuterRef("pk")).order_by("-period")
    return (
        Indicator.objects.filter(pk__in=ids)  # policy: the engine evaluates what it is told, and shows nothing
        .annotate(
            last_period=Subquery(both.values("period")[:1]),
            final_period=Subquery(final.values("period")[:1]),
            final_target=Subquery(final.values("value")[:1]),
        )
        .annotate(
            actual=Subquery(
                Measurement.objects.filter(indicator_id=OuterRef("pk"), period=OuterRef("last_period")).values("value")[
                    :1
                ]
            ),
            target=Subquery(
                Target.objects.filter(indicator_id=OuterRef("pk"), period=OuterRef("last_period")).values("value")[:1]
            ),
        )
        .select_related("document")
    )


ACHIEVEMENT_FIELDS = [
    "period",
    "actual",
    "target",
    "achievement",
    "status",
    "final_period",
    "final_target",
    "evaluated_at",
]
FORECAST_FIELDS = [
    "forecast_end_value",
    "forecast_lo95",
    "forecast_hi95",
    "forecast_points",
    "forecast_model",
    "forecast_note",
    "probability",
    "forecast_at",
]


def evaluate(ids: Iterable[int], *, with_forecast: bool = True, chunk: int = 2000) -> int:
    """Recompute and store the evaluation of the given indicators; with ``with_forecast`` also their
    forecasts (imports leave those to a background task). Returns how many were evaluated."""
    limits = thresholds()
    ids = list(ids)
    now = timezone.now()
    done = 0
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        histories: dict[int, list[tuple[dt.date, float]]] = {}
        if with_forecast:
            rows = Measurement.objects.filter(indicator_id__in=part).order_by("indicator_id", "period")
            for indicator_id, period, value in rows.values_list("indicator_id", "period", "value"):
                histories.setdefault(indicator_id, []).append((period, value))
        evaluations = []
        indicator: Any
        for indicator in _latest_pairs(part):
            score = None
            if indicator.last_period is not None:
                score = achievement(indicator.actual, indicator.baseline_value, indicator.target, indicator.direction)
            evaluation = IndicatorEvaluation(
                indicator_id=indicator.pk,
                period=indicator.last_period,
                actual=indicator.actual,
                target=indicator.target,
                achievement=score,
                status=status_for(score, limits),
                final_period=indicator.final_period,
                final_target=indicator.final_target,
                evaluated_at=now,
            )
            if with_forecast:
                _apply_forecast(evaluation, indicator, histories.get(indicator.pk, []), now)
            evaluations.append(evaluation)
        IndicatorEvaluation.objects.bulk_create(
            evaluations,
            update_conflicts=True,
            unique_fields=["indicator"],
            update_fields=ACHIEVEMENT_FIELDS + (FORECAST_FIELDS if with_forecast else []),
        )
        done += len(evaluations)
    return done


def _history(indicator: Indicator, measured: list[tuple[dt.date, float]]) -> list[tuple[dt.date, float]]:
    """The series to forecast from: the baseline (unless that period is measured) and the measurements."""
    points = dict(measured)
    points.setdefault(indicator.baseline_period, indicator.baseline_value)
    return sorted(points.items())


def _apply_forecast(evaluation: IndicatorEvaluation, indicator: Any, measured: list, now: dt.datetime) -> None:
    end = periods.floor(indicator.document.period_end, indicator.frequency)
    result = forecast(
        _history(indicator, measured),
        frequency=indicator.frequency,
        end=end,
        final_target=indicator.final_target,
        direction=indicator.direction,
    )
    evaluation.forecast_end_value = result.value
    evaluation.forecast_lo95 = result.lo95
    evaluation.forecast_hi95 = result.hi95
    evaluation.forecast_points = result.points
    evaluation.forecast_model = result.model
    evaluation.forecast_note = result.note[:300]
    evaluation.probability = result.probability
    evaluation.forecast_at = now


def refresh_forecasts(ids: Sequence[int]) -> int:
    """Recompute the evaluations with forecasts (the background task after an import)."""
    return evaluate(ids, with_forecast=True, chunk=500)


def evaluation_of(indicator: Indicator) -> IndicatorEvaluation:
    """The stored evaluation (computed now if the indicator has none yet)."""
    try:
        return IndicatorEvaluation.objects.get(indicator_id=indicator.pk)
    except IndicatorEvaluation.DoesNotExist:
        evaluate([indicator.pk])
        return IndicatorEvaluation.objects.get(indicator_id=indicator.pk)


# --- roll-ups --------------------------------------------------------------------------------------


@dataclass
class Node:
    """A goal's or a document's roll-up for one reader: its score (the weighted share of the way its
    indicators with data have covered, each counted between 0 and 1) and its indicators by status."""

    pk: int
    title: str
    weight: float = 1.0
    score: float | None = None
    status: str = EvaluationStatus.NO_DATA
    counts: dict[str, int] = field(default_factory=dict)
    children: list[Node] = field(default_factory=list)
    own_sum: float = 0.0
    own_weight: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.counts.values())


STATUSES = [s.value for s in EvaluationStatus]


def rollup(
    user: Any, documents: QuerySet[StrategicDocument], *, max_level: int | None = None
) -> list[tuple[StrategicDocument, Node, list[Node]]]:
    """Roll-ups of the given documents and their goals over the indicators ``user`` may see, and, with
    ``max_level``, only the goals and indicators at or below that level (a report's or an export's).

    Three queries whatever the size: the documents, their visible goals, and one grouped aggregate of
    the visible indicators' stored evaluations by goal. A goal's score is the weighted mean of its own
    indicators (by their weight) and its sub-goals (by theirs); a document's, of its top-level goals
    and the indicators outside any goal. Indicators with no data, and goals with none, are left out
    of the weights: a missing value neither helps nor hurts, it shows as ``no_data`` in the counts."""
    limits = thresholds()
    docs = list(documents)
    doc_ids = [d.pk for d in docs]
    clipped = Greatest(Least(F("evaluation__achievement"), 1.0), 0.0, output_field=FloatField())
    has_data = Q(evaluation__achievement__isnull=False)
    counters = {s: Count("pk", filter=Q(evaluation__status=s)) for s in STATUSES if s != EvaluationStatus.NO_DATA}
    visible_indicators = Indicator.objects.visible_to(user).filter(document_id__in=doc_ids)
    visible_goals = Goal.objects.visible_to(user).filter(document_id__in=doc_ids).order_by("position", "pk")
    if max_level is not None:
        visible_indicators = composition.at_or_below(visible_indicators, max_level)
        visible_goals = composition.at_or_below(visible_goals, max_level)
    grouped = (
        visible_indicators.order_by()
        .values("document_id", "goal_id")
        .annotate(
            **counters,
            indicators=Count("pk"),
            weight_sum=Sum("weight", filter=has_data),
            score_sum=Sum(F("weight") * clipped, filter=has_data, output_field=FloatField()),
        )
    )
    goals: dict[int, Node] = {}
    parents: dict[int, int | None] = {}
    goal_docs: dict[int, int] = {}
    for pk, title, weight, parent_id, document_id in visible_goals.values_list(
        "pk", "title", "weight", "parent_id", "document_id"
    ):
        goals[pk] = Node(pk, title, weight)
        parents[pk], goal_docs[pk] = parent_id, document_id
    roots = {d.pk: Node(d.pk, d.title) for d in docs}
    for row in grouped:
        owner = goals.get(row["goal_id"]) if row["goal_id"] else None
        node = owner or roots[row["document_id"]]
        for s in STATUSES:
            if s != EvaluationStatus.NO_DATA:
                node.counts[s] = node.counts.get(s, 0) + row[s]
        with_status = sum(row[s] for s in STATUSES if s != EvaluationStatus.NO_DATA)
        node.counts[EvaluationStatus.NO_DATA] = (
            node.counts.get(EvaluationStatus.NO_DATA, 0) + row["indicators"] - with_status
        )
        node.own_sum += row["score_sum"] or 0.0
        node.own_weight += row["weight_sum"] or 0.0
    for pk, node in goals.items():
        parent = parents.get(pk)
        (goals[parent] if parent in goals else roots[goal_docs[pk]]).children.append(node)
    for root in roots.values():
        _score(root, limits)
    return [(d, roots[d.pk], roots[d.pk].children) for d in docs]


def _score(node: Node, limits: EvaluationSettings) -> None:
    total, weights = node.own_sum, node.own_weight
    for child in node.children:
        _score(child, limits)
        for s, n in child.counts.items():
            node.counts[s] = node.counts.get(s, 0) + n
        if child.score is not None:
            total += child.weight * child.score
            weights += child.weight
    node.score = round(total / weights, 4) if weights > 0 else None
    node.status = status_for(node.score, limits)


# --- evaluation reports ----------------------------------------------------------------------------


def document_figures(user: Any, document: StrategicDocument, *, max_level: int) -> dict[str, Any]:
    """The figures of a document as the user sees them now, up to ``max_level``: the roll-up, each goal,
    and each indicator with its evaluation (for a report's snapshot and the exports). Nothing above
    ``max_level`` enters, neither a goal's title nor its share of a score."""
    _doc, root, _goals = rollup(user, StrategicDocument.objects.filter(pk=document.pk), max_level=max_level)[
        0
    ]  # policy: ``document`` was fetched visible
    indicators = composition.at_or_below(indicators_for(user, document=document.pk), max_level)
    goals = composition.at_or_below(Goal.objects.visible_to(user).filter(document=document), max_level)
    goal_titles = {g.pk: g.title for g in goals}

    def node(n: Node) -> dict[str, Any]:
        return {"id": n.pk, "title": n.title, "score": n.score, "status": n.status, "counts": n.counts}

    rows = []
    for i in indicators:
        e = getattr(i, "evaluation", None)
        rows.append(
            {
                "id": i.pk,
                "code": i.code,
                "name": i.name,
                "unit": i.unit,
                "goal": goal_titles.get(i.goal_id, ""),
                "responsible": i.responsible.name,
                "baseline": i.baseline_value,
                "period": e.period.isoformat() if e and e.period else None,
                "actual": e.actual if e else None,
                "target": e.target if e else None,
                "achievement": e.achievement if e else None,
                "status": e.status if e else EvaluationStatus.NO_DATA,
                "final_target": e.final_target if e else None,
                "forecast_end_value": e.forecast_end_value if e else None,
                "probability": e.probability if e else None,
            }
        )
    return {"document": node(root), "goals": [node(g) for g in _flatten(root.children)], "indicators": rows}


def _flatten(nodes: list[Node]) -> list[Node]:
    out: list[Node] = []
    for n in nodes:
        out.append(n)
        out.extend(_flatten(n.children))
    return out


@service
def create_report(
    document: StrategicDocument,
    *,
    actor: User,
    period: Any,
    conclusion: str,
    recommendations: str = "",
    title: str = "",
    classification: int | None = None,
) -> EvaluationReport:
    """An analyst's evaluation report of a document for a year (``period`` its first day), with a
    snapshot of the figures as they stand. It is classified at least as high as the document, and
    its snapshot holds only indicators at or below its own level."""
    _ensure(may_verify(actor), _("Only an analyst or the secretary writes evaluation reports."))
    year = periods.parse(period, periods.Frequency.ANNUAL, field="period")
    if not conclusion.strip():
        raise ValidationError({"conclusion": _("Write the conclusion.")})
    level = _level(classification, document.classification)
    _check_level(actor, level, [document])
    report = EvaluationReport(
        document=document,
        period=year,
        title=(title or _("Evaluation of %(document)s, %(year)s") % {"document": document.title, "year": year.year})[
            :500
        ],
        figures=document_figures(actor, document, max_level=level),
        conclusion=conclusion.strip(),
        recommendations=recommendations.strip(),
        author=actor,
        classification=level,
    )
    report.full_clean()
    report.save()
    return report


@service
def put_on_agenda(report: EvaluationReport, meeting: Meeting, *, actor: User) -> AgendaItem:
    """Put a report on a session's agenda as a ``strategy_review`` item (the council's own rules apply:
    who may, which sessions, the item's level at least the session's and the report's)."""
    from kenes.council import services as council

    if report.agenda_item_id is not None:
        raise ValidationError({"meeting": _("The report is already on an agenda.")})
    level = max(report.classification, meeting.classification)
    item = council.add_agenda_item(
        meeting,
        actor=actor,
        title=report.title[:300],
        kind="strategy_review",
        description=report.conclusion[:5000],
        classification=level,
        subject=report,
    )
    report.agenda_item = item
    report.save(update_fields=["agenda_item", "updated_at"])
    return item
