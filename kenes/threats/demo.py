"""The demo register: forty threats across the domains, a hundred monthly signals with six years of
synthetic observations (seasonal + trend + noise, deterministic), some of which break their
thresholds, countermeasures, a reassessment or two, and forecasts.

Observations are written in bulk (one audit event); the forecasts of a dozen showcase signals are
computed in one batch call at load, and a forecast run of every signal is queued for the worker, so
loading stays fast. Safe to run again: it does nothing once the register holds threats."""

from __future__ import annotations

import datetime as dt
import math
import random
from typing import Any

from kenes.accounts.models import User
from kenes.core import audit, periods
from kenes.core.classification import Classification
from kenes.core.models import AuditEvent
from kenes.directory.models import Organization
from kenes.threats import services
from kenes.threats.choices import CountermeasureStatus, Domain, Scope, Trend
from kenes.threats.early_warning import check_observations
from kenes.threats.models import Observation, Signal, Threat

MONTHS = 72
SHOWCASE = 12

# (title, domain, scope, owner code, [(signal name, unit, level, seasonal amplitude, trend per month)])
THREATS = [
    ("Cross-border drug trafficking routes", Domain.TRANSNATIONAL_CRIME, Scope.EXTERNAL, "mia", 90, 0.4),
    ("Recruitment into destructive religious movements", Domain.TERRORISM_EXTREMISM, Scope.INTERNAL, "mia", 25, 0.05),
    ("Mass unrest after price increases", Domain.PUBLIC_ORDER, Scope.INTERNAL, "mia", 14, 0.02),
    ("Attacks on state information systems", Domain.CYBER, Scope.EXTERNAL, "ministry-ai-digital-development", 320, 2),
    ("Internet fraud against citizens", Domain.CYBER, Scope.INTERNAL, "mia", 1800, 12),
    ("Ransomware on critical infrastructure", Domain.CYBER, Scope.EXTERNAL, "ministry-ai-digital-development", 12, 0.1),
    (
        "Disinformation campaigns in social networks",
        Domain.INFORMATION,
        Scope.EXTERNAL,
        "ministry-ai-digital-development",
        60,
        0.5,
    ),
    ("Fuel shortages in the heating season", Domain.ENERGY, Scope.INTERNAL, "ministry-energy", 240, 0.3),
    ("Failures of the unified power grid", Domain.ENERGY, Scope.INTERNAL, "ministry-energy", 35, 0.05),
    ("Dependence on imported electricity", Domain.ENERGY, Scope.EXTERNAL, "ministry-energy", 900, 3),
    ("Rise of food prices", Domain.FOOD, Scope.INTERNAL, "ministry-agriculture", 104, 0.4),
    ("Grain export restrictions by neighbours", Domain.FOOD, Scope.EXTERNAL, "ministry-agriculture", 50, 0.1),
    ("Spring floods", Domain.ECOLOGICAL, Scope.INTERNAL, "ministry-emergency-situations", 40, 0.05),
    ("Steppe and forest fires", Domain.ECOLOGICAL, Scope.INTERNAL, "ministry-emergency-situations", 80, 0.2),
    (
        "Shallowing of transboundary rivers",
        Domain.ECOLOGICAL,
        Scope.EXTERNAL,
        "ministry-emergency-situations",
        300,
        -0.6,
    ),
    ("Outbreaks of infectious diseases", Domain.EPIDEMIOLOGICAL, Scope.INTERNAL, "ministry-health", 450, 1),
    ("Import of epidemics across the border", Domain.EPIDEMIOLOGICAL, Scope.EXTERNAL, "ministry-health", 30, 0.1),
    ("Illegal migration", Domain.BORDER, Scope.EXTERNAL, "mia", 210, 0.8),
    ("Smuggling of goods across the border", Domain.BORDER, Scope.EXTERNAL, "ministry-finance", 130, 0.3),
    ("Militarisation of neighbouring regions", Domain.MILITARY, Scope.EXTERNAL, "ministry-defence", 20, 0.05),
    ("Foreign military activity near the border", Domain.MILITARY, Scope.EXTERNAL, "ministry-defence", 15, 0.04),
    ("Shadow economy and capital flight", Domain.ECONOMIC, Scope.INTERNAL, "ministry-finance", 700, 2),
    ("Currency volatility", Domain.ECONOMIC, Scope.EXTERNAL, "ministry-finance", 470, 1.5),
    ("Sanctions against trading partners", Domain.ECONOMIC, Scope.EXTERNAL, "ministry-finance", 55, 0.1),
    ("Street crime in large cities", Domain.PUBLIC_ORDER, Scope.INTERNAL, "akimat-almaty-city", 1500, -3),
    ("Road traffic deaths", Domain.PUBLIC_ORDER, Scope.INTERNAL, "mia", 180, -0.3),
    ("Extremist content online", Domain.TERRORISM_EXTREMISM, Scope.EXTERNAL, "mia", 400, 2),
    ("Returnees from conflict zones", Domain.TERRORISM_EXTREMISM, Scope.EXTERNAL, "mia", 6, 0.01),
    ("Cybercrime against banks", Domain.CYBER, Scope.EXTERNAL, "ministry-finance", 75, 0.4),
    ("Leaks of personal data", Domain.CYBER, Scope.INTERNAL, "ministry-ai-digital-development", 28, 0.2),
    ("Wear of heat supply networks", Domain.ENERGY, Scope.INTERNAL, "akimat-almaty-city", 66, 0.1),
    ("Air pollution in cities", Domain.ECOLOGICAL, Scope.INTERNAL, "akimat-almaty-city", 120, 0.2),
    ("Earthquake in Almaty", Domain.ECOLOGICAL, Scope.INTERNAL, "akimat-almaty-city", 10, 0),
    ("Antibiotic resistance", Domain.EPIDEMIOLOGICAL, Scope.INTERNAL, "ministry-health", 90, 0.3),
    ("Arms trafficking", Domain.TRANSNATIONAL_CRIME, Scope.EXTERNAL, "mia", 18, 0.02),
    ("Human trafficking", Domain.TRANSNATIONAL_CRIME, Scope.EXTERNAL, "mia", 24, 0.03),
    ("Money laundering through crypto-assets", Domain.TRANSNATIONAL_CRIME, Scope.EXTERNAL, "ministry-finance", 140, 1),
    (
        "Propaganda of violence among youth",
        Domain.INFORMATION,
        Scope.INTERNAL,
        "ministry-ai-digital-development",
        45,
        0.1,
    ),
    ("Interethnic tensions", Domain.PUBLIC_ORDER, Scope.INTERNAL, "mia", 8, 0.01),
    ("Dependence on single transit routes", Domain.OTHER, Scope.EXTERNAL, "ministry-finance", 320, 0.5),
]
MEASURES = [
    "Joint operation with neighbouring states",
    "Amendments to the legislation",
    "Public awareness campaign",
    "Additional monitoring capacity",
]
SIGNAL_KINDS = [("incidents a month", "incidents", 1.0), ("cases registered", "cases", 0.6), ("index", "points", 0.3)]


def _body(code: str) -> Organization:
    # policy: the demo loader builds the register, it shows nothing to anyone
    return Organization.objects.filter(code=code).first() or Organization.objects.order_by("pk").first()


def load_demo(stdout: Any = None) -> None:
    if Threat.objects.exists():  # policy: the loader checks whether it already ran
        return
    analyst = User.objects.get(username="analyst")
    rng = random.Random(2026)
    last = periods.floor(dt.date.today(), periods.Frequency.MONTHLY)
    first = periods.shift(last, periods.Frequency.MONTHLY, -MONTHS)
    signals: list[Signal] = []
    observations: list[Observation] = []
    for index, row in enumerate(THREATS):
        threat = _threat(analyst, index, row)
        for k in range(2 if index % 2 else 3):
            if len(signals) >= 100:
                break
            signal, values = _signal(analyst, rng, threat, index, k, row)
            signals.append(signal)
            observations += [
                Observation(signal=signal, period=periods.shift(first, periods.Frequency.MONTHLY, n), value=v)
                for n, v in enumerate(values)
            ]
    with audit.bulk(
        Observation,
        action=AuditEvent.Action.CREATE,
        actor=analyst,
        object_repr=f"demo: {len(observations)} observations of {len(signals)} signals",
        classification=max((signal.classification for signal in signals), default=Classification.PUBLIC),
    ):
        Observation.objects.bulk_create(observations, batch_size=2000)
    for signal in signals:
        recent = list(Observation.objects.filter(signal=signal).order_by("-period").values_list("period", "value")[:3])
        check_observations(signal, sorted(recent))
    services.forecast_signals(signals[:SHOWCASE])
    services.start_run(actor=None)
    if stdout is not None:
        stdout.write(f"threats: {len(THREATS)} threats, {len(signals)} signals, {len(observations)} observations")


def _threat(analyst: User, index: int, row: tuple[Any, ...]) -> Threat:
    """The ``index``-th demo threat, with its countermeasures and, for every fifth, a reassessment."""
    title, domain, scope, owner, _level, trend = row
    threat = services.create_threat(
        actor=analyst,
        title=title,
        domain=domain,
        scope=scope,
        likelihood=1 + (index * 7 + index // 5) % 5,
        impact=1 + (index * 3 + 1 + index // 4) % 5,
        trend=Trend.RISING if trend > 0.3 else Trend.FALLING if trend < 0 else Trend.STABLE,
        owner=_body(owner),
        description=f"{title}: assessed by the apparatus from the bodies' data and open sources.",
        classification=Classification.SECRET if index % 6 == 5 else Classification.OFFICIAL,
    )
    for m, measure in enumerate(MEASURES[: 1 + index % 3]):
        services.add_countermeasure(
            threat,
            actor=analyst,
            title=measure,
            expected_effect=f"Lower the likelihood of “{title.lower()}”.",
            status=list(CountermeasureStatus)[(index + m) % 3],
        )
    if index % 5 == 0:
        services.reassess_threat(
            threat,
            actor=analyst,
            likelihood=min(5, threat.likelihood + 1),
            impact=threat.impact,
            trend=Trend.RISING,
            reason="New data from the bodies show growth.",
        )
    return threat


def _signal(
    analyst: User, rng: random.Random, threat: Threat, index: int, k: int, row: tuple[Any, ...]
) -> tuple[Signal, list[float]]:
    """The ``k``-th signal of the ``index``-th threat, and its synthetic monthly values."""
    title, _domain, _scope, _owner, level, trend = row
    name, unit, scale = SIGNAL_KINDS[k]
    base = level * scale
    values = _series(rng, base, trend * scale, MONTHS + 1, breaks=(index + k) % 6 == 0)
    signal = services.create_signal(
        actor=analyst,
        code=f"demo-{index + 1:02d}-{k + 1}",
        name=f"{title}: {name}",
        unit=unit,
        threat=threat,
        upper_threshold=round(max(values[:-3]) * 1.1 + 0.05 * base, 1),
        lower_threshold=round(max(0.0, min(values) * 0.5), 1) if k == 2 else None,
    )
    return signal, values


def _series(rng: random.Random, base: float, trend: float, n: int, breaks: bool) -> list[float]:
    """A seasonal monthly series with a trend and noise; ``breaks`` makes the last month jump up."""
    phase = rng.uniform(0, 2 * math.pi)
    amplitude = 0.2 * base
    values = []
    for t in range(n):
        value = base + trend * t + amplitude * math.sin(2 * math.pi * t / 12 + phase) + rng.gauss(0, 0.06 * base)
        if breaks and t == n - 1:
            value += 0.5 * base
        values.append(round(max(0.0, value), 1))
    return values
