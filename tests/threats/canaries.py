"""The threat register's canaries for the leak crawl (tests/leaks): threats with their reassessments,
countermeasures, signals and alerts at every level for each body (the owner's liaison reads them),
with a countermeasure and a signal above each threat, and situation reports composed of them."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from kenes.core import audit
from kenes.core.classification import Classification
from kenes.threats import services
from kenes.threats.models import Alert, ForecastRun, SituationReport
from kenes.threats.report_sections import report_sections
from tests.leaks.registry import Seeder, canary_factory, path_param, string_values

path_param("threat_id", "threats.Threat")
path_param("signal_id", "threats.Signal")
path_param("alert_id", "threats.Alert")
path_param("run_id", "threats.ForecastRun")
path_param("report_id", "threats.SituationReport", scopes=("threats",))
string_values("kind", "observations", "events")


@canary_factory("threats")
def seed_threats(seed: Seeder) -> None:
    secretary = seed.users["secretary"]
    for code in seed.bodies:
        body, to = seed.orgs[code], [code]
        for level in seed.levels:
            up = seed.above(level)
            threat = services.create_threat(
                actor=secretary,
                title=seed.mark("threat's title", level, to),
                description=seed.mark("threat's description", level, to),
                domain="cyber",
                scope="internal",
                likelihood=3,
                impact=3,
                owner=body,
                classification=level,
            )
            services.reassess_threat(
                threat,
                actor=secretary,
                likelihood=4,
                impact=4,
                trend="rising",
                reason=seed.mark("reassessment", level, to),
            )
            services.add_countermeasure(
                threat,
                actor=secretary,
                title=seed.mark("countermeasure's title", level, to),
                expected_effect=seed.mark("countermeasure's expected effect", level, to),
            )
            signal = services.create_signal(
                actor=secretary,
                name=seed.mark("signal's name", level, to),
                unit=seed.mark("signal's unit", level, to),
                code=seed.mark("signal's code", level, to),
                region=seed.mark("signal's region", level, to),
                category=seed.mark("signal's category", level, to),
                threat=threat,
                upper_threshold=100,
                classification=level,
            )
            for value in ("observation's value", "observation's corrected value"):  # the audit keeps both
                services.record_observations(
                    signal,
                    actor=secretary,
                    observations=[("2025-12-01", seed.mark_number(value, level, to))],
                    forecast=False,
                )
            alert = Alert.objects.create(
                signal=signal,
                kind="threshold",
                cause=f"canary-{signal.pk}",
                period=dt.date(2026, 1, 1),
                value=150,
                message=seed.mark("alert's message", level, to),
                classification=level,
            )
            services.acknowledge_alert(alert, actor=secretary, comment=seed.mark("acknowledgement", level, to))
            seed.record(threat, signal, alert)
            if up is not None:
                services.add_countermeasure(
                    threat,
                    actor=secretary,
                    title=seed.mark("countermeasure above its threat", up, to),
                    expected_effect=seed.mark("effect of a countermeasure above its threat", up, to),
                    classification=up,
                )
                services.create_signal(
                    actor=secretary,
                    name=seed.mark("signal above its threat", up, to),
                    unit="events",
                    threat=threat,
                    classification=up,
                )
    for level in seed.levels:
        # Composed by the service of what its author may read in 2026 (secret for the analyst, everything
        # for the secretary); at the other levels, of what a reader cleared that high reads (the admin,
        # the member), or of nothing (public), the way the service composes it.
        author = {Classification.SECRET: "analyst", Classification.SPECIAL_IMPORTANCE: "secretary"}.get(level)
        start, end = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
        if author is not None:
            report = services.create_situation_report(
                actor=seed.users[author], title="-", period_start=start, period_end=end
            )
        else:
            reader = {Classification.OFFICIAL: "admin", Classification.TOP_SECRET: "member_mvd"}.get(level)
            sections, content = report_sections(seed.users[reader], start, end) if reader else ({}, 0)
            report = SituationReport.objects.create(
                title="-",
                period_start=start,
                period_end=end,
                sections=sections,
                author=seed.users["analyst"],
                classification=max(level, content),
            )
        with transaction.atomic(), audit.bulk(SituationReport, about=report):
            SituationReport.objects.filter(pk=report.pk).update(
                title=seed.mark("situation report's title", report.classification, []),
                analyst_text=seed.mark("situation report's text", report.classification, []),
            )
        seed.record(report)
    if "analyst" in seed.recipients:
        seed.record(ForecastRun.objects.create(horizon=12, status="done", started_by=seed.users["analyst"]))
