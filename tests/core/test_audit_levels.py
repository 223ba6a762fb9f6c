"""Every audit event is filed at the level of the record it belongs to: a row of a top-secret record (a
reassessment, a vote, attendance, an executor, a deadline's change, an extension request, an
observation) is never read by an auditor cleared only to ``secret``, through the page, the API or
their filters; the chairman reads it. A model that cannot say its level stops the start-up."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import models
from django.test.utils import isolate_apps

from kenes.accounts.models import Role
from kenes.control import services as control
from kenes.core import audit, notifications
from kenes.core.checks import audited_models_declare_their_level
from kenes.core.classification import Classification
from kenes.core.models import Audited, AuditEvent
from kenes.council import services as council
from kenes.council.choices import ItemKind
from kenes.threats import services as threats
from tests.conftest import make_user

TOP = Classification.TOP_SECRET
MARKER = "canary-7f3a"


def _threat(users, orgs):
    return threats.create_threat(
        actor=users["chair"],
        title="Top-secret threat",
        domain="transnational_crime",
        scope="external",
        likelihood=2,
        impact=2,
        owner=orgs["mia"],
        classification=TOP,
    )


def reassessment(users, orgs):
    assessment = threats.reassess_threat(
        _threat(users, orgs), actor=users["chair"], likelihood=5, impact=5, trend="rising", reason=MARKER
    )
    return [assessment]


def observation(users, orgs):
    signal = threats.create_signal(
        actor=users["chair"], name="Top-secret signal", unit="cases", threat=_threat(users, orgs), classification=TOP
    )
    threats.record_observations(signal, actor=users["chair"], observations=[("2026-01-01", 4242.5)], forecast=False)
    return list(signal.observations.all())


def _session(users, orgs):
    meeting = council.create_meeting(
        actor=users["chair"], title="Top-secret session", date=dt.date(2026, 12, 17), classification=TOP
    )
    item = council.add_agenda_item(
        meeting,
        actor=users["chair"],
        title="Top-secret item",
        kind=ItemKind.HEAD_HEARING,
        speaker="Minister",
        body=orgs["mia"],
        classification=TOP,
    )
    council.advance_meeting(meeting, "agenda_approved", actor=users["chair"])
    return meeting, item


def attendance(users, orgs):
    meeting, _item = _session(users, orgs)
    entry = {"member": users["member"].pk, "status": "represented", "represented_by": MARKER}
    return council.record_attendance(meeting, [entry], actor=users["chair"])


def vote(users, orgs):
    _meeting, item = _session(users, orgs)
    decision = council.draft_decision(actor=users["chair"], title="Top-secret decision", text="x", agenda_item=item)
    council.record_votes(decision, [{"member": users["member"].pk, "choice": "against"}], actor=users["chair"])
    return list(decision.votes.all())


def _instruction(users, orgs):
    controller = make_user("controller_ts", Role.CONTROLLER, TOP, orgs["apparatus"])
    return control.issue_instruction(
        actor=users["chair"],
        text="Top-secret instruction",
        lead_executor=orgs["mia"],
        co_executors=[orgs["akimat"]],
        controller=controller,
        due_date=dt.date(2026, 12, 10),
        issued_on=dt.date(2026, 11, 20),
        classification=TOP,
    )


def executors(users, orgs):
    return list(_instruction(users, orgs).executors.all())


def extension(users, orgs):
    instruction = _instruction(users, orgs)
    request = control.request_extension(
        instruction, actor=instruction.controller, due_date=dt.date(2027, 1, 20), reason=MARKER
    )
    return [request]


def deadline_changes(users, orgs):
    instruction = _instruction(users, orgs)
    request = control.request_extension(
        instruction, actor=instruction.controller, due_date=dt.date(2027, 1, 20), reason=MARKER
    )
    control.decide_extension(request, actor=users["secretary"], approve=True)
    return list(instruction.deadline_changes.all())


CHILDREN = {
    "threats.threatassessment": reassessment,
    "threats.observation": observation,
    "council.attendancerecord": attendance,
    "council.vote": vote,
    "control.instructionexecutor": executors,
    "control.extensionrequest": extension,
    "control.deadlinechange": deadline_changes,
}


@pytest.mark.parametrize("object_type", list(CHILDREN))
def test_a_row_of_a_top_secret_record_is_audited_at_top_secret(object_type, users, orgs, api, client):
    rows = CHILDREN[object_type](users, orgs)
    ids = {str(row.pk) for row in rows}
    assert rows and all(row.classification == TOP for row in rows)
    filed = AuditEvent.objects.filter(object_type=object_type, object_id__in=ids)
    assert filed.exists() and set(filed.values_list("classification", flat=True)) == {TOP}

    auditor, chair = api(users["auditor"]), api(users["chair"])
    by_type = f"/api/v1/audit?object_type={object_type}&limit=100"
    hidden = auditor.get(by_type)
    assert hidden.status_code == 200 and not ids & {item["object_id"] for item in hidden.json()["items"]}
    for object_id in ids:
        assert auditor.get(f"/api/v1/audit?object_type={object_type}&object_id={object_id}").json()["items"] == []
    answer = auditor.get("/api/v1/audit?limit=500")  # the largest page: 1000 would be a 422 without events
    assert answer.status_code == 200 and 0 < answer.json()["count"] <= 500
    everything = answer.content.decode()
    assert MARKER not in everything and "4242.5" not in everything
    shown = chair.get(by_type).json()["items"]
    assert ids <= {item["object_id"] for item in shown}

    client.force_login(users["auditor"])
    page = client.get("/audit/", {"object_type": object_type}).content.decode()
    assert not any(f"{object_type}:{object_id}" in page for object_id in ids) and MARKER not in page
    client.force_login(users["chair"])
    page = client.get("/audit/", {"object_type": object_type}).content.decode()
    assert all(f"{object_type}:{object_id}" in page for object_id in ids)


def test_deleting_a_row_files_the_event_at_its_records_level(users, orgs):
    """The delete handler takes the level while the parent still exists (a cascade deletes it too)."""
    instruction = _instruction(users, orgs)
    ids = {str(pk) for pk in instruction.executors.values_list("pk", flat=True)}
    instruction.delete()
    deleted = AuditEvent.objects.filter(action="delete", object_type="control.instructionexecutor", object_id__in=ids)
    assert deleted.count() == len(ids) == 2
    assert set(deleted.values_list("classification", flat=True)) == {TOP}


def test_a_lowered_records_update_is_filed_at_the_level_it_had(users, orgs):
    """Declassifying a record logs its old values: the event stays at the old level."""
    threat = _threat(users, orgs)
    threat.classification, threat.title = Classification.SECRET, "Lowered"
    threat.save()
    event = AuditEvent.objects.filter(object_type="threats.threat", object_id=str(threat.pk)).latest("seq")
    assert event.changes["title"] == ["Top-secret threat", "Lowered"]
    assert event.classification == TOP


def test_marking_notifications_read_is_filed_at_the_highest_of_them(users):
    chair = users["chair"]
    for level in (Classification.OFFICIAL, TOP):
        notifications.notify(
            chair,
            key=f"k{level}",
            kind="issued",
            code="control.instruction_issued",
            params={"number": MARKER},
            classification=level,
        )
    assert notifications.mark_read(chair) == 2
    event = AuditEvent.objects.filter(object_type="core.notification").latest("seq")
    assert event.classification == TOP and len(event.changes["ids"]) == 2


def test_reference_data_declares_its_level(users, orgs):
    org_event = AuditEvent.objects.filter(object_type="directory.organization", object_id=str(orgs["mia"].pk)).get()
    user_event = AuditEvent.objects.filter(object_type="accounts.user", object_id=str(users["auditor"].pk)).get()
    assert org_event.classification == Classification.PUBLIC
    assert user_event.classification == Classification.OFFICIAL


def test_an_event_without_a_level_is_refused(db):
    with pytest.raises(ImproperlyConfigured, match="no level"):
        audit.record("read", object_type="nowhere")


def test_an_audited_model_that_cannot_say_its_level_fails_the_system_check(monkeypatch):
    with isolate_apps("django.contrib.contenttypes"):

        class Nameless(Audited, models.Model):  # noqa: DJ008
            note = models.CharField(max_length=20)

            class Meta:
                app_label = "testapp"

        class Declared(Audited, models.Model):  # noqa: DJ008
            audit_level = Classification.PUBLIC

            class Meta:
                app_label = "testapp"

        class Child(Audited, models.Model):  # noqa: DJ008
            class Meta:
                app_label = "testapp"

            @property
            def classification(self):
                return TOP

        fake = SimpleNamespace(get_models=lambda: [Nameless, Declared, Child])
        errors = audited_models_declare_their_level(app_configs=[fake])
        assert [error.obj for error in errors] == [Nameless]
        assert errors[0].id == "kenes.E001" and errors[0].is_serious()
        with pytest.raises(ImproperlyConfigured, match="cannot say its classification"):
            audit.level_of(Nameless(note="x"))
        assert audit.level_of(Declared()) == Classification.PUBLIC and audit.level_of(Child()) == TOP

        monkeypatch.setattr("kenes.core.checks.apps", fake)  # as if the app registry held them
        with pytest.raises(SystemCheckError, match=r"testapp\.Nameless is audited but cannot say"):
            call_command("check")


def test_every_audited_model_of_kenes_declares_its_level():
    assert audited_models_declare_their_level() == []
