"""Raising a record hides its audit history from the readers below its new level.

The log is append-only, so the events written while a record was lower keep their level; each event
names the classified record it belongs to (a vote its decision), and a raised record keeps a level floor
over them. An auditor cleared ``secret`` then reads none of a raised decision's earlier events, nor its
votes', nor its instruction's, through the API, its filters or the page; the chairman reads them all.
The chain written before events named their record still verifies."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.db import models
from django.test.utils import isolate_apps

from kenes.core import audit
from kenes.core.checks import child_rows_name_their_record
from kenes.core.classification import Classification
from kenes.core.models import Audited, AuditEvent, AuditHead, AuditLevelFloor, ClassifiedModel
from tests.council.conftest import decided_session

SECRET, TOP = Classification.SECRET, Classification.TOP_SECRET
MARKER = "CANARY-raised-5c1e"


@pytest.fixture
def chain(users, orgs):
    """A secret session, its item, the item's adopted decision (voted on) and the decision's instruction
    (under the secretary, cleared to every level, so that the raise is not refused for its controller)."""
    chain = decided_session(users, orgs["mia"], users["secretary"], label=MARKER)
    assert chain.meeting.classification == chain.item.classification == chain.decision.classification == SECRET
    return chain


def _rows(chain):
    """The (object_type, object_id) of the rows whose earlier events the raise must hide."""
    rows = [
        ("council.agendaitem", chain.item.pk),
        ("council.decision", chain.decision.pk),
        ("control.instruction", chain.instruction.pk),
    ]
    rows += [("council.vote", pk) for pk in chain.decision.votes.values_list("pk", flat=True)]
    rows += [("control.instructionexecutor", pk) for pk in chain.instruction.executors.values_list("pk", flat=True)]
    rows += [("control.deadlinechange", pk) for pk in chain.instruction.deadline_changes.values_list("pk", flat=True)]
    return [(object_type, str(pk)) for object_type, pk in rows]


def _seen(client, object_type, object_id):
    answer = client.get(f"/api/v1/audit?object_type={object_type}&object_id={object_id}&limit=100")
    assert answer.status_code == 200
    return answer.json()["items"]


def _all(client, query=""):
    answer = client.get(f"/api/v1/audit?limit=500{query}")
    assert answer.status_code == 200 and answer.json()["count"] <= 500
    return answer.content.decode()


def test_events_name_the_record_they_belong_to(chain):
    vote = chain.decision.votes.first()
    event = AuditEvent.objects.filter(object_type="council.vote", object_id=str(vote.pk)).get()
    assert (event.root_type, event.root_id) == ("council.decision", str(chain.decision.pk))
    event = AuditEvent.objects.filter(object_type="council.decision", object_id=str(chain.decision.pk)).first()
    assert (event.root_type, event.root_id) == ("council.decision", str(chain.decision.pk))
    login = AuditEvent.objects.filter(object_type="accounts.user").first()
    assert (login.root_type, login.root_id) == ("", "")


def test_raising_an_item_hides_the_earlier_events_of_its_decision_votes_and_instruction(api, client, users, chain):
    auditor, chair = api(users["auditor"]), api(users["chair"])
    rows = _rows(chain)
    assert {object_type for object_type, _ in rows} >= {"council.vote", "control.instructionexecutor"}
    for object_type, object_id in rows:  # before the raise the auditor reads them: the test can fail
        assert _seen(auditor, object_type, object_id), (object_type, object_id)
    assert MARKER in _all(auditor)

    answer = api(users["secretary"]).patch(f"/api/v1/agenda-items/{chain.item.pk}", {"classification": "top_secret"})
    assert answer.status_code == 200
    chain.decision.refresh_from_db()
    assert chain.decision.classification == TOP
    assert api(users["auditor"]).get(f"/api/v1/decisions/{chain.decision.pk}").status_code == 404

    for object_type, object_id in rows:
        assert _seen(auditor, object_type, object_id) == [], (object_type, object_id)
        assert _seen(chair, object_type, object_id), (object_type, object_id)
        by_type = auditor.get(f"/api/v1/audit?object_type={object_type}&limit=500").json()["items"]
        assert object_id not in {event["object_id"] for event in by_type}
    assert MARKER not in _all(auditor)
    assert MARKER not in _all(auditor, "&actor=secretary")
    assert MARKER in _all(chair)

    client.force_login(users["auditor"])
    for object_type in ("council.decision", "council.vote", "control.instruction", ""):
        page = client.get("/audit/", {"object_type": object_type} if object_type else {}).content.decode()
        assert MARKER not in page
        assert not any(f"{t}:{i}" in page for t, i in rows if t == object_type), object_type
    client.force_login(users["chair"])
    page = client.get("/audit/", {"object_type": "council.decision"}).content.decode()
    assert f"council.decision:{chain.decision.pk}" in page and MARKER in page


def test_the_floor_is_written_with_the_raise_and_follows_a_declassification(api, users, chain):
    secretary = api(users["secretary"])
    assert not AuditLevelFloor.objects.exists()
    assert secretary.patch(f"/api/v1/agenda-items/{chain.item.pk}", {"classification": "top_secret"}).status_code == 200
    floors = dict(AuditLevelFloor.objects.values_list("root_type", "level"))
    assert floors == {"council.agendaitem": TOP, "council.decision": TOP, "control.instruction": TOP}

    # Lowering the item lowers its floor (its earlier events are read again at its level); the decision
    # it raised stays where it is, and so do the events about it.
    assert secretary.patch(f"/api/v1/agenda-items/{chain.item.pk}", {"classification": "secret"}).status_code == 200
    floor = AuditLevelFloor.objects.get(root_type="council.agendaitem", root_id=str(chain.item.pk))
    assert floor.level == SECRET
    auditor = api(users["auditor"])
    assert _seen(auditor, "council.agendaitem", chain.item.pk)
    assert _seen(auditor, "council.decision", chain.decision.pk) == []


def test_verification_and_counts_hold_after_a_raise(api, users, chain):
    auditor = api(users["auditor"])
    assert (
        api(users["secretary"])
        .patch(f"/api/v1/agenda-items/{chain.item.pk}", {"classification": "top_secret"})
        .status_code
        == 200
    )
    listed = auditor.get("/api/v1/audit?limit=1").json()["count"]
    verification = auditor.get("/api/v1/audit/verify").json()
    assert verification["ok"] is True and verification["first_bad_seq"] is None
    # The verification itself appended one event (at the auditor's level, readable by him).
    assert verification["events"] == listed == audit.events_visible_to(users["auditor"]).count() - 1
    filed_for_him = AuditEvent.objects.filter(classification__lte=SECRET).count()
    assert filed_for_him > audit.events_visible_to(users["auditor"]).count()  # the raised records' are not counted
    assert audit.verify().ok


def _old_hash(event):
    """The hash as events were hashed before they named their record (the payload without it)."""
    import hashlib

    payload = {
        "seq": event.seq,
        "at": event.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor": event.actor_id,
        "actor_username": event.actor_username,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "classification": int(event.classification),
        "changes": event.changes,
        "ip": event.ip,
        "prev_hash": event.prev_hash,
    }
    return hashlib.sha256(audit._canonical(payload).encode()).hexdigest()


def _append_old_event(**fields):
    """Append an event as the code before this change wrote it: no record named, the old hash."""
    head = AuditHead.objects.get(pk=1)
    event = AuditEvent(
        seq=head.seq + 1,
        at=dt.datetime.now(dt.UTC),
        action="update",
        classification=SECRET,
        changes={},
        prev_hash=head.hash,
        **fields,
    )
    event.hash = _old_hash(event)
    event.save(force_insert=True)
    head.seq, head.hash = event.seq, event.hash
    head.save()
    return event


def test_a_chain_written_before_events_named_their_record_still_verifies(api, users, chain):
    old = _append_old_event(object_type="council.agendaitem", object_id=str(chain.item.pk), object_repr=MARKER)
    assert (old.root_type, old.root_id) == ("", "") and audit.event_hash(old) == old.hash
    new = audit.record("read", chain.decision, actor=users["chair"])  # a new event names its record, after it
    assert new.root_type == "council.decision" and new.hash == audit.event_hash(new) != _old_hash(new)
    assert audit.verify().ok

    # The record enters the hash of an event that names it: changing it breaks the link.
    new.root_id = str(chain.decision.pk + 1000)
    assert audit.event_hash(new) != new.hash

    # An old event about a raised record is hidden too (matched by the row it is about).
    auditor = api(users["auditor"])
    assert [e["seq"] for e in _seen(auditor, "council.agendaitem", chain.item.pk) if e["seq"] == old.seq]
    assert (
        api(users["secretary"])
        .patch(f"/api/v1/agenda-items/{chain.item.pk}", {"classification": "top_secret"})
        .status_code
        == 200
    )
    assert _seen(auditor, "council.agendaitem", chain.item.pk) == []
    assert MARKER not in _all(auditor)
    assert audit.verify().ok


def test_a_child_row_must_say_which_parent_it_belongs_to():
    with isolate_apps("django.contrib.contenttypes"):

        class Parent(ClassifiedModel):
            class Meta:
                app_label = "testapp"

        class Other(ClassifiedModel):
            class Meta:
                app_label = "testapp"

        class Ambiguous(Audited, models.Model):  # noqa: DJ008
            parent = models.ForeignKey(Parent, on_delete=models.CASCADE, related_name="+")
            other = models.ForeignKey(Other, on_delete=models.CASCADE, related_name="+")

            class Meta:
                app_label = "testapp"

            @property
            def classification(self):
                return self.parent.classification

        class Named(Audited, models.Model):  # noqa: DJ008
            audit_root = "parent"
            parent = models.ForeignKey(Parent, on_delete=models.CASCADE, related_name="+")
            other = models.ForeignKey(Other, on_delete=models.CASCADE, related_name="+")

            class Meta:
                app_label = "testapp"

            @property
            def classification(self):
                return self.parent.classification

        fake = SimpleNamespace(get_models=lambda: [Parent, Other, Ambiguous, Named])
        errors = child_rows_name_their_record(app_configs=[fake])
        assert [error.obj for error in errors] == [Ambiguous] and errors[0].id == "kenes.E002"
        assert audit.root_of(Named(parent_id=7, other_id=8)) == ("testapp.parent", "7")


def test_every_child_row_of_kenes_names_its_record():
    assert child_rows_name_their_record() == []
