"""A threat takes the contract's fields alone (its owner is the author's body), and a refused signal code
says nothing about signals the author may not see."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kenes.core.classification import Classification
from kenes.threats import services
from kenes.threats.models import Signal, Threat

THREAT = {
    "title": "Cyber attacks on utilities",
    "domain": "cyber",
    "scope": "external",
    "likelihood": 3,
    "impact": 4,
    "classification": "official",
}


def test_a_threat_without_an_owner_is_owned_by_the_authors_body(api, users, orgs):
    created = api(users["analyst"]).post("/api/v1/threats", THREAT)
    assert created.status_code == 201, created.content
    assert created.json()["owner"] == orgs["apparatus"].pk
    named = api(users["analyst"]).post("/api/v1/threats", {**THREAT, "owner": orgs["mia"].pk})
    assert named.status_code == 201 and named.json()["owner"] == orgs["mia"].pk


def test_an_author_without_a_body_must_name_the_owner(users):
    users["analyst"].organization = None
    users["analyst"].save()
    with pytest.raises(ValidationError) as error:
        services.create_threat(actor=users["analyst"], **{**THREAT, "classification": Classification.OFFICIAL})
    assert list(error.value.message_dict) == ["owner"]
    assert not Threat.objects.exists()


def test_the_page_adds_a_threat_without_an_owner(client, users, orgs):
    client.force_login(users["analyst"])
    response = client.post(
        reverse("threats:threat-new"),
        {**THREAT, "classification": "", "trend": "stable", "owner": "", "description": ""},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Threat.objects.get().owner == orgs["apparatus"]


def _refusal(client, code):
    response = client.post("/api/v1/signals", {"name": "Incidents", "unit": "cases", "code": code})
    assert response.status_code == 422, response.content
    return response.content


def test_a_hidden_signals_code_is_refused_exactly_like_any_other_unusable_code(api, users, make_signal):
    make_signal(code="hidden-1", classification=Classification.TOP_SECRET, actor=users["chair"])
    make_signal(code="visible-1", classification=Classification.OFFICIAL)
    client = api(users["analyst"])
    assert client.get("/api/v1/signals?q=hidden").json()["count"] == 0
    hidden = _refusal(client, "hidden-1")
    assert hidden == _refusal(client, "visible-1")
    assert hidden == _refusal(client, "has space")
    assert hidden == _refusal(client, "ü-umlaut")
    assert hidden == _refusal(client, "x" * 81)
    assert b'"loc": ["body", "code"]' in hidden and b"exists" not in hidden
    assert Signal.objects.count() == 2


def test_a_signal_without_a_code_gets_one_from_its_name_that_says_nothing_of_hidden_ones(api, users, make_signal):
    make_signal(name="Incidents", code="incidents", classification=Classification.TOP_SECRET, actor=users["chair"])
    created = api(users["analyst"]).post(
        "/api/v1/signals",
        {"name": "Incidents", "unit": "cases", "frequency": "monthly", "threat": None, "classification": "official"},
    )
    assert created.status_code == 201, created.content
    assert re.fullmatch(r"incidents-[0-9a-f]{6}", created.json()["code"]), created.json()["code"]


def test_a_code_taken_by_a_concurrent_writer_is_refused_with_the_same_message(api, users, make_signal, monkeypatch):
    make_signal(code="race", classification=Classification.TOP_SECRET, actor=users["chair"])
    client = api(users["analyst"])
    usual = _refusal(client, "two words")
    monkeypatch.setattr(services.signals, "_signal_code", lambda value, name: "race")  # checked before the other wrote
    assert _refusal(client, "race") == usual
    assert Signal.objects.count() == 1
