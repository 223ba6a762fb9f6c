"""The API for strategic documents, indicators, measurements and evaluations: the
fields it promises, all-or-nothing writes, 422 naming the field, 403/422 on levels, no N+1."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from kenes.core.classification import Classification
from kenes.strategy import services
from kenes.strategy.models import Indicator, Measurement, StrategicDocument, Target
from kenes.strategy.services import evaluation
from tests.conftest import queries

D = dt.date


@pytest.fixture
def analyst_api(api, people):
    return api(people["analyst"])


def test_create_document_goal_indicator_and_read_them(analyst_api, bodies):
    response = analyst_api.post(
        "/api/v1/strategic-documents",
        {
            "title": "Concept of cybersecurity",
            "kind": "concept",
            "period_start": "2023-01-01",
            "period_end": "2029-12-31",
            "owner": bodies["apparatus"].pk,
            "classification": "official",
        },
    )
    assert response.status_code == 201, response.content
    document = response.json()
    assert {
        "id",
        "title",
        "kind",
        "period_start",
        "period_end",
        "owner",
        "parent",
        "classification",
        "created_at",
        "updated_at",
    } <= set(document)
    goal = analyst_api.post(
        f"/api/v1/strategic-documents/{document['id']}/goals", {"title": "SOC coverage", "weight": 2}
    )
    assert goal.status_code == 201
    response = analyst_api.post(
        "/api/v1/indicators",
        {
            "document": document["id"],
            "goal": goal.json()["id"],
            "code": "CYB-1",
            "name": "Objects with a security operations centre",
            "unit": "%",
            "direction": "increase",
            "frequency": "annual",
            "baseline": 40,
            "baseline_period": "2022-01-01",
            "targets": [{"period": "2024-01-01", "value": 60}, {"period": "2029-01-01", "value": 100}],
            "responsible": bodies["mia"].pk,
        },
    )
    assert response.status_code == 201, response.content
    indicator = response.json()
    assert indicator["targets"] == [{"period": "2024-01-01", "value": 60.0}, {"period": "2029-01-01", "value": 100.0}]
    assert (
        indicator["classification"] == "official"
        and indicator["baseline"] == 40
        and indicator["responsible"] == bodies["mia"].pk
    )
    posted = analyst_api.post(
        f"/api/v1/indicators/{indicator['id']}/measurements",
        {"measurements": [{"period": "2023-01-01", "value": 45}, {"period": "2024-01-01", "value": 55}]},
    )
    assert posted.status_code == 201 and len(posted.json()) == 2
    evaluation = analyst_api.get(f"/api/v1/indicators/{indicator['id']}/evaluation").json()
    assert evaluation["period"] == "2024-01-01"
    assert evaluation["achievement"] == pytest.approx(0.75)
    assert evaluation["status"] == "at_risk"
    assert evaluation["forecast_end_value"] is not None and evaluation["probability"] is not None
    listed = analyst_api.get("/api/v1/indicators", {"document": document["id"]}).json()
    assert listed["count"] == 1 and listed["items"][0]["status"] == "at_risk"


def test_measurements_are_all_or_nothing_and_name_the_field(analyst_api, make_indicator):
    indicator = make_indicator("X1")
    url = f"/api/v1/indicators/{indicator.pk}/measurements"
    bad = [
        ([{"period": "2021-01-01", "value": 1}, {"period": "2021-03-01", "value": 2}], "measurements[1].period"),
        ([{"period": "2021-01-01", "value": 1}, {"period": "2021-01-01", "value": 2}], "measurements[1].period"),
        ([{"period": "2040-01-01", "value": 1}], "measurements[0].period"),
        ([{"period": "2027-01-01", "value": 1}], "measurements[0].period"),
        ([{"period": "2021-01-01", "value": 1e300}], "measurements[0].value"),
    ]
    for measurements, field in bad:
        response = analyst_api.post(url, {"measurements": measurements})
        assert response.status_code == 422, (measurements, response.content)
        assert any(field in e["loc"] for e in response.json()["errors"]), response.json()
    for body in (
        '{"measurements": [{"period": "2021-01-01", "value": NaN}]}',
        '{"measurements": []}',
        '{"measurements": [{"period": "2021-02-30", "value": 1}]}',
        '{"measurements": "x"}',
    ):
        response = analyst_api.generic("POST", url, body, content_type="application/json")
        assert response.status_code == 422, body
    assert not Measurement.objects.exists()


def test_a_correction_keeps_the_old_value(analyst_api, make_indicator):
    indicator = make_indicator("X2")
    url = f"/api/v1/indicators/{indicator.pk}/measurements"
    analyst_api.post(url, {"measurements": [{"period": "2021-01-01", "value": 1}]})
    analyst_api.post(url, {"measurements": [{"period": "2021-01-01", "value": 2}]})
    items = analyst_api.get(url).json()["items"]
    assert items[0]["value"] == 2 and [r["value"] for r in items[0]["revisions"]] == [1]


def test_levels_are_checked(api, people, document, bodies):
    liaison = api(people["liaison"])
    assert (
        liaison.post(
            "/api/v1/strategic-documents",
            {
                "title": "x",
                "kind": "concept",
                "period_start": "2023-01-01",
                "period_end": "2024-12-31",
                "owner": bodies["mia"].pk,
            },
        ).status_code
        == 403
    )
    analyst = api(people["analyst"])
    above = analyst.post(
        "/api/v1/strategic-documents",
        {
            "title": "x",
            "kind": "concept",
            "period_start": "2023-01-01",
            "period_end": "2024-12-31",
            "owner": bodies["mia"].pk,
            "classification": "top_secret",
        },
    )
    assert above.status_code == 403
    secret = services.create_document(
        actor=people["analyst"],
        kind="concept",
        title="S",
        period_start=D(2023, 1, 1),
        period_end=D(2024, 12, 31),
        owner=bodies["mia"],
        classification=Classification.SECRET,
    )
    below = analyst.post(
        "/api/v1/indicators",
        {
            "document": secret.pk,
            "code": "S1",
            "name": "n",
            "unit": "u",
            "baseline": 1,
            "baseline_period": "2022-01-01",
            "responsible": bodies["mia"].pk,
            "classification": "official",
        },
    )
    assert below.status_code == 422 and not Indicator.objects.filter(code="S1").exists()
    child = analyst.post(
        "/api/v1/strategic-documents",
        {
            "title": "c",
            "kind": "action_plan",
            "period_start": "2023-01-01",
            "period_end": "2024-12-31",
            "owner": bodies["mia"].pk,
            "parent": secret.pk,
            "classification": "official",
        },
    )
    assert child.status_code == 422
    reversed_period = analyst.post(
        "/api/v1/strategic-documents",
        {
            "title": "r",
            "kind": "concept",
            "period_start": "2025-01-01",
            "period_end": "2024-12-31",
            "owner": bodies["mia"].pk,
        },
    )
    assert reversed_period.status_code == 422
    assert StrategicDocument.objects.count() == 2


def test_duplicate_code_and_foreign_goal(analyst_api, make_indicator, document, bodies, people):
    make_indicator("DUP")
    other = services.create_document(
        actor=people["analyst"],
        kind="concept",
        title="Other",
        period_start=D(2023, 1, 1),
        period_end=D(2024, 12, 31),
        owner=bodies["mia"],
    )
    foreign = services.create_goal(other, actor=people["analyst"], title="Foreign")
    base = {
        "document": document.pk,
        "name": "n",
        "unit": "u",
        "baseline": 1,
        "baseline_period": "2020-01-01",
        "responsible": bodies["mia"].pk,
    }
    assert analyst_api.post("/api/v1/indicators", {**base, "code": "DUP"}).status_code == 422
    assert analyst_api.post("/api/v1/indicators", {**base, "code": "NEW", "goal": foreign.pk}).status_code == 422
    assert (
        analyst_api.post("/api/v1/indicators", {**base, "code": "NEW", "baseline_period": "2020-02-01"}).status_code
        == 422
    )
    assert (
        analyst_api.post(
            "/api/v1/indicators", {**base, "code": "NEW", "targets": [{"period": "2019-01-01", "value": 1}]}
        ).status_code
        == 422
    )
    assert not Indicator.objects.filter(code="NEW").exists()


def test_patch_targets_and_thresholds(api, people, make_indicator):
    indicator = make_indicator("P1", targets=[(D(2024, 1, 1), 200)])
    analyst = api(people["analyst"])
    analyst.post(
        f"/api/v1/indicators/{indicator.pk}/measurements", {"measurements": [{"period": "2024-01-01", "value": 190}]}
    )
    assert analyst.get(f"/api/v1/indicators/{indicator.pk}/evaluation").json()["status"] == "on_track"
    patched = analyst.patch(f"/api/v1/indicators/{indicator.pk}", {"targets": [{"period": "2024-01-01", "value": 190}]})
    assert patched.status_code == 200
    assert analyst.get(f"/api/v1/indicators/{indicator.pk}/evaluation").json()["status"] == "achieved"
    assert analyst.put("/api/v1/evaluation-settings", {"achieved": 2, "on_track": 1, "at_risk": 0.5}).status_code == 403
    secretary = api(people["secretary"])
    assert (
        secretary.put("/api/v1/evaluation-settings", {"achieved": 2, "on_track": 1, "at_risk": 0.5}).status_code == 200
    )
    assert analyst.get(f"/api/v1/indicators/{indicator.pk}/evaluation").json()["status"] == "on_track"


def test_a_patch_is_all_or_nothing_and_evaluates_once(api, people, make_indicator, monkeypatch):
    indicator = make_indicator("P2", weight=1, targets=[(D(2024, 1, 1), 200)])
    analyst = api(people["analyst"])
    before = Target.objects.filter(indicator=indicator).count()
    response = analyst.patch(
        f"/api/v1/indicators/{indicator.pk}",
        {"weight": 5, "targets": [{"period": "2024-01-01", "value": 300}, {"period": "2040-01-01", "value": 1}]},
    )
    assert response.status_code == 422, response.content
    assert [e["loc"][-1] for e in response.json()["errors"]] == ["targets[1].period"]
    indicator.refresh_from_db()
    assert indicator.weight == 1
    assert Target.objects.get(indicator=indicator, period=D(2024, 1, 1)).value == 200
    assert Target.objects.filter(indicator=indicator).count() == before
    calls = []
    evaluate = services.evaluate
    monkeypatch.setattr(evaluation, "evaluate", lambda ids, **kw: calls.append(list(ids)) or evaluate(ids, **kw))
    response = analyst.patch(
        f"/api/v1/indicators/{indicator.pk}", {"weight": 5, "targets": [{"period": "2024-01-01", "value": 300}]}
    )
    assert response.status_code == 200 and response.json()["weight"] == 5
    assert calls == [[indicator.pk]]


def test_an_edit_checks_the_baseline_period_like_a_creation(make_indicator, people):
    indicator = make_indicator("P3")
    with pytest.raises(ValidationError) as error:
        services.update_indicator(indicator, actor=people["analyst"], baseline_period=D(2031, 1, 1))
    assert "baseline_period" in error.value.message_dict
    indicator.refresh_from_db()
    assert indicator.baseline_period == D(2020, 1, 1)


def test_lists_make_the_same_number_of_queries_for_few_and_many(api, people, make_indicator):
    client = api(people["analyst"])
    first = make_indicator("Q0")
    services.record_measurements(first, actor=people["analyst"], measurements=[("2021-01-01", 1), ("2022-01-01", 2)])
    urls = lambda: [  # noqa: E731
        "/api/v1/indicators",
        "/api/v1/strategic-documents",
        f"/api/v1/indicators/{first.pk}/measurements",
        f"/api/v1/strategic-documents/{first.document_id}/goals",
    ]
    small = {url: queries(client, url) for url in urls()}
    for n in range(1, 8):
        indicator = make_indicator(f"Q{n}")
        services.record_measurements(indicator, actor=people["analyst"], measurements=[("2021-01-01", 1)])
    services.record_measurements(
        first, actor=people["analyst"], measurements=[(f"{y}-01-01", y) for y in range(2021, 2026)]
    )
    large = {url: queries(client, url) for url in urls()}
    assert small == large


def test_putting_a_secret_report_on_an_agenda_by_the_api_audits_its_reading(api, people, document):
    from kenes.core.models import AuditEvent
    from kenes.council import services as council

    report = services.create_report(
        document, actor=people["analyst"], period="2025-01-01", conclusion="c", classification=Classification.SECRET
    )
    meeting = council.create_meeting(actor=people["secretary"], title="Session", date=D(2026, 12, 15))
    response = api(people["secretary"]).post(f"/api/v1/evaluation-reports/{report.pk}/agenda", {"meeting": meeting.pk})
    assert response.status_code == 201, response.content
    reads = AuditEvent.objects.filter(
        action=AuditEvent.Action.READ,
        object_type="strategy.evaluationreport",
        object_id=str(report.pk),
        actor=people["secretary"],
    )
    assert reads.count() == 1
