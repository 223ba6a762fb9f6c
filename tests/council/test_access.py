"""What each user may see of sessions, by every path: API lists, counts and details, pages, search,
the calendar feed, exports and the materials of agenda items; what he may not see is 404."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kenes.core import attachments
from kenes.core.classification import Classification
from kenes.core.models import AuditEvent
from kenes.council import services
from tests.council.conftest import vote_all

PDF = b"%PDF-1.7\n%%EOF\n"


@pytest.fixture
def landscape(users, orgs, official_session):
    """Sessions at three levels, each with a decision; the official one hears the MIA (and, at secret, Almaty)."""
    secretary, chair = users["secretary"], users["chair"]
    official, mia_item, almaty_item = official_session
    secret = services.create_meeting(actor=secretary, title="Secret session", date=dt.date(2026, 6, 1))
    top = services.create_meeting(
        actor=secretary, title="Top session", date=dt.date(2026, 7, 1), classification=Classification.TOP_SECRET
    )
    items = {}
    for meeting in (secret, top):
        items[meeting.pk] = services.add_agenda_item(
            meeting, actor=secretary, title=f"Item of {meeting.title}", body=orgs["mia"]
        )
    for meeting in (official, secret, top):
        services.advance_meeting(meeting, "agenda_approved", actor=secretary)
    decisions = {}
    for key, item in (
        ("official", mia_item),
        ("almaty", almaty_item),
        ("secret", items[secret.pk]),
        ("top", items[top.pk]),
    ):
        decision = services.draft_decision(actor=secretary, title=f"Decision {key}", text="x", agenda_item=item)
        vote_all(decision, users)
        decisions[key] = services.adopt_decision(decision, actor=chair)
    material = attachments.attach_file(SimpleUploadedFile("m.pdf", PDF), actor=secretary, owner=mia_item)
    secret_material = attachments.attach_file(SimpleUploadedFile("s.pdf", PDF), actor=secretary, owner=almaty_item)
    return {
        "meetings": {"official": official, "secret": secret, "top": top},
        "decisions": decisions,
        "material": material,
        "secret_material": secret_material,
    }


EXPECTED_MEETINGS = {
    "chair": {"official", "secret", "top"},
    "member": {"official", "secret", "top"},
    "analyst": {"official", "secret"},
    "auditor": {"official", "secret"},
    "admin": {"official"},
    "liaison": {"official"},
    "liaison_almaty": set(),
}
EXPECTED_DECISIONS = {
    "chair": {"official", "almaty", "secret", "top"},
    "analyst": {"official", "almaty", "secret"},
    "admin": {"official"},
    "liaison": {"official"},
    "liaison_almaty": set(),
}


@pytest.mark.parametrize("name", list(EXPECTED_MEETINGS))
def test_sessions_by_every_path(client, api, users, landscape, name):
    user = users[name]
    client.force_login(user)
    api_client = api(user)
    expected = EXPECTED_MEETINGS[name]
    listed = api_client.get("/api/v1/meetings").json()
    assert {m["title"].split()[0].lower() for m in listed["items"]} == expected
    assert listed["count"] == len(expected)
    page = client.get(reverse("council:meeting-list")).content.decode()
    feed = client.get(reverse("council:calendar-feed")).content.decode()
    api_feed = api_client.get("/api/v1/calendar.ics").content.decode()
    found = api_client.get("/api/v1/search?q=session").json()
    for key, meeting in landscape["meetings"].items():
        visible = key in expected
        status = 200 if visible else 404
        assert api_client.get(f"/api/v1/meetings/{meeting.pk}").status_code == status, (name, key)
        assert client.get(reverse("council:meeting-detail", args=[meeting.pk])).status_code == status
        assert api_client.get(f"/api/v1/meetings/{meeting.pk}/agenda-items").status_code == status
        assert api_client.get(f"/api/v1/meetings/{meeting.pk}/attendance").status_code == status
        assert (meeting.title in page) is visible
        assert (meeting.title in feed) is visible and (meeting.title in api_feed) is visible
        assert any(i["type"] == "meeting" and i["id"] == meeting.pk for i in found["items"]) is visible


@pytest.mark.parametrize("name", list(EXPECTED_DECISIONS))
def test_decisions_by_every_path(client, api, users, landscape, name):
    user = users[name]
    client.force_login(user)
    api_client = api(user)
    expected = EXPECTED_DECISIONS[name]
    listed = api_client.get("/api/v1/decisions").json()
    assert {d["title"].split()[1] for d in listed["items"]} == expected and listed["count"] == len(expected)
    found = {i["id"] for i in api_client.get("/api/v1/search?q=decision").json()["items"] if i["type"] == "decision"}
    for key, decision in landscape["decisions"].items():
        status = 200 if key in expected else 404
        assert api_client.get(f"/api/v1/decisions/{decision.pk}").status_code == status, (name, key)
        assert api_client.get(f"/api/v1/decisions/{decision.pk}/votes").status_code == status
        assert client.get(reverse("council:decision-detail", args=[decision.pk])).status_code == status
        for fmt in ("docx", "pdf"):
            assert client.get(reverse("council:decision-export", args=[decision.pk, fmt])).status_code == status
        assert (decision.pk in found) is (key in expected)


def test_liaison_sees_only_his_bodys_items_and_materials(client, api, users, landscape, official_session):
    official, _mia_item, almaty_item = official_session
    client.force_login(users["liaison"])
    items = api(users["liaison"]).get(f"/api/v1/meetings/{official.pk}/agenda-items").json()
    assert [i["title"] for i in items["items"]] == ["Public order"] and items["count"] == 1
    page = client.get(reverse("council:meeting-detail", args=[official.pk])).content.decode()
    assert "Public order" in page and "Almaty safety" not in page
    download = reverse("core:attachment-download", args=[landscape["material"].pk])
    assert client.get(download).status_code == 200
    assert client.get(reverse("core:attachment-download", args=[landscape["secret_material"].pk])).status_code == 404
    assert api(users["liaison"]).get(f"/api/v1/agenda-items/{almaty_item.pk}").status_code == 404
    assert api(users["liaison"]).get(f"/api/v1/meetings/{official.pk}/minutes").status_code == 404


def test_the_liaison_of_the_body_heard_may_add_materials(client, users, official_session):
    official, mia_item, _almaty_item = official_session
    client.force_login(users["liaison"])
    url = reverse("council:agenda-item-material", args=[official.pk, mia_item.pk])
    client.post(url, {"file": SimpleUploadedFile("report.pdf", PDF)})
    assert mia_item.pk in set(
        attachments.Attachment.objects.filter(owner_id=mia_item.pk).values_list("owner_id", flat=True)
    )
    client.force_login(users["liaison_almaty"])
    assert client.post(url, {"file": SimpleUploadedFile("x.pdf", PDF)}).status_code == 404


def test_reads_of_secret_sessions_and_exports_are_logged(client, users, landscape):
    secret = landscape["meetings"]["secret"]
    client.force_login(users["analyst"])
    client.get(reverse("council:meeting-detail", args=[secret.pk]))
    decision = landscape["decisions"]["secret"]
    client.get(reverse("council:decision-export", args=[decision.pk, "pdf"]))
    assert AuditEvent.objects.filter(
        action="read", object_type="council.meeting", object_id=str(secret.pk), actor=users["analyst"]
    ).exists()
    assert AuditEvent.objects.filter(action="export", object_id=str(decision.pk), actor=users["analyst"]).exists()
    official = landscape["meetings"]["official"]
    client.get(reverse("council:meeting-detail", args=[official.pk]))
    assert not AuditEvent.objects.filter(action="read", object_id=str(official.pk)).exists()


def test_the_dashboard_widget_counts_only_what_the_user_may_see(client, users, landscape):
    client.force_login(users["analyst"])
    html = client.get("/").content.decode()
    widget = next(w for w in client.get("/").context["widgets"] if w["name"] == "council")
    titles = {d.title for d in widget["decisions"]}
    assert titles == {"Decision secret", "Decision almaty", "Decision official"}
    assert "Decision top" not in html


def test_materials_through_the_generic_api_follow_the_council_rule(api, users, official_session):
    """A member sees the item but is not among those who add materials: the API refuses him as the page does."""
    _official, mia_item, _almaty_item = official_session
    payload = {"file": SimpleUploadedFile("m.pdf", PDF), "owner_type": "council.agendaitem", "owner_id": mia_item.pk}
    from django.test.client import MULTIPART_CONTENT

    refused = api(users["member"]).post("/api/v1/attachments", payload, content_type=MULTIPART_CONTENT)
    assert refused.status_code == 403
    payload["file"] = SimpleUploadedFile("m.pdf", PDF)
    allowed = api(users["liaison"]).post("/api/v1/attachments", payload, content_type=MULTIPART_CONTENT)
    assert allowed.status_code == 201
