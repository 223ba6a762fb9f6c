"""Every action of the strategy and threats pages says what it did, and the ones that cannot be undone ask
first (issue 12, item 6)."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from kenes.core.classification import Classification
from kenes.strategy import services as strategy
from kenes.strategy.services import common as strategy_common
from kenes.threats import services as threats
from tests.records import a_threat


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(strategy_common, "today", lambda: dt.date(2026, 11, 25))


def said(response, text: str) -> bool:
    """The page a redirect led to shows ``text`` among its success messages."""
    assert response.redirect_chain, "the action did not redirect"
    assert response.status_code == 200
    return any(text in str(m) and "success" in m.tags for m in response.context["messages"])


@pytest.fixture
def threat(users, orgs):
    return a_threat(users, orgs)


@pytest.fixture
def document(users, orgs):
    return strategy.create_document(
        actor=users["analyst"],
        kind="security_strategy",
        title="Strategy",
        period_start=dt.date(2021, 1, 1),
        period_end=dt.date(2030, 12, 31),
        owner=orgs["apparatus"],
        classification=Classification.OFFICIAL,
    )


@pytest.fixture
def indicator(document, users, orgs):
    return strategy.create_indicator(
        document,
        actor=users["analyst"],
        code="I-1",
        name="Indicator",
        unit="%",
        baseline_value=100.0,
        baseline_period=dt.date(2020, 1, 1),
        responsible=orgs["mia"],
        targets=[(dt.date(2026, 1, 1), 120.0)],
    )


def test_threat_actions_say_what_they_did(client, users, orgs, threat):
    client.force_login(users["analyst"])
    act = lambda action: reverse("threats:threat-action", args=[threat.pk, action])  # noqa: E731

    created = client.post(
        reverse("threats:threat-new"),
        {"title": "Floods", "domain": "cyber", "scope": "internal", "likelihood": 2, "impact": 2, "trend": "stable"},
        follow=True,
    )
    reassessed = client.post(
        act("reassess"), {"likelihood": 4, "impact": 4, "trend": "rising", "reason": "New intelligence"}, follow=True
    )
    added = client.post(act("countermeasure"), {"title": "Harden the grid", "expected_effect": ""}, follow=True)
    measure = threats.countermeasures_for(users["analyst"], threat).get()
    changed = client.post(
        act("countermeasure-status"), {"countermeasure": measure.pk, "status": "in_progress"}, follow=True
    )
    signal = client.post(
        reverse("threats:signal-new", args=[threat.pk]),
        {"name": "Incidents", "unit": "cases", "frequency": "monthly"},
        follow=True,
    )

    assert said(created, "The threat was registered.")
    assert said(reassessed, "The threat was reassessed.")
    assert said(added, "The countermeasure was added.")
    assert said(changed, "The countermeasure's status was changed.")
    assert said(signal, "The signal was added.")


def test_a_situation_report_and_a_forecast_run_say_they_were_made(client, users, threat):
    client.force_login(users["analyst"])

    report = client.post(
        reverse("threats:report-new"),
        {"title": "Quarter", "period_start": "2026-10-01", "period_end": "2026-12-31"},
        follow=True,
    )
    run = client.post(reverse("threats:run-list"), {"horizon": 6}, follow=True)

    assert said(report, "The situation report was created.")
    assert said(run, "The forecast run was started.")


def test_threat_buttons_that_cannot_be_undone_ask_first(client, users, threat):
    threats.add_countermeasure(threat, actor=users["analyst"], title="Harden the grid")
    client.force_login(users["analyst"])

    page = client.get(reverse("threats:threat-detail", args=[threat.pk])).content.decode()

    status_form = re.search(r'action="[^"]*/countermeasure-status/".*?</form>', page, re.S)
    assert status_form and "data-confirm=" in status_form.group(0)
    threats.create_signal(actor=users["analyst"], threat=threat, name="Incidents", unit="cases")
    run = threats.start_run(actor=users["secretary"], horizon=6)  # queued: the worker does not run in a test
    client.force_login(users["secretary"])
    run_page = client.get(reverse("threats:run-detail", args=[run.pk])).content.decode()
    cancel = re.search(r'action="[^"]*/cancel/".*?</form>', run_page, re.S)
    assert cancel and "data-confirm=" in cancel.group(0)


def test_strategy_actions_say_what_they_did(client, users, orgs, document, indicator):
    client.force_login(users["analyst"])

    measured = client.post(
        reverse("strategy:indicator-action", args=[indicator.pk, "measure"]),
        {"period": "2025-01-01", "value": "110"},
        follow=True,
    )
    measurement = indicator.measurements.get()
    verified = client.post(
        reverse("strategy:indicator-action", args=[indicator.pk, "verify"]),
        {"measurement": measurement.pk},
        follow=True,
    )
    report = client.post(
        reverse("strategy:report-new", args=[document.pk]),
        {"year": 2025, "title": "", "conclusion": "On track.", "recommendations": ""},
        follow=True,
    )
    goal = client.post(reverse("strategy:goal-new", args=[document.pk]), {"title": "Order", "weight": 1}, follow=True)

    assert said(measured, "The value was recorded.")
    assert said(verified, "The value was verified.")
    assert said(report, "The evaluation report was saved.")
    assert said(goal, "The goal was added.")


def test_verifying_a_value_asks_first(client, users, indicator):
    strategy.record_measurements(indicator, actor=users["analyst"], measurements=[("2025-01-01", 110)], source="page")
    client.force_login(users["analyst"])

    page = client.get(reverse("strategy:indicator-detail", args=[indicator.pk])).content.decode()

    verify = re.search(r'action="[^"]*/verify/".*?</form>', page, re.S)
    assert verify and "data-confirm=" in verify.group(0)


def test_an_import_says_the_file_was_received(client, users, indicator):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(users["analyst"])
    upload = SimpleUploadedFile("values.csv", b"indicator,period,value\nI-1,2025-01-01,111\n", content_type="text/csv")

    response = client.post(reverse("strategy:import"), {"file": upload}, follow=True)

    assert said(response, "The file was received; it is being imported.")
