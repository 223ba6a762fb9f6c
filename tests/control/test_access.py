"""Access to execution control beyond the generic layer (tests/access; control's declaration is
tests/control/access.py): who reports on and reviews an instruction, who creates and withdraws one,
and lists whose number of queries does not grow with the rows."""

import datetime as dt

import pytest
from django.urls import reverse

from kenes.core.classification import Classification
from tests.conftest import queries

D = dt.date


@pytest.fixture
def spread(issue, people, bodies):
    return {
        "mia_lead": issue(text="Alpha plan for the MIA", co_executors=[]),
        "mia_co": issue(text="Bravo plan led by defence", lead_executor=bodies["mod"], co_executors=[bodies["mia"]]),
        "mia_secret": issue(
            text="Charlie plan secret for the MIA", classification=Classification.SECRET, co_executors=[]
        ),
        "almaty": issue(text="Delta plan for Almaty", lead_executor=bodies["akimat"], co_executors=[]),
    }


def test_only_the_lead_liaison_reports_and_only_the_controller_or_secretary_reviews(api, people, spread):
    alpha = spread["mia_lead"]
    assert (
        api(people["liaison_almaty"]).post(f"/api/v1/instructions/{alpha.pk}/reports", {"text": "x"}).status_code == 404
    )
    assert api(people["controller"]).post(f"/api/v1/instructions/{alpha.pk}/reports", {"text": "x"}).status_code == 403
    created = api(people["liaison"]).post(f"/api/v1/instructions/{alpha.pk}/reports", {"text": "Done."})
    assert created.status_code == 201
    report = created.json()
    assert report["outcome"] == "pending" and {"text", "submitted_at", "outcome"} <= set(report)
    assert api(people["liaison"]).post(f"/api/v1/instructions/{alpha.pk}/reports", {"text": "x"}).status_code == 409
    assert (
        api(people["analyst"]).post(f"/api/v1/reports/{report['id']}/review", {"outcome": "accept"}).status_code == 403
    )
    assert (
        api(people["liaison"]).post(f"/api/v1/reports/{report['id']}/review", {"outcome": "accept"}).status_code == 403
    )
    assert (
        api(people["liaison_almaty"]).post(f"/api/v1/reports/{report['id']}/review", {"outcome": "accept"}).status_code
        == 404
    )
    assert (
        api(people["controller"]).post(f"/api/v1/reports/{report['id']}/review", {"outcome": "maybe"}).status_code
        == 422
    )
    returned = api(people["controller"]).post(
        f"/api/v1/reports/{report['id']}/review", {"outcome": "return", "comment": "Figures?"}
    )
    assert returned.json()["outcome"] == "returned"
    assert api(people["liaison"]).get(f"/api/v1/instructions/{alpha.pk}").json()["status"] == "returned"
    assert (
        api(people["controller"]).post(f"/api/v1/reports/{report['id']}/review", {"outcome": "accept"}).status_code
        == 409
    )


def test_instruction_api_create_filters_and_withdraw(api, people, bodies, spread):
    client = api(people["controller"])
    created = client.post(
        "/api/v1/instructions",
        {
            "text": "Report on the heating season.",
            "lead_executor": bodies["mod"].pk,
            "co_executors": [bodies["mia"].pk],
            "controller": people["controller"].pk,
            "urgency": "urgent",
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "assigned" and body["co_executors"] == [bodies["mia"].pk]
    assert {"decision", "text", "lead_executor", "co_executors", "due_date", "status", "classification"} <= set(body)
    assert client.get(f"/api/v1/instructions?executor={bodies['mod'].pk}").json()["count"] == 2
    assert client.get("/api/v1/instructions?overdue=true").json()["count"] == 0
    assert client.get("/api/v1/instructions?status=bogus").status_code == 422
    bad = client.post(
        "/api/v1/instructions",
        {"text": "x", "lead_executor": bodies["mod"].pk, "controller": people["liaison"].pk, "due_date": "2026-12-01"},
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["loc"] == ["body", "controller"]
    for payload in (
        {"text": "x", "lead_executor": 999999, "controller": people["controller"].pk},
        {
            "text": "x",
            "lead_executor": bodies["mod"].pk,
            "controller": people["controller"].pk,
            "due_date": "2026-02-30",
        },
        {"text": "", "lead_executor": bodies["mod"].pk, "controller": people["controller"].pk},
    ):
        assert client.post("/api/v1/instructions", payload).status_code == 422, payload
    withdraw = api(people["secretary"]).patch(
        f"/api/v1/instructions/{body['id']}", {"status": "withdrawn", "reason": "duplicate"}
    )
    assert withdraw.json()["status"] == "withdrawn"
    withdraw_again = {"status": "withdrawn", "reason": "x"}
    assert client.patch(f"/api/v1/instructions/{body['id']}", withdraw_again).status_code == 403  # not a controller's
    again = api(people["secretary"]).patch(f"/api/v1/instructions/{body['id']}", withdraw_again)
    assert again.status_code == 409  # withdrawn already


def test_list_endpoints_and_pages_keep_a_constant_number_of_queries(client, api, issue, people, bodies):
    """The same number of queries for 2 and for 42 instructions: no query per row."""
    api_client = api(people["controller"])
    liaison = api(people["liaison"])
    client.force_login(people["controller"])
    urls = [
        (api_client, "/api/v1/instructions?limit=500"),
        (liaison, "/api/v1/instructions?limit=500"),
        (client, reverse("control:instruction-list")),
        (client, reverse("control:board")),
        (client, reverse("control:discipline")),
        (client, "/"),
    ]
    for n in range(2):
        issue(text=f"s{n}", co_executors=[bodies["mod"], bodies["akimat"]])
    small = [queries(c, url) for c, url in urls]
    for n in range(40):
        issue(text=f"n{n}", co_executors=[bodies["mod"], bodies["akimat"]], due_date=D(2026, 11, 30))
    assert [queries(c, url) for c, url in urls] == small
    assert max(small) <= 12
