"""Benchmarks of strategic monitoring (``make bench``, PostgreSQL): 20,000 monthly indicators in 20
documents built with bulk inserts, then 1,000,000 measurements (50 months of each) imported from one
CSV file through the import service (validation, COPY, upsert, revisions, audit, re-evaluation); then
the heatmap over those 20,000 indicators, timed and query-counted, and the forecasts' rate."""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable

from django.db import connection, transaction
from django.test import Client

from kenes.accounts.models import User
from kenes.core import periods
from kenes.core.bench import p95, timed
from kenes.core.classification import Classification
from kenes.directory.models import Organization
from kenes.strategy import importing, services
from kenes.strategy.models import Goal, Indicator, IndicatorEvaluation, StrategicDocument, Target

DOCUMENTS = 20
GOALS_PER_DOCUMENT = 10
INDICATORS_PER_GOAL = 100
MONTHS = 50
FIRST_MONTH = dt.date(2022, 1, 1)


def _build(analyst: User) -> list[tuple[int, str]]:
    """Documents, goals, indicators and yearly targets (bulk); returns (id, code) of the indicators."""
    rng = random.Random(11)
    bodies = list(Organization.objects.values_list("pk", flat=True))
    owner = Organization.objects.get(code="security-council-apparatus")
    with transaction.atomic():
        documents = StrategicDocument.objects.bulk_create(
            StrategicDocument(
                kind="state_program",
                title=f"Bench program {n}",
                period_start=dt.date(2021, 1, 1),
                period_end=dt.date(2030, 12, 31),
                owner=owner,
                classification=Classification.OFFICIAL,
            )
            for n in range(DOCUMENTS)
        )
        goals = Goal.objects.bulk_create(
            Goal(document=d, title=f"Goal {d.pk}.{g}", position=g, classification=Classification.OFFICIAL)
            for d in documents
            for g in range(GOALS_PER_DOCUMENT)
        )
        indicators = []
        for goal in goals:
            for _n in range(INDICATORS_PER_GOAL):
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
    return [(i.pk, i.code) for i in created]


def _file(indicators: list[tuple[int, str]]) -> bytes:
    rng = random.Random(5)
    months = [periods.shift(FIRST_MONTH, "monthly", n).isoformat() for n in range(MONTHS)]
    lines = ["indicator,period,value"]
    for _pk, code in indicators:
        drift = rng.uniform(-0.5, 0.6)
        lines.extend(f"{code},{month},{100 + drift * n + rng.uniform(-1, 1):.2f}" for n, month in enumerate(months))
    return ("\n".join(lines) + "\n").encode()


def run(report: Callable[[str, float, str], None]) -> None:
    analyst = User.objects.get(username="analyst")
    start = time.perf_counter()
    indicators = _build(analyst)
    report("strategy.build_20k_indicators", round(time.perf_counter() - start, 1), "s")
    data = _file(indicators)
    start = time.perf_counter()
    result = importing.import_file(data, actor=analyst, filename="bench.csv", max_rows=2_000_000)
    report("strategy.import_1m", round(time.perf_counter() - start, 1), "s")
    assert result["rows"] == len(indicators) * MONTHS == 1_000_000, result
    assert IndicatorEvaluation.objects.filter(period=dt.date(2026, 1, 1)).count() == len(indicators)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    ids = [pk for pk, _code in indicators[:500]]
    start = time.perf_counter()
    services.refresh_forecasts(ids)
    report("strategy.forecast_rate", round(len(ids) / (time.perf_counter() - start)), "indicators/s")

    pages = [
        ("strategy.heatmap", "/strategy/heatmap/"),
        ("strategy.api_indicators", "/api/v1/indicators?limit=50"),
        ("strategy.indicator_page", f"/strategy/indicators/{indicators[0][0]}/"),
    ]
    for name, url in pages:
        client = Client(HTTP_HOST="localhost")
        client.force_login(analyst)
        assert client.get(url).status_code == 200, url
        queries: list[str] = []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            client.get(url)
        report(f"{name}_p95", round(p95(timed(lambda c=client, u=url: c.get(u), 20)), 1), "ms")
        report(f"{name}_queries", len(queries), "queries")
