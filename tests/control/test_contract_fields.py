"""An instruction given without a controller is controlled by its author, if his role may."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from kenes.control import services
from kenes.core.classification import Classification


@pytest.mark.parametrize("role", ["secretary", "controller", "chair"])
def test_without_a_controller_the_author_controls(issue, people, role):
    instruction = issue(actor=people[role], controller=None)
    assert instruction.controller == people[role]


def test_a_named_controller_is_kept(issue, people):
    assert issue(actor=people["secretary"], controller=people["controller"]).controller == people["controller"]


@pytest.mark.parametrize("role", ["analyst", "liaison", "member", "auditor"])
def test_an_author_whose_role_may_not_control_must_name_the_controller(people, role):
    with pytest.raises(ValidationError) as error:
        services.default_controller(people[role], Classification.PUBLIC)
    assert list(error.value.message_dict) == ["controller"]


def test_an_issuer_who_may_not_control_is_refused_naming_the_field(issue, people, monkeypatch):
    """Should an issuing role ever be one that may not control, the omission is invalid input, not a 500."""
    monkeypatch.setattr(services.roles, "CONTROLLER_ROLES", ("controller",))
    with pytest.raises(ValidationError) as error:
        issue(actor=people["secretary"], controller=None)
    assert list(error.value.message_dict) == ["controller"]


def test_the_api_takes_an_instruction_without_a_controller(api, people, bodies):
    client = api(people["secretary"])
    payload = {
        "decision": None,
        "text": "Report on the heating season.",
        "lead_executor": bodies["mia"].pk,
        "co_executors": [],
        "due_date": (dt.date.today() + dt.timedelta(days=30)).isoformat(),
        "classification": "official",
    }
    created = client.post("/api/v1/instructions", payload)
    assert created.status_code == 201, created.content
    assert created.json()["controller"] == people["secretary"].pk


def test_the_api_names_the_controller_field_when_the_author_may_not_control(api, people, bodies, monkeypatch):
    monkeypatch.setattr(services.roles, "CONTROLLER_ROLES", ("controller",))
    refused = api(people["secretary"]).post(
        "/api/v1/instructions",
        {
            "text": "x",
            "lead_executor": bodies["mia"].pk,
            "due_date": (dt.date.today() + dt.timedelta(days=9)).isoformat(),
        },
    )
    assert refused.status_code == 422
    assert [e["loc"] for e in refused.json()["errors"]] == [["body", "controller"]]
