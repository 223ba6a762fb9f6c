"""Strategic monitoring's canaries for the leak crawl (tests/leaks): documents, goals, indicators and
evaluation reports at every level for each body (a body's liaison reads the documents and goals that
hold an indicator it answers for), with a sub-document above each document and each report put on the
agenda of a session above it."""

from __future__ import annotations

import datetime as dt

from kenes.council import services as council
from kenes.strategy import services
from tests.leaks.registry import Seeder, canary_factory, path_param

path_param("document_id", "strategy.StrategicDocument")
path_param("indicator_id", "strategy.Indicator")
path_param("report_id", "strategy.EvaluationReport", scopes=("strategy", "evaluation-reports"))
path_param("organization_id", "directory.Organization")


@canary_factory("strategy")
def seed_strategy(seed: Seeder) -> None:
    secretary = seed.users["secretary"]
    for code in seed.bodies:
        body, to = seed.orgs[code], [code]
        seed.record(body)
        for level in seed.levels:
            up = seed.above(level)
            document = services.create_document(
                actor=secretary,
                kind="strategy",
                title=seed.mark("strategic document's title", level, to),
                description=seed.mark("strategic document's description", level, to),
                period_start=dt.date(2024, 1, 1),
                period_end=dt.date(2030, 12, 31),
                owner=body,
                classification=level,
            )
            goal = services.create_goal(document, actor=secretary, title=seed.mark("goal's title", level, to))
            indicator = services.create_indicator(
                document,
                actor=secretary,
                code=seed.mark("indicator's code", level, to),
                name=seed.mark("indicator's name", level, to),
                unit=seed.mark("indicator's unit", level, to),
                data_source=seed.mark("indicator's data source", level, to),
                baseline_value=seed.mark_number("indicator's baseline value", level, to),
                baseline_period="2024-01-01",
                responsible=body,
                goal=goal,
                classification=level,
                targets=[("2030-01-01", seed.mark_number("target's value", level, to))],
            )
            for value in ("measurement's value", "measurement's corrected value"):  # the revision keeps both
                services.record_measurements(
                    indicator,
                    actor=secretary,
                    measurements=[("2025-01-01", seed.mark_number(value, level, to))],
                )
            report = services.create_report(
                document,
                actor=secretary,
                period="2025-01-01",
                title=seed.mark("evaluation report's title", level, []),
                conclusion=seed.mark("evaluation report's conclusion", level, []),
                recommendations=seed.mark("evaluation report's recommendations", level, []),
                classification=level,
            )
            seed.record(document, indicator, report)
            if up is not None:
                services.create_document(
                    actor=secretary,
                    kind="state_program",
                    title=seed.mark("document above its parent", up, []),
                    period_start=dt.date(2024, 1, 1),
                    period_end=dt.date(2030, 12, 31),
                    owner=body,
                    parent=document,
                    classification=up,
                )
                meeting = council.create_meeting(
                    actor=secretary,
                    title=seed.mark("session above an evaluation report", up, []),
                    date=dt.date(2026, 9, 1),
                    classification=up,
                )
                services.put_on_agenda(report, meeting, actor=secretary)
