"""Minutes are a composed document: they hold only what is at or below their own level (the session's,
unless the drafter raises them), on the page, in the API, in DOCX and PDF and in their audit event."""

import datetime as dt
import io
import json

import docx
import pypdf
import pytest
from django.urls import reverse

from kenes.core.classification import Classification
from kenes.core.exceptions import Conflict
from kenes.core.models import AuditEvent
from kenes.council import services
from kenes.council.models import Minutes
from tests.council.conftest import vote_all

HIDDEN = ("Hidden item TS", "Hidden decision TS")


@pytest.fixture
def held(users, orgs):
    """A secret session, held, with a secret item and decision and a top-secret item and decision."""
    secretary = users["secretary"]
    meeting = services.create_meeting(actor=secretary, title="Secret session", date=dt.date(2026, 6, 1))
    open_item = services.add_agenda_item(meeting, actor=secretary, title="Open item S", body=orgs["mia"])
    hidden_item = services.add_agenda_item(
        meeting, actor=secretary, title=HIDDEN[0], classification=Classification.TOP_SECRET
    )
    services.advance_meeting(meeting, "agenda_approved", actor=secretary)
    for item, title in ((open_item, "Open decision S"), (hidden_item, HIDDEN[1])):
        decision = services.draft_decision(actor=secretary, title=title, text="x", agenda_item=item)
        vote_all(decision, users)
        services.adopt_decision(decision, actor=users["chair"])
    services.advance_meeting(meeting, "held", actor=secretary)
    return meeting


def _docx_text(data: bytes) -> str:
    word = docx.Document(io.BytesIO(data))
    return "\n".join(p.text for p in word.paragraphs)


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_minutes_hold_only_what_is_at_or_below_the_sessions_level(api, client, users, held):
    minutes = api(users["secretary"]).post(f"/api/v1/meetings/{held.pk}/minutes")
    assert minutes.status_code == 201
    body = minutes.json()
    assert body["classification"] == "secret"
    assert "Open item S" in body["text"] and "Open decision S" in body["text"]
    assert not any(hidden in body["text"] for hidden in HIDDEN)
    stored = Minutes.objects.get(meeting=held)
    events = AuditEvent.objects.filter(object_type="council.minutes", object_id=str(stored.pk))
    assert events.exists() and not any(hidden in json.dumps(e.changes) for e in events for hidden in HIDDEN)

    analyst = users["analyst"]
    assert "Open item S" in api(analyst).get(f"/api/v1/meetings/{held.pk}/minutes").json()["text"]
    client.force_login(analyst)
    page = client.get(reverse("council:meeting-detail", args=[held.pk])).content.decode()
    exported = {
        fmt: client.get(reverse("council:minutes-export", args=[held.pk, fmt])).content for fmt in ("docx", "pdf")
    }
    texts = [page, _docx_text(exported["docx"]), _pdf_text(exported["pdf"])]
    assert all("Open item S" in text for text in texts)
    assert not any(hidden in text for text in texts for hidden in HIDDEN)


def test_the_drafter_raises_the_minutes_to_include_higher_items(api, users, held):
    secretary = api(users["secretary"])
    url = f"/api/v1/meetings/{held.pk}/minutes"
    secretary.post(url)
    raised = secretary.post(url, {"classification": "top_secret"})
    assert raised.status_code == 201 and raised.json()["classification"] == "top_secret"
    assert all(hidden in raised.json()["text"] for hidden in HIDDEN)
    minutes = Minutes.objects.get(meeting=held)
    update = AuditEvent.objects.filter(object_type="council.minutes", object_id=str(minutes.pk), action="update")
    assert any(e.changes.get("classification") == [Classification.SECRET, Classification.TOP_SECRET] for e in update)
    assert api(users["analyst"]).get(url).status_code == 404, "a reader below the minutes' level no longer sees them"

    lowered = secretary.post(url, {"classification": "secret"})
    assert lowered.status_code == 201 and not any(hidden in lowered.json()["text"] for hidden in HIDDEN)
    assert AuditEvent.objects.filter(action="declassify", object_id=str(minutes.pk)).exists()
    assert secretary.post(url, {"classification": "official"}).status_code == 422, "never below the session"


def test_nobody_raises_minutes_above_his_clearance(api, users, held):
    users["secretary"].clearance = Classification.SECRET
    users["secretary"].save()
    answer = api(users["secretary"]).post(f"/api/v1/meetings/{held.pk}/minutes", {"classification": "top_secret"})
    assert answer.status_code == 403
    assert not Minutes.objects.filter(meeting=held).exists()


def test_the_page_drafts_the_minutes_at_the_chosen_level(client, users, held):
    client.force_login(users["secretary"])
    url = reverse("council:minutes-action", args=[held.pk, "draft"])
    client.post(url, {"classification": ""})
    assert Minutes.objects.get(meeting=held).classification == Classification.SECRET
    client.post(url, {"classification": Classification.TOP_SECRET})
    minutes = Minutes.objects.get(meeting=held)
    assert minutes.classification == Classification.TOP_SECRET and HIDDEN[0] in minutes.text


def test_the_page_answers_an_invalid_level_with_an_error_not_a_draft(client, users, held):
    client.force_login(users["secretary"])
    url = reverse("council:minutes-action", args=[held.pk, "draft"])
    answer = client.post(url, {"classification": "99"})
    assert answer.status_code == 422
    assert answer.context["minutes_draft_form"].errors["classification"]
    assert not Minutes.objects.filter(meeting=held).exists()


def test_a_decision_held_by_lower_minutes_is_not_raised_above_them(users, held):
    secretary = users["secretary"]
    item = held.agenda_items.get(title="Open item S")
    draft = services.draft_decision(actor=secretary, title="Late draft", text="x", agenda_item=item)
    services.draft_minutes(held, actor=secretary)
    with pytest.raises(Conflict):
        services.update_decision(draft, actor=secretary, classification=Classification.TOP_SECRET)
    draft.refresh_from_db()
    assert draft.classification == Classification.SECRET
    services.draft_minutes(held, actor=secretary, classification=Classification.TOP_SECRET)
    services.update_decision(draft, actor=secretary, classification=Classification.TOP_SECRET)
    draft.refresh_from_db()
    assert draft.classification == Classification.TOP_SECRET
