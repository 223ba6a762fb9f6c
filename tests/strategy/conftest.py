import datetime as dt

import pytest

from kenes.accounts.models import Role
from kenes.core.classification import Classification
from kenes.strategy import services
from kenes.strategy.services import common
from tests.conftest import make_org, make_user

D = dt.date


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    """The tests live on 2026-11-25 (Asia/Almaty), whatever the machine's clock says."""
    monkeypatch.setattr(common, "today", lambda: D(2026, 11, 25))  # services.today reads it too


@pytest.fixture
def bodies(orgs):
    return {**orgs, "mod": make_org("ministry-defence")}


@pytest.fixture
def people(users, bodies):
    return {**users, "liaison_mod": make_user("liaison_mod", Role.LIAISON, Classification.OFFICIAL, bodies["mod"])}


@pytest.fixture
def document(people, bodies):
    return services.create_document(
        actor=people["analyst"],
        kind="security_strategy",
        title="National security strategy 2021-2030",
        period_start=D(2021, 1, 1),
        period_end=D(2030, 12, 31),
        owner=bodies["apparatus"],
        classification=Classification.OFFICIAL,
    )


@pytest.fixture
def goal(document, people):
    return services.create_goal(document, actor=people["analyst"], title="Public order")


@pytest.fixture
def make_indicator(document, goal, people, bodies):
    """``make_indicator(code, **overrides)``: an annual MIA indicator, baseline 100 in 2020, targets 2021-2030."""

    def make(code: str, **overrides):
        arguments = {
            "actor": people["analyst"],
            "code": code,
            "name": f"Indicator {code}",
            "unit": "%",
            "baseline_value": 100.0,
            "baseline_period": D(2020, 1, 1),
            "responsible": bodies["mia"],
            "goal": goal,
            "frequency": "annual",
            "direction": "increase",
            "targets": [(D(y, 1, 1), 100.0 + 10 * (y - 2020)) for y in range(2021, 2031)],
            "classification": Classification.OFFICIAL,
        }
        target_document = overrides.pop("document", document)
        arguments.update(overrides)
        return services.create_indicator(target_document, **arguments)

    return make
