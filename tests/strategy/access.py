"""Strategic monitoring's access declaration (tests/access/registry.py): an official strategy with the
indicators of the MIA (official and secret) and of Almaty (under a goal of its own), and a secret
defence programme; who sees which indicator, document and goal by every path, and who counts them."""

from __future__ import annotations

import datetime as dt
from functools import partial
from unittest import mock

from kenes.core.classification import Classification
from kenes.strategy import services
from kenes.strategy.models import EvaluationReport, Goal, Indicator, StrategicDocument
from kenes.strategy.services import common
from tests.access.registry import (
    ALMATY,
    APPARATUS,
    DEFENCE,
    MIA,
    Case,
    Count,
    Detail,
    Listing,
    Module,
    Write,
    declare,
    ids,
    shows,
    widget,
)

D = dt.date
OFFICIAL, SECRET = Classification.OFFICIAL, Classification.SECRET
STRATEGY_TITLE = "National security strategy 2021-2030"


def build(users, orgs):
    analyst = users["analyst"]
    period = {"period_start": D(2021, 1, 1), "period_end": D(2030, 12, 31)}
    strategy = services.create_document(
        actor=analyst,
        kind="security_strategy",
        title=STRATEGY_TITLE,
        owner=orgs[APPARATUS],
        classification=OFFICIAL,
        **period,
    )
    defence = services.create_document(
        actor=analyst,
        kind="state_program",
        title="Secret defence program",
        owner=orgs[DEFENCE],
        classification=SECRET,
        **period,
    )
    goals = {
        "public_order": services.create_goal(strategy, actor=analyst, title="Public order"),
        "almaty": services.create_goal(strategy, actor=analyst, title="Goal of Almaty only"),
    }

    def indicator(code, name, body, document=strategy, goal=goals["public_order"], level=OFFICIAL):
        made = services.create_indicator(
            document,
            actor=analyst,
            code=code,
            name=name,
            unit="%",
            baseline_value=100.0,
            baseline_period=D(2020, 1, 1),
            responsible=orgs[body],
            goal=goal,
            frequency="annual",
            direction="increase",
            targets=[(D(y, 1, 1), 100.0 + 10 * (y - 2020)) for y in range(2021, 2031)],
            classification=level,
        )
        services.record_measurements(made, actor=analyst, measurements=[("2024-01-01", 150)])
        return made

    indicators = {
        "mia": indicator("MIA-1", "Alpha crimes registered", MIA),
        "mia_secret": indicator("MIA-2", "Bravo secret operations", MIA, level=SECRET),
        "almaty": indicator("ALM-1", "Charlie street lighting", ALMATY, goal=goals["almaty"]),
        "defence": indicator("MOD-1", "Delta units equipped", DEFENCE, document=defence, goal=None, level=SECRET),
    }
    report = services.create_report(strategy, actor=analyst, period="2025-01-01", conclusion="Slipping.")
    return {
        "indicators": indicators,
        "documents": {"strategy": strategy, "defence": defence},
        "goals": goals,
        "reports": {"strategy": report},
    }


EVERY = {"mia", "mia_secret", "almaty", "defence"}
INDICATORS = {
    "chair": EVERY,
    "secretary": EVERY,
    "member": EVERY,
    "analyst": EVERY,
    "controller": EVERY,
    "auditor": EVERY,
    "admin": {"mia", "almaty"},  # the official ones
    "liaison": {"mia"},  # his body's, up to official
    "liaison_almaty": {"almaty"},
    "liaison_mod": set(),  # his body's indicator is secret, above his clearance
}
BOTH = {"strategy", "defence"}
DOCUMENTS = {  # the apparatus by clearance; a liaison the documents holding his indicators
    **dict.fromkeys(("chair", "secretary", "member", "analyst", "controller", "auditor"), BOTH),
    "admin": {"strategy"},
    "liaison": {"strategy"},
    "liaison_almaty": {"strategy"},
    "liaison_mod": set(),
}
GOALS = {  # the apparatus every goal of a document it sees; a liaison the goals holding his indicators
    **{
        name: {"public_order", "almaty"}
        for name in ("chair", "secretary", "member", "analyst", "controller", "auditor")
    },
    "admin": {"public_order", "almaty"},
    "liaison": {"public_order"},
    "liaison_almaty": {"almaty"},
    "liaison_mod": set(),
}
# The heatmap is the Council's and its apparatus's; who sees the strategy reads its goals and roll-up.
HEATMAP = frozenset({"chair", "secretary", "member", "analyst", "controller", "auditor"})
# An evaluation report (official, as its strategy) is read by clearance, and by no liaison.
REPORTS = {name: set() if name.startswith("liaison") else {"strategy"} for name in DOCUMENTS}
SEES_STRATEGY = frozenset(name for name, documents in DOCUMENTS.items() if "strategy" in documents)
ON_STRATEGY = ("documents", "strategy")


def _in_strategy(indicator) -> bool:
    return indicator.document.title == STRATEGY_TITLE


def _heatmap(response, records):
    shown = {document.pk for document, _n, _g in response.context["rows"]}
    return {key for key, document in records.items() if document.pk in shown}


def _rolled_up(response) -> int:
    return sum(response.json()["counts"].values())


declare(
    Module(
        app="strategy",
        build=build,
        during=partial(mock.patch.object, common, "today", lambda: D(2026, 11, 25)),
        cases=(
            Case(
                Indicator,
                "indicators",
                INDICATORS,
                (
                    Listing("/api/v1/indicators", ids(), counted=True),
                    Listing("/api/v1/search", ids(kind="indicator"), query={"q": "a"}),
                    Listing(
                        "strategy:document-export",
                        shows(lambda i: i.code),
                        among=_in_strategy,
                        on=ON_STRATEGY,
                        only=SEES_STRATEGY,
                    ),
                    Count(
                        "/api/v1/strategic-documents/{pk}/evaluation",
                        _rolled_up,
                        of=lambda shown: len([i for i in shown if _in_strategy(i)]),
                        on=ON_STRATEGY,
                        only=SEES_STRATEGY,
                    ),
                    Count("/", widget("strategy", "total")),
                    Detail("/api/v1/indicators/{pk}"),
                    Detail("/api/v1/indicators/{pk}/measurements"),
                    Detail("/api/v1/indicators/{pk}/evaluation"),
                    Detail("strategy:indicator-detail"),
                    Write(
                        "/api/v1/measurements/{pk}/verify",
                        may=frozenset({"secretary", "analyst"}),
                        of=lambda indicator: indicator.measurements.get(),
                    ),
                ),
            ),
            Case(
                StrategicDocument,
                "documents",
                DOCUMENTS,
                (
                    Listing("/api/v1/strategic-documents", ids(), counted=True),
                    Listing("strategy:document-list", shows(lambda d: d.title)),
                    Listing("strategy:heatmap", _heatmap, only=HEATMAP),
                    Detail("/api/v1/strategic-documents/{pk}"),
                    Detail("/api/v1/strategic-documents/{pk}/evaluation"),
                    Detail("strategy:document-detail"),
                    Detail("strategy:document-export"),
                ),
            ),
            Case(
                Goal,
                "goals",
                GOALS,
                (
                    Listing(
                        "/api/v1/strategic-documents/{pk}/goals",
                        ids(),
                        counted=True,
                        on=ON_STRATEGY,
                        only=SEES_STRATEGY,
                    ),
                ),
            ),
            Case(
                EvaluationReport,
                "reports",
                REPORTS,
                (
                    Listing(
                        "/api/v1/strategic-documents/{pk}/reports",
                        ids(),
                        counted=True,
                        on=ON_STRATEGY,
                        only=SEES_STRATEGY,
                    ),
                    Detail("/api/v1/evaluation-reports/{pk}"),
                    Detail("strategy:report-detail"),
                    Detail("strategy:report-export", ("pdf",)),
                    Detail("strategy:report-export", ("docx",)),
                ),
            ),
        ),
    )
)
