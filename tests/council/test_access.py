"""Access to the council beyond the generic layer (tests/access; the council's declaration is
tests/council/access.py): the agenda items and materials a liaison reads and adds within a session he
sees, and the reads and exports of secret records written to the audit log."""

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
