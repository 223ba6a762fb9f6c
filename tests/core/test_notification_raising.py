"""A notification names the record it is about and rises with it: after a raise, a user below the new
level no longer reads it, in the API, on the page or in the badge's count."""

import importlib

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from kenes.control import services as control
from kenes.core import context, derivation, notifications
from kenes.core.classification import Classification
from kenes.core.models import Notification
from kenes.council import services as council
from kenes.threats import services as threats
from kenes.threats.models import Alert
from tests.council.conftest import decided_session

OFFICIAL, SECRET, TOP = Classification.OFFICIAL, Classification.SECRET, Classification.TOP_SECRET


@pytest.fixture
def official_instruction(users, orgs):
    """An official session's adopted decision, and the official instruction it gives the MIA."""
    chain = decided_session(users, orgs["mia"], users["controller"], classification=OFFICIAL)
    assert chain.instruction.classification == OFFICIAL
    return chain.meeting, chain.instruction


def _titles(api_client):
    answer = api_client.get("/api/v1/notifications")
    assert answer.status_code == 200
    return [item["title"] for item in answer.json()["items"]]


def test_raising_the_session_raises_the_notification_of_its_instruction(api, client, users, official_instruction):
    meeting, instruction = official_instruction
    liaison = users["liaison"]
    title = f"New instruction {instruction.number}"
    notification = Notification.objects.get(user=liaison, key=f"issued:{instruction.pk}")
    assert notification.about_type == ContentType.objects.get_for_model(instruction)
    assert notification.about_id == instruction.pk
    assert title in _titles(api(liaison))
    client.force_login(liaison)
    assert title in client.get("/notifications/").content.decode()
    assert notifications.unread_count(liaison) == 1
    assert client.get("/").context["unread_notifications"] == 1

    answer = api(users["secretary"]).patch(f"/api/v1/meetings/{meeting.pk}", {"classification": "secret"})
    assert answer.status_code == 200
    instruction.refresh_from_db()
    notification.refresh_from_db()
    assert instruction.classification == notification.classification == SECRET
    assert api(liaison).get(f"/api/v1/instructions/{instruction.pk}").status_code == 404

    assert _titles(api(liaison)) == []
    page = client.get("/notifications/").content.decode()
    assert title not in page and instruction.number not in page
    assert notifications.unread_count(liaison) == 0
    response = client.get("/")
    assert response.context["unread_notifications"] == 0 and 'id="unread-badge"' not in response.content.decode()
    assert notifications.mark_read(liaison) == 0  # nor can he mark it, by id or all at once
    assert api(liaison).post("/api/v1/notifications/read", {"ids": [notification.pk]}).json() == {"marked": 0}


def test_raising_an_instruction_raises_the_notification_of_its_report(api, users, official_instruction):
    meeting, instruction = official_instruction
    report = control.submit_report(instruction, actor=users["liaison"], text="Done.")
    controller = users["controller"]  # cleared secret
    notification = Notification.objects.get(user=controller, key=f"report:{report.pk}")
    assert notification.about_id == report.pk and notification.classification == OFFICIAL
    assert f"Report on instruction {instruction.number}" in _titles(api(controller))

    # the raise is refused while he controls it (he is not cleared to top secret): the secretary takes it over
    control.assign_controller(instruction, users["secretary"], actor=users["secretary"])
    answer = api(users["secretary"]).patch(f"/api/v1/meetings/{meeting.pk}", {"classification": "top_secret"})
    assert answer.status_code == 200
    notification.refresh_from_db()
    assert notification.classification == TOP
    assert _titles(api(controller)) == []
    assert notifications.unread_count(controller) == 0


def test_raising_a_signal_raises_its_alerts_notifications(users):
    signal = threats.create_signal(
        actor=users["chair"], name="Signal", unit="cases", classification=OFFICIAL, code="sig-raise"
    )
    alert = Alert.objects.create(signal=signal, kind="threshold", cause="c", message="m", classification=OFFICIAL)
    analyst = users["analyst"]  # cleared secret
    notification = notifications.notify(
        analyst,
        key="a",
        kind="threat_alert",
        code="control.instruction_issued",
        params={"number": "Alert"},
        about=alert,
    )
    assert notification is not None and notification.classification == OFFICIAL
    assert notifications.unread_count(analyst) == 1

    derivation.raise_classification(signal, TOP, actor=users["chair"])
    notification.refresh_from_db()
    assert notification.classification == TOP
    assert notifications.unread_count(analyst) == 0


def test_a_notification_is_at_least_at_its_records_level(users, official_instruction):
    _meeting, instruction = official_instruction
    notification = notifications.notify(
        users["chair"], key="k", kind="x", code="control.instruction_issued", params={"number": "t"}, about=instruction
    )
    assert notification.classification == OFFICIAL
    above = notifications.notify(
        users["chair"],
        key="k2",
        kind="x",
        code="control.instruction_issued",
        params={"number": "t"},
        about=instruction,
        classification=TOP,
    )
    assert above.classification == TOP
    instruction.classification = SECRET
    assert (
        notifications.notify(
            users["liaison"],
            key="k3",
            kind="x",
            code="control.instruction_issued",
            params={"number": "t"},
            about=instruction,
        )
        is None
    )


def test_notifications_written_before_name_their_record_from_their_key(users, official_instruction):
    """The migration that gave notifications their record reads it from the keys of the older ones."""
    meeting, instruction = official_instruction
    report = control.submit_report(instruction, actor=users["liaison"], text="Done.")
    other = notifications.notify(
        users["chair"], key="plain", kind="x", code="control.instruction_issued", params={"number": "t"}
    )
    migration = importlib.import_module("kenes.core.migrations.0007_audit_roots_and_notification_records")
    with context.allowing_bulk(Notification):  # the state before the migration, and the migration itself
        Notification.objects.update(about_type=None, about_id=None)
        migration.name_the_records_of_notifications(apps, None)

    issued = Notification.objects.get(user=users["liaison"], key=f"issued:{instruction.pk}")
    assert (issued.about_type.model, issued.about_id) == ("instruction", instruction.pk)
    on_report = Notification.objects.get(user=users["controller"], key=f"report:{report.pk}")
    assert (on_report.about_type.model, on_report.about_id) == ("executionreport", report.pk)
    other.refresh_from_db()
    assert other.about_type is None and other.about_id is None

    council.update_meeting(meeting, actor=users["secretary"], classification=SECRET)
    issued.refresh_from_db()
    assert issued.classification == SECRET
