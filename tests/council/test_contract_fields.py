"""What the contract asks of agenda items and decisions: a head hearing names the body heard (the speaker
is optional), and a session's decision names the agenda item it decides on."""

import datetime as dt

import pytest
from django.urls import reverse

from kenes.core.classification import Classification
from kenes.council import services
from kenes.council.choices import ItemKind


def test_a_head_hearing_without_a_speaker_is_taken_and_without_a_body_names_body(api, users, orgs, meeting):
    client = api(users["secretary"])
    url = f"/api/v1/meetings/{meeting.pk}/agenda-items"
    heard = client.post(url, {"title": "Hearing", "kind": "head_hearing", "body": orgs["mia"].pk})
    assert heard.status_code == 201, heard.content
    assert heard.json()["body"] == orgs["mia"].pk and heard.json()["speaker"] == ""
    refused = client.post(url, {"title": "Hearing", "kind": "head_hearing", "speaker": "Minister"})
    assert refused.status_code == 422
    assert [e["loc"] for e in refused.json()["errors"]] == [["body", "body"]]
    other = client.post(url, {"title": "Other", "kind": "other"}).json()
    patched = client.patch(f"/api/v1/agenda-items/{other['id']}", {"kind": "head_hearing"})
    assert patched.status_code == 422 and patched.json()["errors"][0]["loc"] == ["body", "body"]


def test_the_page_adds_a_head_hearing_without_a_speaker(client, users, orgs, meeting):
    client.force_login(users["secretary"])
    response = client.post(
        reverse("council:agenda-item-add", args=[meeting.pk]),
        {"title": "Hearing of the akim", "kind": "head_hearing", "body": orgs["akimat"].pk, "speaker": ""},
    )
    assert response.status_code == 302, response.content[:2000]
    item = meeting.agenda_items.get()
    assert item.body == orgs["akimat"] and item.speaker == ""
    refused = client.post(
        reverse("council:agenda-item-add", args=[meeting.pk]),
        {"title": "Hearing", "kind": "head_hearing", "speaker": "X"},
    )
    assert refused.status_code == 422
    assert "names the body heard" in refused.content.decode()


def test_the_minutes_name_the_body_heard_without_a_speaker(users, orgs, meeting):
    services.add_agenda_item(
        meeting, actor=users["secretary"], title="Hearing", kind=ItemKind.HEAD_HEARING, body=orgs["mia"]
    )
    assert f"Heard: {orgs['mia'].name}." in services.compose_minutes(meeting, meeting.classification)


def test_a_decision_with_a_meeting_names_its_agenda_item(api, users, orgs, meeting, hearing):
    client = api(users["secretary"])
    base = {"title": "On order", "text": "1. Act.", "kind": "decision", "classification": "secret"}
    missing = client.post("/api/v1/decisions", {**base, "meeting": meeting.pk})
    assert missing.status_code == 422
    assert [e["loc"] for e in missing.json()["errors"]] == [["body", "agenda_item"]]
    other = services.create_meeting(actor=users["secretary"], title="Another", date=dt.date(2026, 12, 24))
    foreign = services.add_agenda_item(other, actor=users["secretary"], title="Foreign")
    mismatched = client.post("/api/v1/decisions", {**base, "meeting": meeting.pk, "agenda_item": foreign.pk})
    assert mismatched.status_code == 422
    assert [e["loc"] for e in mismatched.json()["errors"]] == [["body", "agenda_item"]]
    taken = client.post("/api/v1/decisions", {**base, "meeting": meeting.pk, "agenda_item": hearing.pk})
    assert taken.status_code == 201, taken.content
    assert taken.json()["agenda_item"] == hearing.pk and taken.json()["meeting"] == meeting.pk
    assert client.get(f"/api/v1/decisions/{taken.json()['id']}").json()["agenda_item"] == hearing.pk
    outside = client.post("/api/v1/decisions", {**base, "meeting": None, "agenda_item": None})
    assert outside.status_code == 201 and outside.json()["meeting"] is None and outside.json()["agenda_item"] is None


def test_a_decision_on_an_item_the_caller_may_not_see_is_not_found(api, users, orgs):
    secret_session = services.create_meeting(
        actor=users["chair"], title="Closed", date=dt.date(2026, 12, 3), classification=Classification.TOP_SECRET
    )
    item = services.add_agenda_item(secret_session, actor=users["chair"], title="Closed item")
    # the secretary, cleared below the session for this test
    users["secretary"].clearance = Classification.SECRET
    users["secretary"].save()
    client = api(users["secretary"])
    base = {"title": "x", "text": "y", "kind": "decision"}
    for payload in ({"agenda_item": item.pk}, {"meeting": secret_session.pk, "agenda_item": item.pk}):
        assert client.post("/api/v1/decisions", {**base, **payload}).status_code == 404


@pytest.mark.parametrize("field", ["meeting", "agenda_item"])
def test_unknown_references_are_not_found(api, users, meeting, hearing, field):
    payload = {"title": "x", "text": "y", "meeting": meeting.pk, "agenda_item": hearing.pk, field: 2**31}
    assert api(users["secretary"]).post("/api/v1/decisions", payload).status_code == 404
