import datetime as dt
import math

import pytest
from django.db import transaction

from kenes.core import audit, periods
from kenes.core.classification import Classification
from kenes.core.models import AuditEvent
from kenes.threats import services
from kenes.threats.models import Observation

START = dt.date(2020, 1, 1)


def seasonal(n: int, *, level: float = 100.0, amplitude: float = 20.0, trend: float = 0.5, noise: float = 3.0):
    """A deterministic monthly seasonal series with a trend and a bounded wiggle."""
    return [
        round(level + trend * t + amplitude * math.sin(2 * math.pi * t / 12) + noise * math.sin(7.3 * t), 3)
        for t in range(n)
    ]


def seasonal_naive_mase(values, season: int, backtest_horizon: int, windows: int = 3) -> float:
    """The seasonal-naive backtest MASE computed by hand, independently of the engine: ``windows``
    consecutive windows of ``backtest_horizon`` points at the tail, each forecast by repeating the last
    season before it and scaled by the in-sample seasonal-naive error of the part before it."""
    values = [float(v) for v in values]
    errors = []
    for w in range(windows, 0, -1):
        cut = len(values) - w * backtest_horizon
        train = values[:cut]
        scale = sum(abs(train[t] - train[t - season]) for t in range(season, cut)) / (cut - season)
        for k in range(1, backtest_horizon + 1):
            guess = train[cut - season + (k - 1) % season]
            errors.append(abs(values[cut + k - 1] - guess) / scale)
    return sum(errors) / len(errors)


def fill(signal, values, start: dt.date = START) -> None:
    """Store ``values`` as the signal's observations from ``start`` on, in one audited bulk block."""
    with transaction.atomic(), audit.bulk(Observation, action=AuditEvent.Action.CREATE, about=signal):
        Observation.objects.bulk_create(
            [
                Observation(signal=signal, period=periods.shift(start, signal.frequency, n), value=v)
                for n, v in enumerate(values)
            ]
        )


@pytest.fixture
def make_threat(users, orgs):
    def make(**overrides):
        arguments = {
            "actor": users["analyst"],
            "title": "Drug trafficking routes",
            "domain": "transnational_crime",
            "scope": "external",
            "likelihood": 4,
            "impact": 3,
            "owner": orgs["mia"],
            "classification": Classification.OFFICIAL,
        }
        arguments.update(overrides)
        return services.create_threat(**arguments)

    return make


@pytest.fixture
def make_signal(users):
    def make(threat=None, **overrides):
        arguments = {"actor": users["analyst"], "name": "Seizures a month", "unit": "cases", "threat": threat}
        arguments.update(overrides)
        return services.create_signal(**arguments)

    return make
