"""The council API: meetings, agenda items, decisions, votes, minutes, work plan; the
state machine's 409s, the 403s and 422s, hostile input, pinned query counts."""

import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document as DocxDocument

from kenes.core.models import AuditEvent
from kenes.council import services
from kenes.council.models import Decision, Meeting
from tests.conftest import queries

MEETING = {"title": "Session on border security", "date": "2026-11-17", "kind": "regular"}


def test_a_session_prepared_and_held_through_the_api(api, users, orgs):
    secretary, chair = api(users["secretary"]), api(users["chair"])
    created = secretary.post("/api/v1/meetings", MEETING)
    assert created.status_code == 201, created.content
    meeting = created.json()
    assert meeting["status"] == "planned" and meeting["classification"] == "secret"
    assert {"id", "title", "date", "kind", "status", "classification", "created_at", "updated_at"} <= set(meeting)
    url = f"/api/v1/meetings/{meeting['id']}"
    assert secretary.patch(url, {"status": "agenda_approved"}).status_code == 409  # empty agenda
    first = secretary.post(
        f"{url}/agenda-items",
        {"title": "Hearing of the MIA", "kind": "head_hearing", "speaker": "Minister", "body": orgs["mia"].pk},
    )
    assert first.status_code == 201 and first.json()["classification"] == "secret"
    second = secretary.post(f"{url}/agenda-items", {"title": "Other", "kind": "other"}).json()
    order = secretary.post(f"{url}/agenda-items/order", {"items": [second["id"], first.json()["id"]]})
    assert [i["title"] for i in order.json()] == ["Other", "Hearing of the MIA"]
    assert secretary.patch(url, {"status": "held"}).status_code == 409
    assert api(users["analyst"]).patch(url, {"status": "agenda_approved"}).status_code == 403
    assert secretary.patch(url, {"status": "agenda_approved"}).json()["status"] == "agenda_approved"
    attendance = secretary.put(
        f"{url}/attendance",
        {
            "attendance": [
                {"member": users["chair"].pk, "status": "present"},
                {"member": users["member"].pk, "status": "represented", "represented_by": "Deputy"},
            ]
        },
    )
    assert attendance.status_code == 200 and len(attendance.json()) == 2
    decision = secretary.post(
        "/api/v1/decisions",
        {"title": "On border security", "text": "1. Strengthen.", "agenda_item": first.json()["id"]},
    )
    assert decision.status_code == 201
    body = decision.json()
    assert body["status"] == "draft" and body["number"] is None and body["meeting"] == meeting["id"]
    durl = f"/api/v1/decisions/{body['id']}"
    assert chair.post(f"{durl}/adopt").status_code == 409  # no votes
    votes = secretary.post(
        f"{durl}/votes",
        {"votes": [{"member": u.pk, "choice": "for"} for u in (users["chair"], users["secretary"], users["member"])]},
    )
    assert votes.json()["passed"] is True and votes.json()["votes_for"] == 3
    assert secretary.post(f"{durl}/adopt").status_code == 403
    adopted = chair.post(f"{durl}/adopt").json()
    assert adopted["status"] == "adopted"
    assert adopted["number"] == f"1/{timezone.localdate().year}" and adopted["signed_by"] == users["chair"].pk
    assert secretary.patch(durl, {"text": "changed"}).status_code == 409
    assert secretary.patch(url, {"status": "held"}).status_code == 200
    minutes = secretary.post(f"{url}/minutes")
    assert minutes.status_code == 201 and adopted["number"] in minutes.json()["text"]
    assert secretary.put(f"{url}/minutes", {"text": minutes.json()["text"] + "\nNote."}).status_code == 200
    assert secretary.post(f"{url}/minutes/sign").json()["status"] == "signed"
    assert secretary.put(f"{url}/minutes", {"text": "rewritten"}).status_code == 409
    assert secretary.get(url).json()["status"] == "minutes_signed"
    assert secretary.patch(url, {"title": "Renamed"}).status_code == 409


def test_classification_rules_through_the_api(api, users, meeting, hearing):
    secretary = api(users["secretary"])
    low = secretary.post(f"/api/v1/meetings/{meeting.pk}/agenda-items", {"title": "x", "classification": "official"})
    assert low.status_code == 422 and low.json()["errors"][0]["loc"] == ["body", "classification"]
    unknown = secretary.post("/api/v1/meetings", {**MEETING, "classification": "cosmic"})
    assert unknown.status_code == 422
    users["secretary"].clearance = 20
    users["secretary"].save()
    above = secretary.post("/api/v1/meetings", {**MEETING, "classification": "top_secret"})
    assert above.status_code == 403
    below = secretary.post(
        "/api/v1/decisions", {"title": "t", "text": "x", "agenda_item": hearing.pk, "classification": "official"}
    )
    assert below.status_code == 422


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({**MEETING, "date": "2026-02-30"}, "date"),
        ({**MEETING, "date": "30.12.2026"}, "date"),
        ({**MEETING, "title": ""}, "title"),
        ({**MEETING, "title": "x" * 301}, "title"),
        ({**MEETING, "kind": "secret-conclave"}, "kind"),
        ({**MEETING, "chair": -1}, "chair"),
        ({**MEETING, "chair": 99999999}, "chair"),
        ({"date": "2026-01-01"}, "title"),
    ],
)
def test_invalid_sessions_name_the_field_and_write_nothing(api, users, payload, field):
    response = api(users["secretary"]).post("/api/v1/meetings", payload)
    assert response.status_code == 422, response.content
    assert any(field in error["loc"] for error in response.json()["errors"])
    assert not Meeting.objects.exists()


def test_hostile_text_is_stored_as_text_and_rendered_escaped(client, api, users):
    payload = {**MEETING, "title": '<img src=x onerror="alert(1)">', "place": '=HYPERLINK("http://x")'}
    meeting = api(users["secretary"]).post("/api/v1/meetings", payload).json()
    assert meeting["title"] == payload["title"]
    client.force_login(users["secretary"])
    for url in (reverse("council:meeting-list"), reverse("council:meeting-detail", args=[meeting["id"]])):
        html = client.get(url).content.decode()
        assert '<img src=x onerror="alert(1)">' not in html and "&lt;img src=x" in html


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/meetings?year=99999",
        "/api/v1/meetings?status=bogus",
        "/api/v1/meetings?sort=password",
        "/api/v1/decisions?year=-1",
        "/api/v1/meetings/1/agenda-items/order",
        "/api/v1/work-plan?year=abc",
    ],
)
def test_bad_filters_are_422_not_500(api, users, path):
    client = api(users["secretary"])
    response = client.post(path, {"items": "x"}) if path.endswith("order") else client.get(path)
    assert response.status_code == 422


def test_reorder_refuses_foreign_or_missing_items(api, users, meeting, hearing):
    other = services.create_meeting(actor=users["secretary"], title="Other", date=meeting.date)
    foreign = services.add_agenda_item(other, actor=users["secretary"], title="Foreign")
    response = api(users["secretary"]).post(
        f"/api/v1/meetings/{meeting.pk}/agenda-items/order", {"items": [hearing.pk, foreign.pk]}
    )
    assert response.status_code == 422


def test_work_plan_through_the_api(api, users, orgs, meeting):
    client = api(users["secretary"])
    created = client.post(
        "/api/v1/work-plan", {"year": 2026, "quarter": 4, "title": "Water security", "responsible": orgs["mia"].pk}
    )
    assert created.status_code == 201
    question = created.json()
    assert (
        client.post(
            "/api/v1/work-plan", {"year": 2026, "quarter": 5, "title": "x", "responsible": orgs["mia"].pk}
        ).status_code
        == 422
    )
    scheduled = client.post(f"/api/v1/work-plan/{question['id']}/schedule", {"meeting": meeting.pk})
    assert scheduled.status_code == 201 and scheduled.json()["planned_question"] == question["id"]
    assert client.get("/api/v1/work-plan?year=2026").json()["items"][0]["status"] == "scheduled"
    dropped = client.post(
        "/api/v1/work-plan", {"year": 2026, "quarter": 1, "title": "y", "responsible": orgs["mia"].pk}
    ).json()
    assert client.patch(f"/api/v1/work-plan/{dropped['id']}", {"status": "dropped"}).json()["status"] == "dropped"
    liaison_view = api(users["liaison_almaty"]).get("/api/v1/work-plan").json()
    assert liaison_view["count"] == 0


def _make_sessions(users, orgs, count):
    for n in range(count):
        meeting = services.create_meeting(actor=users["secretary"], title=f"S{n}", date=f"2026-01-{n % 28 + 1:02d}")
        item = services.add_agenda_item(meeting, actor=users["secretary"], title=f"I{n}", body=orgs["mia"])
        services.draft_decision(actor=users["secretary"], title=f"D{n}", text="x", agenda_item=item)


def test_list_endpoints_and_pages_do_not_grow_queries_with_rows(client, api, users, orgs):
    """The same number of queries for 2 and for 32 sessions: no query per row."""
    api_client = api(users["analyst"])
    client.force_login(users["analyst"])
    urls = [
        (api_client, "/api/v1/meetings?limit=500"),
        (api_client, "/api/v1/decisions?limit=500"),
        (api_client, "/api/v1/work-plan"),
        (client, reverse("council:meeting-list")),
        (client, reverse("council:decision-list")),
        (client, reverse("council:meeting-calendar") + "?month=2026-01"),
        (client, reverse("council:work-plan") + "?year=2026"),
    ]
    _make_sessions(users, orgs, 2)
    small = [queries(c, url) for c, url in urls]
    _make_sessions(users, orgs, 30)
    assert [queries(c, url) for c, url in urls] == small
    assert max(small) <= 8


def test_session_page_query_count_does_not_grow_with_items(client, users, orgs, meeting):
    def add(count):
        for n in range(count):
            item = services.add_agenda_item(meeting, actor=users["secretary"], title=f"I{n}", body=orgs["mia"])
            services.draft_decision(actor=users["secretary"], title=f"D{n}", text="x", agenda_item=item)

    client.force_login(users["secretary"])
    url = reverse("council:meeting-detail", args=[meeting.pk])
    add(2)
    small = queries(client, url)
    add(25)
    assert queries(client, url) == small


def test_exports_carry_the_marking_on_every_page_and_the_users_language(client, users, meeting, hearing):
    decision = services.draft_decision(
        actor=users["secretary"], title="On security", text="Қауіпсіздік шешімі", agenda_item=hearing
    )
    client.force_login(users["analyst"])
    docx = client.get(reverse("council:decision-export", args=[decision.pk, "docx"]))
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats")
    document = DocxDocument(io.BytesIO(docx.content))
    header = " ".join(p.text for p in document.sections[0].header.paragraphs)
    footer = " ".join(p.text for p in document.sections[0].footer.paragraphs)
    assert "SECRET" in header.upper() and "SECRET" in footer.upper()
    assert any("Қауіпсіздік шешімі" in p.text for p in document.paragraphs)
    client.post(reverse("set_language"), {"language": "ru", "next": "/"})
    russian = DocxDocument(
        io.BytesIO(client.get(reverse("council:decision-export", args=[decision.pk, "docx"])).content)
    )
    assert "СЕКРЕТНО" in " ".join(p.text for p in russian.sections[0].header.paragraphs).upper()
    pdf = client.get(reverse("council:decision-export", args=[decision.pk, "pdf"]))
    assert pdf.content.startswith(b"%PDF")
    assert client.get(reverse("council:decision-export", args=[decision.pk, "exe"])).status_code == 404
    assert zipfile.is_zipfile(io.BytesIO(docx.content))
    assert AuditEvent.objects.filter(action="export", object_id=str(decision.pk)).count() == 3


def test_calendar_feed_is_valid_icalendar(client, users, meeting):
    from icalendar import Calendar

    client.force_login(users["analyst"])
    response = client.get(reverse("council:calendar-feed"))
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert len(events) == 1 and "Regular session" in str(events[0]["summary"])
    assert str(events[0]["summary"]).startswith("[Secret]")


def test_decision_numbers_in_the_api_are_unique(api, users):
    chair = api(users["chair"])
    numbers = []
    for n in range(3):
        created = chair.post("/api/v1/decisions", {"title": f"d{n}", "text": "x"}).json()
        numbers.append(chair.post(f"/api/v1/decisions/{created['id']}/adopt").json()["number"])
    assert len(set(numbers)) == 3 and Decision.objects.filter(number__isnull=False).count() == 3


def test_the_chairman_drafts_and_adopts_a_decision_outside_a_session_on_the_page(client, users):
    client.force_login(users["chair"])
    url = reverse("council:decision-list")
    refused = client.post(url, {"new-kind": "decision", "new-title": "", "new-text": "x"})
    assert refused.status_code == 422 and not Decision.objects.exists()
    response = client.post(url, {"new-kind": "decision", "new-title": "Urgent measures", "new-text": "Act now."})
    decision = Decision.objects.get()
    assert response.url == reverse("council:decision-detail", args=[decision.pk]) and decision.meeting is None
    client.post(reverse("council:decision-action", args=[decision.pk, "adopt"]))
    decision.refresh_from_db()
    assert decision.status == "adopted" and decision.number
    client.force_login(users["analyst"])
    assert "new-decision" not in client.get(url).content.decode()


def test_the_secretary_changes_a_session_and_removes_an_item_on_the_page(client, users, meeting, hearing):
    client.force_login(users["secretary"])
    data = {
        "edit-title": "Renamed session",
        "edit-date": "2026-12-18",
        "edit-kind": "extraordinary",
        "edit-place": "Akorda",
        "edit-chair": users["chair"].pk,
        "edit-classification": 30,
    }
    response = client.post(reverse("council:meeting-edit", args=[meeting.pk]), data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    hearing.refresh_from_db()
    assert (meeting.title, meeting.kind, meeting.chair, meeting.classification) == (
        "Renamed session",
        "extraordinary",
        users["chair"],
        30,
    )
    assert hearing.classification == 30, "the item is raised with its session"
    bad = client.post(reverse("council:meeting-edit", args=[meeting.pk]), {**data, "edit-date": "2026-02-30"})
    assert bad.status_code == 422
    client.post(reverse("council:agenda-item-remove", args=[meeting.pk, hearing.pk]))
    assert not meeting.agenda_items.exists()
    client.force_login(users["analyst"])
    assert client.post(reverse("council:meeting-edit", args=[meeting.pk]), data).status_code == 404
