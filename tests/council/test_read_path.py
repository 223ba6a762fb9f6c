"""One read path: every read of one council record, by page, API GET, API PATCH or export, writes exactly
one audit event about it when it is secret (a read, or the export), and none when it is official; the
business actions of the Council name themselves."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.db.models.signals import pre_save
from django.urls import reverse

from kenes.core import context
from kenes.core.classification import Classification
from kenes.core.models import AuditEvent
from kenes.council import exports, services
from kenes.council.choices import ItemKind
from kenes.council.models import Decision
from tests.council.conftest import vote_all


def _records(users, orgs, level):
    """A session being prepared, with an item and a draft decision on it, and a held one with its minutes."""
    secretary = users["secretary"]
    meeting = services.create_meeting(
        actor=secretary, title="Session", date=dt.date(2026, 12, 17), classification=level
    )
    item = services.add_agenda_item(
        meeting, actor=secretary, title="Hearing", kind=ItemKind.HEAD_HEARING, speaker="M", body=orgs["mia"]
    )
    decision = services.draft_decision(actor=secretary, title="On it", text="1. Do.", agenda_item=item)
    held = services.create_meeting(actor=secretary, title="Held", date=dt.date(2026, 6, 1), classification=level)
    services.add_agenda_item(held, actor=secretary, title="Other", kind=ItemKind.OTHER)
    services.advance_meeting(held, "agenda_approved", actor=secretary)
    services.advance_meeting(held, "held", actor=secretary)
    minutes = services.draft_minutes(held, actor=secretary)
    return SimpleNamespace(meeting=meeting, item=item, decision=decision, held=held, minutes=minutes)


def _page(client, name, *args):
    return client.get(reverse(name, args=args))


# (how the record is reached, the record read, the event it writes, the request)
REQUESTS = [
    ("page", "meeting", "read", lambda c, a, r: _page(c, "council:meeting-detail", r.meeting.pk)),
    ("page", "decision", "read", lambda c, a, r: _page(c, "council:decision-detail", r.decision.pk)),
    ("api get", "meeting", "read", lambda c, a, r: a.get(f"/api/v1/meetings/{r.meeting.pk}")),
    ("api get", "decision", "read", lambda c, a, r: a.get(f"/api/v1/decisions/{r.decision.pk}")),
    ("api get", "item", "read", lambda c, a, r: a.get(f"/api/v1/agenda-items/{r.item.pk}")),
    ("api get", "minutes", "read", lambda c, a, r: a.get(f"/api/v1/meetings/{r.held.pk}/minutes")),
    ("api patch", "meeting", "read", lambda c, a, r: a.patch(f"/api/v1/meetings/{r.meeting.pk}", {"place": "Astana"})),
    ("api patch", "decision", "read", lambda c, a, r: a.patch(f"/api/v1/decisions/{r.decision.pk}", {"title": "New"})),
    ("api patch", "item", "read", lambda c, a, r: a.patch(f"/api/v1/agenda-items/{r.item.pk}", {"speaker": "D"})),
    ("export", "decision", "export", lambda c, a, r: _page(c, "council:decision-export", r.decision.pk, "pdf")),
    ("export", "minutes", "export", lambda c, a, r: _page(c, "council:minutes-export", r.held.pk, "docx")),
]
IDS = [f"{how}-{what}" for how, what, _action, _request in REQUESTS]


def _read_events_of(call):
    """The read and export events a request writes: (action, record type, record id) each."""
    last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = call()
    assert response.status_code == 200, response.content[:500]
    events = AuditEvent.objects.filter(pk__gt=last, action__in=[AuditEvent.Action.READ, AuditEvent.Action.EXPORT])
    return sorted(events.values_list("action", "object_type", "object_id"))


@pytest.mark.parametrize(("how", "what", "action", "request_"), REQUESTS, ids=IDS)
def test_a_secret_record_read_writes_exactly_one_event(client, api, users, orgs, how, what, action, request_):
    records = _records(users, orgs, Classification.SECRET)
    record = getattr(records, what)
    client.force_login(users["secretary"])
    reader = api(users["secretary"])
    events = _read_events_of(lambda: request_(client, reader, records))
    assert events == [(action, record._meta.label_lower, str(record.pk))]
    event = AuditEvent.objects.filter(action=action, object_id=str(record.pk)).latest("pk")
    assert event.actor == users["secretary"]


@pytest.mark.parametrize(("how", "what", "action", "request_"), REQUESTS, ids=IDS)
def test_an_official_record_read_writes_none(client, api, users, orgs, how, what, action, request_):
    records = _records(users, orgs, Classification.OFFICIAL)
    client.force_login(users["secretary"])
    reader = api(users["secretary"])
    assert _read_events_of(lambda: request_(client, reader, records)) == []


def test_the_calendar_feed_records_one_export_naming_every_secret_session_it_lists(client, users, orgs):
    secret = _records(users, orgs, Classification.SECRET)
    official = _records(users, orgs, Classification.OFFICIAL)
    client.force_login(users["secretary"])
    events = _read_events_of(lambda: _page(client, "council:calendar-feed"))
    assert events == [("export", "council.meeting", "")]
    event = AuditEvent.objects.order_by("-pk").first()
    assert event.classification == Classification.SECRET
    assert event.changes == {
        "exported": {"council.meeting": sorted([secret.meeting.pk, secret.held.pk])},
        "count": 2,
    }
    response = client.get(reverse("council:calendar-feed"))
    assert (
        response["Content-Disposition"].startswith("attachment")
        and "kenes-sessions.ics" in (response["Content-Disposition"])
    )
    assert response["Cache-Control"] == "private, no-store"
    assert f"meeting-{official.meeting.pk}@kenes" in response.content.decode()


def test_exports_use_the_shared_marking_and_footer(users, orgs):
    records = _records(users, orgs, Classification.SECRET)
    document = exports.decision_document(records.decision, users["secretary"])
    assert document.marking == "SECRET"
    assert "secretary" in document.footer_note
    assert not hasattr(exports, "CONTENT_TYPES") and not hasattr(exports, "_marking")


@pytest.mark.parametrize(
    ("service", "name"),
    [
        (services.advance_meeting, "advance"),
        (services.record_votes, "vote"),
        (services.adopt_decision, "adopt"),
        (services.withdraw_decision, "withdraw"),
        (services.change_decision_status, "advance"),
        (services.sign_minutes, "sign"),
        (services.drop_question, "drop"),
        (services.schedule_question, "schedule"),
        (services.reorder_agenda, "reorder"),
        (services.update_decision, ""),
        (services.create_meeting, ""),
    ],
)
def test_business_actions_name_themselves_and_field_edits_do_not(service, name):
    assert service.business_action == name


def test_a_decision_cancelled_or_executed_is_named_so_while_it_is_saved(users, orgs):
    secretary = users["secretary"]
    names = []

    def seen(sender, instance, **kwargs):
        names.append((instance.status, context.action_name()))

    records = _records(users, orgs, Classification.SECRET)
    services.advance_meeting(records.meeting, "agenda_approved", actor=secretary)
    vote_all(records.decision, users)
    services.adopt_decision(records.decision, actor=users["chair"], reason="Adopted ahead of the session.")
    pre_save.connect(seen, sender=Decision)
    try:
        services.change_decision_status(records.decision, "in_execution", actor=secretary)
        services.change_decision_status(records.decision, "cancelled", actor=secretary, note="Overtaken.")
    finally:
        pre_save.disconnect(seen, sender=Decision)
    assert names == [("in_execution", "advance"), ("cancelled", "cancel")]
