"""The threat register's access declaration (tests/access/registry.py): threats of the MIA (official
and secret) and of Almaty, each with a signal over its threshold (so an alert) and a countermeasure;
who sees which threat, signal and alert by every path, who counts them and who acts on them."""

from __future__ import annotations

from kenes.core.classification import Classification
from kenes.threats import services
from kenes.threats.models import Alert, Signal, SituationReport, Threat
from tests.access.registry import ALMATY, MIA, Case, Count, Detail, Listing, Module, Write, declare, ids, shows, widget
from tests.threats.conftest import fill, seasonal


def build(users, orgs):
    analyst = users["analyst"]

    def threat(title, owner=MIA, level=Classification.OFFICIAL, **rating):
        arguments = {"likelihood": 4, "impact": 3, **rating}
        return services.create_threat(
            actor=analyst,
            title=title,
            domain="transnational_crime",
            scope="external",
            owner=orgs[owner],
            classification=level,
            **arguments,
        )

    threats = {
        "mia": threat("Alpha route of the MIA"),
        "mia_secret": threat("Bravo secret of the MIA", level=Classification.SECRET),
        "almaty": threat("Charlie unrest of the city", owner=ALMATY, likelihood=2, impact=2),
    }
    signals, alerts = {}, {}
    for key, made in threats.items():
        signal = services.create_signal(
            actor=analyst,
            threat=made,
            name=f"{made.title.split()[0]} signal",
            code=key,
            unit="cases",
            upper_threshold=400,
        )
        fill(signal, seasonal(72))
        services.compute_forecast(signal, actor=analyst, horizon=12)
        services.record_observations(signal, actor=analyst, observations=[("2026-01-01", 1000.0)], forecast=False)
        services.add_countermeasure(made, actor=analyst, title=f"{made.title.split()[0]} measure")
        signals[key] = signal
        for n, alert in enumerate(Alert.objects.filter(signal=signal).order_by("pk")):  # observed, forecast
            alerts[key if n == 0 else f"{key}#{n}"] = alert
    report = services.create_situation_report(
        actor=analyst,
        title="Month of the register",
        period_start=threats["mia"].created_at.date(),
        period_end=threats["mia"].created_at.date(),
    )
    return {"threats": threats, "signals": signals, "alerts": alerts, "reports": {"month": report}}


EVERY = {"mia", "mia_secret", "almaty"}
REGISTER = {
    "chair": EVERY,
    "secretary": EVERY,
    "member": EVERY,
    "analyst": EVERY,
    "controller": EVERY,
    "auditor": EVERY,
    "admin": {"mia", "almaty"},  # the official ones
    "liaison": {"mia"},  # what his body owns, up to official
    "liaison_almaty": {"almaty"},
    "liaison_mod": set(),  # his body owns no threat
}
# Who records observations, computes forecasts and acknowledges alerts: those who keep the register,
# and the liaisons of the owning body (every threat a liaison sees is his body's).
# A situation report (secret, as the register it sums up) is the apparatus's: no liaison reads it, nor
# the administrator (official clearance).
REPORTS = {name: set() if name.startswith("liaison") or name == "admin" else {"month"} for name in REGISTER}
RECORDERS = frozenset({"analyst", "secretary", "chair", "liaison", "liaison_almaty"})


def _matrix_page(response) -> int:
    return sum(count for _likelihood, cells in response.context["rows"] for _impact, count, _style in cells)


declare(
    Module(
        app="threats",
        build=build,
        cases=(
            Case(
                Threat,
                "threats",
                REGISTER,
                (
                    Listing("/api/v1/threats", ids(), counted=True),
                    Listing("/api/v1/search", ids(kind="threat"), query={"q": "of the"}),
                    Listing("threats:threat-list", shows(lambda t: t.title)),
                    Listing("threats:threat-export", shows(lambda t: t.title)),
                    Count("/api/v1/threats/matrix", lambda response: sum(map(sum, response.json()["counts"]))),
                    Count("threats:matrix", _matrix_page),
                    Detail("/api/v1/threats/{pk}"),
                    Detail("/api/v1/threats/{pk}/assessments"),
                    Detail("/api/v1/threats/{pk}/countermeasures"),
                    Detail("threats:threat-detail"),
                ),
            ),
            Case(
                Signal,
                "signals",
                REGISTER,
                (
                    Listing("/api/v1/signals", ids(), counted=True),
                    Listing("/api/v1/search", ids(kind="signal"), query={"q": "signal"}),
                    Detail("/api/v1/signals/{pk}"),
                    Detail("/api/v1/signals/{pk}/observations"),
                    Detail("/api/v1/signals/{pk}/forecast"),
                    Detail("threats:signal-detail"),
                    Write("/api/v1/signals/{pk}/forecast", may=RECORDERS, ok=201, data={"horizon": 6}),
                    Write(
                        "/api/v1/signals/{pk}/observations",
                        may=RECORDERS,
                        ok=201,
                        data={"observations": [{"period": "2026-02-01", "value": 1}]},
                    ),
                ),
            ),
            Case(
                Alert,
                "alerts",
                REGISTER,
                (
                    Listing("/api/v1/alerts", ids(), counted=True),
                    Listing("threats:alert-list", shows(lambda a: a.signal.name), query={"show": "all"}),
                    Count("/", widget("threats", "open_count")),
                    Detail("/api/v1/alerts/{pk}"),
                    Write("/api/v1/alerts/{pk}/acknowledge", may=RECORDERS, data={"comment": "x"}),
                ),
            ),
            Case(
                SituationReport,
                "reports",
                REPORTS,
                (
                    Listing("threats:report-list", shows(lambda r: r.title)),
                    Detail("threats:report-detail"),
                    Detail("threats:report-export", ("pdf",)),
                    Detail("threats:report-export", ("docx",)),
                ),
            ),
        ),
    )
)
