"""Benchmarks of strategic monitoring (``make bench``, PostgreSQL): 20,000 monthly indicators in 20
documents built with bulk inserts, then 1,000,000 measurements (50 months of each) imported from one
CSV file through the import service (validation, COPY, upsert, revisions, audit, re-evaluation); then
the heatmap over those 20,000 indicators and the API's indicator list, timed and query-counted beside
their floors (the raw SQL computing the same figures), the forecasts' rate, and the entry of a value on
an indicator's page (its forecast left to the worker) beside a floor that writes the value directly."""

from __future__ import annotations

import datetime as dt
import itertools
import random
import time
from typing import Any

from django.db import connection, transaction

from kenes.accounts.models import User
from kenes.core import audit, periods
from kenes.core.bench import Report, measure, page, rows, scaled, unfloored
from kenes.core.classification import Classification
from kenes.directory.models import Organization
from kenes.strategy import importing, services
from kenes.strategy.choices import EvaluationStatus
from kenes.strategy.models import Goal, Indicator, IndicatorEvaluation, StrategicDocument, Target

DOCUMENTS = 20
GOALS_PER_DOCUMENT = 10
INDICATORS_PER_GOAL = 100
MONTHS = 50
FIRST_MONTH = dt.date(2022, 1, 1)


def _build(analyst: User, documents: int, per_goal: int) -> list[tuple[int, str]]:
    """Documents, goals, indicators and yearly targets (bulk, one summary audit event per model);
    returns (id, code) of the indicators."""
    rng = random.Random(11)
    bodies = list(Organization.objects.values_list("pk", flat=True))
    owner = analyst.organization or Organization.objects.first()
    level: dict[str, Any] = {"classification": Classification.OFFICIAL, "object_repr": "benchmark data"}
    create = audit.AuditEvent.Action.CREATE
    with (
        transaction.atomic(),
        audit.bulk(StrategicDocument, action=create, **level) as documents_made,
        audit.bulk(Goal, action=create, **level) as goals_made,
        audit.bulk(Indicator, action=create, **level) as indicators_made,
        audit.bulk(Target, action=create, **level) as targets_made,
    ):
        made = StrategicDocument.objects.bulk_create(
            StrategicDocument(
                kind="state_program",
                title=f"Bench program {n}",
                period_start=dt.date(2021, 1, 1),
                period_end=dt.date(2030, 12, 31),
                owner=owner,
                classification=Classification.OFFICIAL,
            )
            for n in range(documents)
        )
        goals = Goal.objects.bulk_create(
            Goal(document=d, title=f"Goal {d.pk}.{g}", position=g, classification=Classification.OFFICIAL)
            for d in made
            for g in range(GOALS_PER_DOCUMENT)
        )
        indicators = _indicators(goals, per_goal, bodies, rng)
        created = Indicator.objects.bulk_create(indicators, batch_size=5000)
        targets = [
            Target(
                indicator=i,
                period=dt.date(year, 1, 1),
                value=100.0 + (1 if i.direction == "increase" else -1) * 5 * (year - 2021),
            )
            for i in created
            for year in range(2022, 2031)
        ]
        Target.objects.bulk_create(targets, batch_size=10_000)
        documents_made["created"], goals_made["created"] = len(made), len(goals)
        indicators_made["created"], targets_made["created"] = len(created), len(targets)
    return [(i.pk, i.code) for i in created]


def _indicators(goals: list[Goal], per_goal: int, bodies: list[int], rng: random.Random) -> list[Indicator]:
    """``per_goal`` monthly indicators under each goal, each of a random body, direction and weight."""
    indicators: list[Indicator] = []
    for goal in goals:
        for _n in range(per_goal):
            indicators.append(
                Indicator(
                    document_id=goal.document_id,
                    goal=goal,
                    code=f"B{len(indicators):05d}",
                    name=f"Bench indicator {len(indicators)}",
                    unit="%",
                    direction=rng.choice(["increase", "decrease"]),
                    frequency="monthly",
                    baseline_value=100.0,
                    baseline_period=dt.date(2021, 12, 1),
                    responsible_id=rng.choice(bodies),
                    weight=rng.choice([1.0, 2.0]),
                    classification=Classification.OFFICIAL,
                )
            )
    return indicators


def _file(indicators: list[tuple[int, str]]) -> bytes:
    rng = random.Random(5)
    months = [periods.shift(FIRST_MONTH, "monthly", n).isoformat() for n in range(MONTHS)]
    lines = ["indicator,period,value"]
    for _pk, code in indicators:
        drift = rng.uniform(-0.5, 0.6)
        lines.extend(f"{code},{month},{100 + drift * n + rng.uniform(-1, 1):.2f}" for n, month in enumerate(months))
    return ("\n".join(lines) + "\n").encode()


# --- floors: the same figures, computed by raw SQL -------------------------------------------------


def _clip(expression: str) -> str:
    if connection.vendor == "postgresql":
        return f"GREATEST(LEAST({expression}, 1.0), 0.0)"
    return f"max(min({expression}, 1.0), 0.0)"


def _placeholders(values: list[Any]) -> str:
    return ", ".join(["%s"] * len(values)) or "NULL"


def heatmap_floor(user: User) -> list[Any]:
    """The heatmap's roll-up: the documents, their goals and one GROUP BY of the indicators' stored
    evaluations by goal (three plain queries), rolled up goal into parent and document in one pass."""
    assert not user.is_liaison and services.sees_apparatus_pages(user)
    level = user.clearance
    documents = rows(
        "SELECT id FROM strategy_strategicdocument WHERE classification <= %s AND status <> 'cancelled'"
        " ORDER BY period_start, title, id LIMIT 500",
        [level],
    )
    ids = [pk for (pk,) in documents]
    goals = rows(
        "SELECT id, weight, parent_id, document_id FROM strategy_goal"  # noqa: S608
        f" WHERE classification <= %s AND document_id IN ({_placeholders(ids)}) ORDER BY position, id",
        [level, *ids],
    )
    statuses = [s for s in services.STATUSES if s != EvaluationStatus.NO_DATA]
    counters = ", ".join("count(*) FILTER (WHERE e.status = %s)" for _s in statuses)
    grouped = rows(
        f"SELECT i.document_id, i.goal_id, {counters}, count(*),"  # noqa: S608
        " sum(i.weight) FILTER (WHERE e.achievement IS NOT NULL),"
        f" sum(i.weight * {_clip('e.achievement')}) FILTER (WHERE e.achievement IS NOT NULL)"
        " FROM strategy_indicator i LEFT JOIN strategy_indicatorevaluation e ON e.indicator_id = i.id"
        f" WHERE i.classification <= %s AND i.document_id IN ({_placeholders(ids)}) GROUP BY 1, 2",
        [*statuses, level, *ids],
    )
    # a node: [counts, own score sum, own weight, weight, children, score]
    roots: dict[int, list[Any]] = {pk: [{}, 0.0, 0.0, 1.0, [], None] for pk in ids}
    nodes: dict[int, list[Any]] = {pk: [{}, 0.0, 0.0, weight, [], None] for pk, weight, _p, _d in goals}
    for pk, _weight, parent, document in goals:
        (nodes[parent] if parent in nodes else roots[document])[4].append((pk, nodes[pk]))
    for document, goal, *figures in grouped:
        node = nodes.get(goal) or roots[document]
        counts = node[0]
        for status, n in zip(statuses, figures, strict=False):
            counts[status] = counts.get(status, 0) + n
        no_data = figures[len(statuses)] - sum(figures[: len(statuses)])
        counts[EvaluationStatus.NO_DATA] = counts.get(EvaluationStatus.NO_DATA, 0) + no_data
        node[2] += figures[-2] or 0.0
        node[1] += figures[-1] or 0.0

    def rolled(pk: int, node: list[Any]) -> tuple[Any, ...]:
        counts, total, weights = node[0], node[1], node[2]
        children = [rolled(child_pk, child) for child_pk, child in node[4]]
        for (_pk, child_counts, child_score, _c), (_cpk, child) in zip(children, node[4], strict=True):
            for status, n in child_counts.items():
                counts[status] = counts.get(status, 0) + n
            if child_score is not None:
                total += child[3] * child_score
                weights += child[3]
        node[5] = round(total / weights, 4) if weights > 0 else None
        return pk, {s: n for s, n in counts.items() if n}, node[5], children

    return [rolled(pk, roots[pk]) for pk in ids]


def heatmap_figures(response: Any) -> list[Any]:
    def figures(node: Any) -> tuple[Any, ...]:
        counts = {s: n for s, n in node.counts.items() if n}
        return node.pk, counts, node.score, [figures(child) for child in node.children]

    return [figures(node) for _document, node, _goals in response.context["rows"]]


def indicators_floor(user: User, limit: int = 50) -> Any:
    """The API's first page of indicators: one SELECT (with the goal's visibility and the stored status)
    and one of their targets."""
    assert not user.is_liaison
    level = user.clearance
    found = rows(
        "SELECT i.id, i.code, CASE WHEN EXISTS (SELECT 1 FROM strategy_goal g WHERE g.id = i.goal_id"
        " AND g.classification <= %s) THEN i.goal_id END, COALESCE(e.status, %s), count(*) OVER ()"
        " FROM strategy_indicator i LEFT JOIN strategy_indicatorevaluation e ON e.indicator_id = i.id"
        " WHERE i.classification <= %s ORDER BY i.document_id, i.code LIMIT %s",
        [level, EvaluationStatus.NO_DATA, level, limit],
    )
    ids = [r[0] for r in found]
    targets: dict[int, list[tuple[str, float]]] = {pk: [] for pk in ids}
    for pk, period, value in rows(
        f"SELECT indicator_id, period, value FROM strategy_target WHERE indicator_id IN ({_placeholders(ids)})"  # noqa: S608
        " ORDER BY indicator_id, period",
        ids,
    ):
        targets[pk].append((str(period), value))
    return (found[0][-1] if found else 0), [(*r[:-1], targets[r[0]]) for r in found]


def indicators_figures(response: Any) -> Any:
    data = response.json()
    items = [
        (i["id"], i["code"], i["goal"], i["status"], [(t["period"], t["value"]) for t in i["targets"]])
        for i in data["items"]
    ]
    return data["count"], items


def measurement_save(report: Report, analyst: User, indicator_id: int) -> None:
    """The analyst corrects the latest value on the indicator's page (a POST answered by a redirect):
    locking, the history of the old value, the audit, the evaluation at once, the forecast queued.
    The floor writes the value and the evaluation's actual figure with two raw UPDATEs. Each save
    changes the value (a real correction), so none is a no-op."""
    from django.test import Client

    period = dt.date(2026, 1, 1)  # the latest period with a target: the evaluation's actual figure
    client = Client(HTTP_HOST="localhost")
    client.force_login(analyst)
    url = f"/strategy/indicators/{indicator_id}/measure/"
    values = itertools.count()

    def stored() -> tuple[Any, ...]:
        return rows(
            "SELECT m.value, e.actual FROM strategy_measurement m JOIN strategy_indicatorevaluation e"
            " ON e.indicator_id = m.indicator_id WHERE m.indicator_id = %s AND m.period = %s",
            [indicator_id, period],
        )[0]

    def save() -> float:
        value = 300.0 + next(values)
        response = client.post(url, {"period": period.isoformat(), "value": str(value)})
        assert response.status_code == 302, response.status_code
        return value

    def floor() -> tuple[bool, bool]:
        value = 300.0 + next(values)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "UPDATE strategy_measurement SET value = %s, entered_at = %s WHERE indicator_id = %s AND period = %s",
                [value, dt.datetime.now(dt.UTC), indicator_id, period],
            )
            cursor.execute(
                "UPDATE strategy_indicatorevaluation SET actual = %s WHERE indicator_id = %s", [value, indicator_id]
            )
        return (True, stored() == (value, value))

    measure(report, "strategy.measurement_save", save, floor, figures=lambda value: (True, stored() == (value, value)))


def run(report: Report, scale: float = 1.0) -> None:
    analyst = User.objects.get(username="analyst")
    side = scale**0.5  # fewer documents, and fewer indicators in each goal
    start = time.perf_counter()
    indicators = _build(analyst, scaled(DOCUMENTS, side), scaled(INDICATORS_PER_GOAL, side))
    report("strategy.build_indicators", round(time.perf_counter() - start, 1), "s")
    report("strategy.indicators", len(indicators), "indicators")
    data = _file(indicators)
    start = time.perf_counter()
    result = importing.import_file(data, actor=analyst, filename="bench.csv", max_rows=2_000_000)
    report("strategy.import", round(time.perf_counter() - start, 1), "s")
    report("strategy.measurements", result["rows"], "rows")
    assert result["rows"] == len(indicators) * MONTHS, result
    assert IndicatorEvaluation.objects.filter(period=dt.date(2026, 1, 1)).count() == len(indicators)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    ids = [pk for pk, _code in indicators[: scaled(500, scale)]]
    start = time.perf_counter()
    services.refresh_forecasts(ids)
    report("strategy.forecast_rate", round(len(ids) / (time.perf_counter() - start)), "indicators/s")

    page(
        report,
        "strategy.heatmap",
        analyst,
        "/strategy/heatmap/",
        lambda: heatmap_floor(analyst),
        figures=heatmap_figures,
    )
    page(
        report,
        "strategy.api_indicators",
        analyst,
        "/api/v1/indicators?limit=50",
        lambda: indicators_floor(analyst),
        figures=indicators_figures,
    )
    unfloored(report, "strategy.indicator_page", analyst, f"/strategy/indicators/{indicators[0][0]}/")
    measurement_save(report, analyst, indicators[1][0])
