"""Need-to-know in execution control: a liaison sees, lists, searches, counts and exports only the
instructions addressed to his body, up to his clearance, by every path; everything else is 404."""

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from kenes.control import services
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


EXPECTED = {
    "liaison": {"mia_lead", "mia_co"},
    "liaison_mod": {"mia_co"},
    "liaison_almaty": {"almaty"},
    "controller": {"mia_lead", "mia_co", "mia_secret", "almaty"},
    "admin": {"mia_lead", "mia_co", "almaty"},
}


@pytest.mark.parametrize("name", list(EXPECTED))
def test_instructions_by_every_path(client, api, people, spread, name):
    user = people[name]
    expected = EXPECTED[name]
    client.force_login(user)
    api_client = api(user)
    listed = api_client.get("/api/v1/instructions").json()
    assert {i["text"].split()[0] for i in listed["items"]} == {spread[k].text.split()[0] for k in expected}
    assert listed["count"] == len(expected)
    found = api_client.get("/api/v1/search", {"q": "plan"}).json()
    seen = {i["id"] for i in found["items"] if i["type"] == "instruction"}
    page = client.get(reverse("control:instruction-list")).content.decode()
    export = openpyxl.load_workbook(io.BytesIO(client.get(reverse("control:instruction-export")).content))
    exported = " ".join(str(c.value) for row in export.active.iter_rows() for c in row)
    for key, instruction in spread.items():
        visible = key in expected
        status = 200 if visible else 404
        assert api_client.get(f"/api/v1/instructions/{instruction.pk}").status_code == status, (name, key)
        assert api_client.get(f"/api/v1/instructions/{instruction.pk}/reports").status_code == status
        assert api_client.get(f"/api/v1/instructions/{instruction.pk}/deadlines").status_code == status
        assert client.get(reverse("control:instruction-detail", args=[instruction.pk])).status_code == status
        assert (instruction.pk in seen) is visible
        assert (instruction.number in page) is visible
        assert (instruction.number in exported) is visible


def test_liaison_counts_and_board(client, people, spread):
    services.mark_overdue(D(2026, 12, 11))
    client.force_login(people["liaison"])
    widget = next(w for w in client.get("/").context["widgets"] if w["name"] == "control")
    assert widget["overdue"] == 2  # alpha and bravo; not the secret one, nor Almaty's
    assert client.get(reverse("control:board")).status_code == 404
    client.force_login(people["controller"])
    board = client.get(reverse("control:board")).context
    assert board["counts"]["overdue"] == 4


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
        assert client.post("/api/v1/instructions", payload).status_code in (404, 422)
    withdraw = api(people["secretary"]).patch(
        f"/api/v1/instructions/{body['id']}", {"status": "withdrawn", "reason": "duplicate"}
    )
    assert withdraw.json()["status"] == "withdrawn"
    assert client.patch(f"/api/v1/instructions/{body['id']}", {"status": "withdrawn", "reason": "x"}).status_code in (
        403,
        409,
    )


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
