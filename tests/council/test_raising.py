"""Raising a record raises what derives from it, across modules (core.derivation): an agenda item's
decisions, their instructions and reports; lowering a record leaves what derives from it where it is."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from kenes.accounts.models import Role
from kenes.control import services as control
from kenes.core import derivation
from kenes.core.classification import Classification
from kenes.core.exceptions import Conflict
from kenes.core.models import AuditEvent
from kenes.council import services
from kenes.council.models import AgendaItem
from tests.conftest import make_user
from tests.council.conftest import decided_session


@pytest.fixture
def chain(users, orgs):
    """A secret session with an item, its adopted decision and an instruction given by the decision
    (under a controller cleared to top secret, so that raising the tree keeps him able to read it)."""
    controller = make_user("controller_ts", Role.CONTROLLER, Classification.TOP_SECRET, orgs["apparatus"])
    return vars(decided_session(users, orgs["mia"], controller, label="to raise"))


def _levels(chain):
    for record in chain.values():
        record.refresh_from_db()
    return {name: record.classification for name, record in chain.items()}


def test_raising_an_item_by_the_api_raises_its_decisions_and_their_instructions(api, client, users, chain):
    answer = api(users["secretary"]).patch(f"/api/v1/agenda-items/{chain['item'].pk}", {"classification": "top_secret"})
    assert answer.status_code == 200
    assert _levels(chain) == {
        "meeting": Classification.SECRET,
        "item": Classification.TOP_SECRET,
        "decision": Classification.TOP_SECRET,
        "instruction": Classification.TOP_SECRET,
    }
    for record in (chain["decision"], chain["instruction"]):
        label = f"{record._meta.app_label}.{record._meta.model_name}"
        events = AuditEvent.objects.filter(object_type=label, object_id=str(record.pk), action="update")
        assert any(e.changes.get("classification") == [20, 30] for e in events), label

    analyst = users["analyst"]
    assert api(analyst).get(f"/api/v1/decisions/{chain['decision'].pk}").status_code == 404
    client.force_login(analyst)
    assert client.get(reverse("council:decision-detail", args=[chain["decision"].pk])).status_code == 404
    meeting_page = client.get(reverse("council:meeting-detail", args=[chain["meeting"].pk])).content.decode()
    assert "Item to raise" not in meeting_page and "Decision to raise" not in meeting_page


def test_raising_a_session_raises_the_whole_tree_and_lowering_it_leaves_it(api, users, chain):
    secretary = api(users["secretary"])
    answer = secretary.patch(f"/api/v1/meetings/{chain['meeting'].pk}", {"classification": "top_secret"})
    assert answer.status_code == 200
    assert set(_levels(chain).values()) == {Classification.TOP_SECRET}
    assert secretary.patch(f"/api/v1/meetings/{chain['meeting'].pk}", {"classification": "secret"}).status_code == 200
    levels = _levels(chain)
    assert levels["meeting"] == Classification.SECRET
    assert levels["item"] == levels["decision"] == levels["instruction"] == Classification.TOP_SECRET


def test_a_refused_raise_changes_nothing(users, chain):
    users["secretary"].clearance = Classification.TOP_SECRET
    with pytest.raises(PermissionDenied):
        derivation.raise_classification(chain["item"], Classification.SPECIAL_IMPORTANCE, actor=users["secretary"])
    assert set(_levels(chain).values()) == {Classification.SECRET}


def test_every_module_declares_what_derives_from_its_records(chain):
    from kenes.control.models import Instruction

    derived = {qs.model for qs in derivation.derived_from(chain["decision"])}
    assert Instruction in derived, "control declares the instructions given by a decision"


def test_a_draft_decision_raised_by_the_api_above_the_minutes_that_hold_it_is_refused(api, users, chain):
    secretary = users["secretary"]
    meeting, item = chain["meeting"], chain["item"]
    draft = services.draft_decision(actor=secretary, title="Late draft", text="x", agenda_item=item)
    services.advance_meeting(meeting, "held", actor=secretary)
    services.draft_minutes(meeting, actor=secretary)
    answer = api(secretary).patch(f"/api/v1/decisions/{draft.pk}", {"classification": "top_secret"})
    assert answer.status_code == 409 and "minutes" in answer.json()["detail"]
    draft.refresh_from_db()
    assert draft.classification == Classification.SECRET


def test_a_raise_above_an_instructions_controller_is_refused_naming_the_fix(users, chain):
    """Raising a decision would lift its instruction out of its controller's sight (cleared secret):
    refused (409) before anything changes, telling what to do."""
    instruction = chain["instruction"]
    instruction.controller = users["controller"]
    instruction.save()
    with pytest.raises(Conflict) as refused:
        derivation.raise_classification(chain["decision"], Classification.TOP_SECRET, actor=users["secretary"])
    assert "name a controller cleared to" in str(refused.value)
    for record in (chain["item"], chain["decision"], instruction):
        record.refresh_from_db()
        assert record.classification == Classification.SECRET, record


def test_an_instruction_above_its_controllers_clearance_is_refused_naming_controller(users, orgs, chain):
    with pytest.raises(ValidationError) as error:
        control.issue_instruction(
            actor=users["secretary"],
            text="Do more.",
            lead_executor=orgs["mia"],
            controller=users["controller"],
            decision=chain["decision"],
            classification=Classification.TOP_SECRET,
        )
    assert list(error.value.message_dict) == ["controller"]


def test_an_item_held_by_minutes_is_not_raised_above_them(users, chain):
    """A derived raise (here, of the threat an item is about, or of the item itself) must not lift an
    item above the minutes that print its title: drafted minutes are raised first; signed ones never."""
    secretary = users["secretary"]
    meeting, item = chain["meeting"], chain["item"]
    services.advance_meeting(meeting, "held", actor=secretary)
    minutes = services.draft_minutes(meeting, actor=secretary)
    with pytest.raises(Conflict) as refused:
        derivation.raise_classification(item, Classification.TOP_SECRET, actor=secretary)
    assert "raise the minutes first" in str(refused.value)
    assert AgendaItem.objects.get(pk=item.pk).classification == Classification.SECRET
    services.sign_minutes(minutes, actor=secretary)
    with pytest.raises(Conflict) as refused:
        derivation.raise_classification(AgendaItem.objects.get(pk=item.pk), Classification.TOP_SECRET, actor=secretary)
    assert "signed minutes" in str(refused.value)
    assert AgendaItem.objects.get(pk=item.pk).classification == Classification.SECRET


def test_the_services_lock_the_sources_they_derive_a_level_from(users, orgs, chain, monkeypatch):
    """A child created from a source while the source is being raised must not end up below it: the
    creating services read their sources under ``select_for_update`` (on PostgreSQL a concurrent raise
    waits, or is waited for), and the guard locks the minutes it compares with."""
    from django.db.models import QuerySet

    locked = []
    original = QuerySet.select_for_update

    def spy(self, *args, **kwargs):
        locked.append(self.model.__name__)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "select_for_update", spy)
    secretary = users["secretary"]
    meeting, item, decision = chain["meeting"], chain["item"], chain["decision"]

    def locks(call):
        locked.clear()
        call()
        return set(locked)

    assert "Meeting" in locks(lambda: services.add_agenda_item(meeting, actor=secretary, title="More"))
    assert {"Meeting", "AgendaItem"} <= locks(lambda: services.update_agenda_item(item, actor=secretary, title="T"))
    assert {"Meeting", "AgendaItem"} <= locks(
        lambda: services.draft_decision(actor=secretary, title="Draft", text="x", agenda_item=item)
    )
    assert "Meeting" in locks(lambda: services.update_meeting(meeting, actor=secretary, place="Astana"))
    assert "Decision" in locks(
        lambda: control.issue_instruction(
            actor=secretary,
            text="Again.",
            lead_executor=orgs["mia"],
            controller=users["controller"],
            decision=decision,
            due_date=dt.date(2026, 12, 10),
        )
    )
    draft = services.draft_decision(actor=secretary, title="Late", text="x", agenda_item=item)
    services.advance_meeting(meeting, "held", actor=secretary)
    services.draft_minutes(meeting, actor=secretary, classification=Classification.TOP_SECRET)
    assert {"Decision", "Minutes"} <= locks(
        lambda: services.update_decision(draft, actor=secretary, classification=Classification.TOP_SECRET)
    )
