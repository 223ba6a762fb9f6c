import datetime as dt

import pytest

from kenes.accounts.models import Role
from kenes.control import services
from kenes.core.classification import Classification
from tests.conftest import make_org, make_user


@pytest.fixture
def bodies(orgs):
    return {**orgs, "mod": make_org("ministry-defence")}


@pytest.fixture
def people(users, bodies):
    return {**users, "liaison_mod": make_user("liaison_mod", Role.LIAISON, Classification.OFFICIAL, bodies["mod"])}


@pytest.fixture
def issue(people, bodies):
    """``issue(**overrides)`` gives an ordinary instruction to the MIA with the defence ministry helping."""

    def give(**overrides):
        arguments = {
            "actor": people["secretary"],
            "text": "Strengthen the protection of public places.",
            "lead_executor": bodies["mia"],
            "co_executors": [bodies["mod"]],
            "controller": people["controller"],
            "due_date": dt.date(2026, 12, 10),
            "issued_on": dt.date(2026, 11, 20),
            "classification": Classification.OFFICIAL,
        }
        arguments.update(overrides)
        return services.issue_instruction(**arguments)

    return give
