"""The evaluation engine: the secretary's thresholds, each indicator's achievement against its target
and status, the forecast of its value at the end of the document's period with the probability of
meeting the final target, stored and recomputed by the services whenever a measurement, a target, a
baseline or the thresholds change, never by hand. Roll-ups to goals and documents are computed on
read from the stored evaluations of the indicators the reader may see, so a roll-up never carries
figures of an indicator hidden from its reader."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, F, FloatField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Greatest, Least
from django.utils import timezone
from django.utils.translation import gettext as _

from kenes.accounts.models import User
from kenes.core import composition, periods, policy
from kenes.core.services import service
from kenes.strategy.choices import Direction, EvaluationStatus
from kenes.strategy.forecasting import forecast
from kenes.strategy.models import (
    EvaluationSettings,
    Goal,
    Indicator,
    IndicatorEvaluation,
    Measurement,
    StrategicDocument,
    Target,
)
from kenes.strategy.services import common


def thresholds() -> EvaluationSettings:
    """The thresholds in force (the defaults until the secretary sets them)."""
    return EvaluationSettings.objects.order_by("pk").first() or EvaluationSettings()


@service
def set_thresholds(*, actor: User, achieved: float, on_track: float, at_risk: float) -> EvaluationSettings:
    """The secretary sets the thresholds of the statuses; every indicator is re-evaluated."""
    policy.ensure(common.may_set_thresholds(actor), _("Only the secretary sets the thresholds."))
    values = {
        name: common.finite(v, name)
        for name, v in (("achieved", achieved), ("on_track", on_track), ("at_risk", at_risk))
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
    "forecast_note_text",
    "probability",
    "forecast_at",
]


def evaluate(ids: Iterable[int], *, with_forecast: bool = True, chunk: int = 2000, forecast_only: bool = False) -> int:
    """Recompute and store the evaluation of the given indicators; with ``with_forecast`` also their
    forecasts (imports leave those to a background task). ``forecast_only`` (the worker's refresh)
    writes the forecast alone over an existing evaluation, so a value saved while the worker computed
    keeps the achievement and status the save gave it. Returns how many were evaluated."""
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
            update_fields=(
                FORECAST_FIELDS if forecast_only else ACHIEVEMENT_FIELDS + (FORECAST_FIELDS if with_forecast else [])
            ),
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
    evaluation.forecast_note_text = result.note_text.as_dict() if result.note_text else {}
    evaluation.probability = result.probability
    evaluation.forecast_at = now


def refresh_forecasts(ids: Sequence[int]) -> int:
    """Recompute the forecasts of the indicators asked for (the worker's task after a save or an
    import), writing the forecast alone. An indicator whose forecast was already recomputed after its
    last request (by an earlier task of several saves in a row) is skipped: the work is not done twice."""
    done = IndicatorEvaluation.objects.filter(
        indicator_id__in=list(ids), forecast_requested_at__isnull=False, forecast_at__gte=F("forecast_requested_at")
    ).values_list("indicator_id", flat=True)
    wanted = sorted(set(ids) - set(done))
    return evaluate(wanted, with_forecast=True, chunk=500, forecast_only=True) if wanted else 0


def evaluate_soon(ids: Sequence[int]) -> None:
    """Re-evaluate at once without the forecast (milliseconds) and leave the forecast to the worker.

    The time of the request is stored on the evaluations (their pages show the forecast as being
    recomputed since then, until the worker has begun a recomputation after it), and the task goes on
    the ``forecasts`` queue, under that queue's time limit. It is enqueued inside the caller's
    transaction: with the database backend the task row commits with the change, or not at all, so the
    worker sees it only once the change is committed and no committed change is left without it."""
    from kenes.strategy.tasks import refresh_forecasts

    ids = list(ids)
    evaluate(ids, with_forecast=False)
    IndicatorEvaluation.objects.filter(indicator_id__in=ids).update(forecast_requested_at=timezone.now())
    for start in range(0, len(ids), 500):
        refresh_forecasts.enqueue(ids[start : start + 500])


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
