"""An indicator takes the contract's fields alone (a generated code, the baseline period before its first
target), and a refused code says nothing about indicators the author may not see."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from kenes.core import codes
from kenes.core.classification import Classification
from kenes.strategy import services
from kenes.strategy.models import Indicator
from kenes.strategy.services import register

D = dt.date


def _contract_payload(document, bodies, **extra):
    return {
        "document": document.pk,
        "name": "Share of solved crimes",
        "unit": "%",
        "direction": "increase",
        "frequency": "quarterly",
        "baseline": 40.0,
        "targets": [{"period": "2026-07-01", "value": 50.0}, {"period": "2026-04-01", "value": 45.0}],
        "responsible": bodies["mia"].pk,
        "classification": "official",
        **extra,
    }


def test_an_indicator_without_code_or_baseline_period_gets_the_documented_defaults(api, people, bodies, document):
    client = api(people["analyst"])
    created = client.post("/api/v1/indicators", _contract_payload(document, bodies))
    assert created.status_code == 201, created.content
    body = created.json()
    assert re.fullmatch(rf"D{document.pk}-[0-9A-F]{{6}}", body["code"]), body["code"]
    assert body["baseline_period"] == "2026-01-01"  # the quarter before the first target (2026 Q2)
    second = client.post("/api/v1/indicators", _contract_payload(document, bodies, targets=[]))
    assert second.status_code == 201, second.content
    assert (
        re.fullmatch(rf"D{document.pk}-[0-9A-F]{{6}}", second.json()["code"]) and second.json()["code"] != body["code"]
    )
    assert second.json()["baseline_period"] == "2020-10-01"  # before the document's first quarter, 2021 Q1


def test_the_defaults_stay_settable(api, people, bodies, document):
    created = api(people["analyst"]).post(
        "/api/v1/indicators", _contract_payload(document, bodies, code="SC-1", baseline_period="2025-10-01")
    )
    assert created.status_code == 201, created.content
    assert created.json()["code"] == "SC-1" and created.json()["baseline_period"] == "2025-10-01"


def test_a_generated_code_is_random_and_skips_codes_already_used(make_indicator, document, people, bodies, monkeypatch):
    make_indicator(f"d{document.pk}-aaaaaa")
    draws = iter(["aaaaaa", "bbbbbb"])
    monkeypatch.setattr(codes.secrets, "token_hex", lambda n: next(draws))
    indicator = services.create_indicator(
        document, actor=people["analyst"], name="x", unit="%", baseline_value=1.0, responsible=bodies["mia"]
    )
    assert indicator.code == f"D{document.pk}-BBBBBB"
    assert indicator.baseline_period == D(2020, 1, 1)


def _refusal(client, document, bodies, code):
    response = client.post("/api/v1/indicators", _contract_payload(document, bodies, code=code))
    assert response.status_code == 422, response.content
    return response.content


def test_a_hidden_indicators_code_is_refused_exactly_like_any_other_unusable_code(
    api, make_indicator, people, bodies, document
):
    make_indicator("VISIBLE-1")
    make_indicator("HIDDEN-1", actor=people["secretary"], classification=Classification.TOP_SECRET)
    client = api(people["analyst"])
    assert client.get("/api/v1/indicators?q=HIDDEN-1").json()["count"] == 0
    hidden = _refusal(client, document, bodies, "HIDDEN-1")
    assert hidden == _refusal(client, document, bodies, "hidden-1")
    assert hidden == _refusal(client, document, bodies, "VISIBLE-1")
    assert hidden == _refusal(client, document, bodies, "has space")
    assert hidden == _refusal(client, document, bodies, "X" * 41)
    assert b'"loc": ["body", "code"]' in hidden
    assert b"HIDDEN" not in hidden and b"taken" not in hidden


def test_the_service_refuses_every_unusable_code_with_one_message(make_indicator, people):
    make_indicator("A-1", actor=people["secretary"], classification=Classification.TOP_SECRET)
    messages = set()
    for code in ("A-1", "a-1", "two words", "Y" * 41):
        with pytest.raises(ValidationError) as error:
            make_indicator(code)
        messages.add(tuple(error.value.message_dict["code"]))
    assert len(messages) == 1
    assert Indicator.objects.count() == 1


def test_the_page_adds_an_indicator_without_code_or_baseline_period(client, people, bodies, document):
    client.force_login(people["analyst"])
    response = client.post(
        reverse("strategy:indicator-new", args=[document.pk]),
        {
            "code": "",
            "name": "Solved crimes",
            "unit": "%",
            "direction": "increase",
            "frequency": "annual",
            "baseline_value": "40",
            "baseline_period": "",
            "responsible": bodies["mia"].pk,
            "weight": "1",
            "classification": "",
            "targets": "2024-01-01 50\n2025-01-01 55",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    indicator = Indicator.objects.get(name="Solved crimes")
    assert indicator.code.startswith(f"D{document.pk}-") and indicator.baseline_period == D(2023, 1, 1)


def test_a_code_taken_by_a_concurrent_writer_is_refused_with_the_same_message(
    api, make_indicator, people, bodies, document, monkeypatch
):
    make_indicator("RACE-1", actor=people["secretary"], classification=Classification.TOP_SECRET)
    client = api(people["analyst"])
    usual = _refusal(client, document, bodies, "two words")
    monkeypatch.setattr(register, "_indicator_code", lambda value, document: "RACE-1")  # checked before the other
    assert _refusal(client, document, bodies, "RACE-1") == usual
    assert Indicator.objects.count() == 1


def test_codes_differing_only_in_case_are_one_code_even_under_a_race(make_indicator, people, document, monkeypatch):
    """The database refuses ``race-1`` beside ``RACE-1`` (imports name indicators case-insensitively),
    and the refusal is the usual neutral 422, not a server error."""
    make_indicator("RACE-1", actor=people["secretary"], classification=Classification.TOP_SECRET)
    monkeypatch.setattr(register, "_indicator_code", lambda value, document: "race-1")  # checked before the other
    with pytest.raises(ValidationError) as refused:
        make_indicator("race-1")
    assert list(refused.value.message_dict) == ["code"]
    assert Indicator.objects.count() == 1


def test_only_the_codes_own_constraint_is_answered_as_a_taken_code(make_indicator, document):
    """Any other integrity error (here the weight's check constraint) is not a taken code."""
    indicator = make_indicator("W-1")
    indicator.pk, indicator.code, indicator.weight = None, "W-2", 0
    with pytest.raises(IntegrityError):
        codes.save_with_code(indicator, "taken")
