"""Changing an instruction's controller: who may, to whom (cleared to its level), never on a finished
instruction; by the API and on the instruction's page; and the fix a refused raise asks for."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from kenes.accounts.models import Role
from kenes.control import services
from kenes.control.choices import InstructionStatus
from kenes.core.classification import Classification
from kenes.core.exceptions import Conflict
from kenes.core.models import AuditEvent, Notification
from tests.conftest import make_user
from tests.council.conftest import decided_session


@pytest.fixture
def secret(issue):
    """A secret instruction under the controller (cleared to secret)."""
    return issue(classification=Classification.SECRET)


def _executed(instruction, people):
    report = services.submit_report(instruction, actor=people["liaison"], text="Done.")
    services.review_report(report, actor=people["controller"], outcome="accept")
    instruction.refresh_from_db()
    assert instruction.status == InstructionStatus.EXECUTED
    return instruction


# --- the service ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["secretary", "chair"])
def test_the_secretary_and_the_chairman_change_the_controller(people, secret, role):
    changed = services.assign_controller(secret, people["secretary"], actor=people[role])
    secret.refresh_from_db()
    assert changed.controller == people["secretary"] and secret.controller_id == people["secretary"].pk
    event = AuditEvent.objects.filter(
        object_type="control.instruction", object_id=str(secret.pk), action="update", actor=people[role]
    ).get()
    assert event.changes["controller_id"] == [people["controller"].pk, people["secretary"].pk]
    notice = Notification.objects.get(user=people["secretary"], kind="controller")
    assert secret.number in notice.title and notice.about_id == secret.pk
    assert notice.url == reverse("control:instruction-detail", args=[secret.pk])


@pytest.mark.parametrize("role", ["controller", "analyst", "member", "liaison", "auditor", "admin"])
def test_no_other_role_changes_the_controller(people, secret, role):
    with pytest.raises(PermissionDenied):
        services.assign_controller(secret, people["secretary"], actor=people[role])
    secret.refresh_from_db()
    assert secret.controller_id == people["controller"].pk


def test_the_new_controller_must_be_a_controller_cleared_to_the_level(people, orgs, secret):
    low = make_user("controller_low", Role.CONTROLLER, Classification.OFFICIAL, orgs["apparatus"])
    for candidate in (low, people["analyst"], people["member"]):
        with pytest.raises(ValidationError) as refused:
            services.assign_controller(secret, candidate, actor=people["secretary"])
        assert "controller" in refused.value.error_dict
    retired = make_user("controller_gone", Role.CONTROLLER, Classification.TOP_SECRET, orgs["apparatus"])
    retired.is_active = False
    retired.save()
    with pytest.raises(ValidationError):
        services.assign_controller(secret, retired, actor=people["secretary"])
    secret.refresh_from_db()
    assert secret.controller_id == people["controller"].pk
    assert not Notification.objects.filter(kind="controller").exists()


def test_a_finished_instruction_keeps_its_controller(people, issue):
    withdrawn = services.withdraw(issue(), actor=people["secretary"], reason="duplicate")
    executed = _executed(issue(), people)
    for instruction in (withdrawn, executed):
        with pytest.raises(Conflict):
            services.assign_controller(instruction, people["secretary"], actor=people["secretary"])
        instruction.refresh_from_db()
        assert instruction.controller_id == people["controller"].pk


def test_naming_the_present_controller_changes_nothing(people, secret):
    before = AuditEvent.objects.count()
    services.assign_controller(secret, people["controller"], actor=people["secretary"])
    assert AuditEvent.objects.count() == before
    assert not Notification.objects.filter(kind="controller").exists()


# --- the API -------------------------------------------------------------------------------------


def test_the_api_changes_the_controller(api, people, secret):
    url = f"/api/v1/instructions/{secret.pk}/controller"
    answer = api(people["chair"]).post(url, {"controller": people["secretary"].pk})
    assert answer.status_code == 200, answer.content
    assert answer.json()["id"] == secret.pk and answer.json()["controller"] == people["secretary"].pk

    forbidden = api(people["controller"]).post(url, {"controller": people["controller"].pk})
    assert forbidden.status_code == 403
    secret.refresh_from_db()
    assert secret.controller_id == people["secretary"].pk


def test_the_api_refuses_an_uncleared_or_unknown_controller_naming_the_field(api, people, orgs, secret):
    low = make_user("controller_low", Role.CONTROLLER, Classification.OFFICIAL, orgs["apparatus"])
    url = f"/api/v1/instructions/{secret.pk}/controller"
    for body in ({"controller": low.pk}, {"controller": people["analyst"].pk}, {"controller": 999_999}):
        answer = api(people["secretary"]).post(url, body)
        assert answer.status_code == 422, body
        assert "controller" in answer.content.decode(), body
    assert api(people["secretary"]).post(url, {"controller": 0}).status_code == 422
    secret.refresh_from_db()
    assert secret.controller_id == people["controller"].pk


def test_the_api_hides_an_instruction_the_caller_may_not_read(api, people, issue):
    top = issue(classification=Classification.TOP_SECRET, controller=people["secretary"])
    url = f"/api/v1/instructions/{top.pk}/controller"
    assert api(people["analyst"]).post(url, {"controller": people["chair"].pk}).status_code == 404
    assert api(people["secretary"]).post("/api/v1/instructions/999999/controller", {"controller": 1}).status_code == 404


def test_the_api_refuses_a_finished_instruction(api, people, issue):
    withdrawn = services.withdraw(issue(), actor=people["secretary"], reason="duplicate")
    answer = api(people["secretary"]).post(
        f"/api/v1/instructions/{withdrawn.pk}/controller", {"controller": people["secretary"].pk}
    )
    assert answer.status_code == 409


# --- the page ------------------------------------------------------------------------------------


def test_the_form_is_shown_to_the_secretary_and_the_chairman_only(client, people, orgs, secret):
    make_user("controller_low", Role.CONTROLLER, Classification.OFFICIAL, orgs["apparatus"])
    url = reverse("control:instruction-detail", args=[secret.pk])
    for name in ("secretary", "chair"):
        client.force_login(people[name])
        page = client.get(url).content.decode()
        assert "Change the controller" in page and 'id="change-controller"' in page, name
        options = page.split('id="change-controller"')[1].split("</select>")[0]
        assert f'value="{people["controller"].pk}"' in options and f'value="{people["chair"].pk}"' in options
        assert "controller_low" not in options and f'value="{people["analyst"].pk}"' not in options
    for name in ("controller", "analyst"):
        client.force_login(people[name])
        assert 'id="change-controller"' not in client.get(url).content.decode(), name


def test_the_form_is_not_shown_on_a_finished_instruction(client, people, issue):
    withdrawn = services.withdraw(issue(), actor=people["secretary"], reason="duplicate")
    client.force_login(people["secretary"])
    page = client.get(reverse("control:instruction-detail", args=[withdrawn.pk])).content.decode()
    assert 'id="change-controller"' not in page


def test_the_form_changes_the_controller(client, people, secret):
    client.force_login(people["secretary"])
    url = reverse("control:instruction-action", args=[secret.pk, "controller"])
    answer = client.post(url, {"controller": people["chair"].pk}, follow=True)
    assert answer.status_code == 200
    secret.refresh_from_db()
    assert secret.controller_id == people["chair"].pk
    assert "controls instruction" in answer.content.decode()


def test_the_form_shows_a_refusal_under_the_field(client, people, orgs, secret):
    low = make_user("controller_low", Role.CONTROLLER, Classification.OFFICIAL, orgs["apparatus"])
    client.force_login(people["secretary"])
    answer = client.post(reverse("control:instruction-action", args=[secret.pk, "controller"]), {"controller": low.pk})
    assert answer.status_code == 422
    form = answer.content.decode().split('id="change-controller"')[1].split("</form>")[0]
    assert "errorlist" in form
    secret.refresh_from_db()
    assert secret.controller_id == people["controller"].pk


def test_a_controller_posting_the_form_changes_nothing(client, people, secret):
    client.force_login(people["controller"])
    client.post(
        reverse("control:instruction-action", args=[secret.pk, "controller"]), {"controller": people["secretary"].pk}
    )
    secret.refresh_from_db()
    assert secret.controller_id == people["controller"].pk


# --- the fix a refused raise asks for ------------------------------------------------------------


@pytest.fixture
def session(people, bodies):
    """A secret session whose adopted decision gives an instruction under the controller (cleared secret)."""
    chain = decided_session(people, bodies["mia"], people["controller"])
    return {"meeting": chain.meeting, "item": chain.item, "instruction": chain.instruction}


def test_a_raise_refused_because_of_the_controller_succeeds_after_the_controller_is_changed(api, people, session):
    secretary = api(people["secretary"])
    instruction = session["instruction"]
    item_url = f"/api/v1/agenda-items/{session['item'].pk}"
    refused = secretary.patch(item_url, {"classification": "top_secret"})
    assert refused.status_code == 409 and "name a controller cleared to" in refused.json()["detail"]
    instruction.refresh_from_db()
    assert instruction.classification == Classification.SECRET

    moved = secretary.post(f"/api/v1/instructions/{instruction.pk}/controller", {"controller": people["secretary"].pk})
    assert moved.status_code == 200
    raised = secretary.patch(f"/api/v1/meetings/{session['meeting'].pk}", {"classification": "top_secret"})
    assert raised.status_code == 200, raised.content
    instruction.refresh_from_db()
    assert instruction.classification == Classification.TOP_SECRET
    assert instruction.controller_id == people["secretary"].pk


@pytest.mark.parametrize("finish", ["withdraw", "execute"])
def test_a_finished_instruction_does_not_stop_a_raise(api, people, session, finish):
    instruction = session["instruction"]
    if finish == "withdraw":
        services.withdraw(instruction, actor=people["secretary"], reason="overtaken by events")
    else:
        _executed(instruction, people)
    answer = api(people["secretary"]).patch(
        f"/api/v1/agenda-items/{session['item'].pk}", {"classification": "top_secret"}
    )
    assert answer.status_code == 200, answer.content
    instruction.refresh_from_db()
    assert instruction.classification == Classification.TOP_SECRET
    assert instruction.controller_id == people["controller"].pk
