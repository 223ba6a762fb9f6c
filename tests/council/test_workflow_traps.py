"""Issue 12, items 2, 4 and 6 for the Council: no orphaned draft decisions, no session held or decision
adopted before its date without a reason on record, every refusal naming its real cause, every action
saying what it did and the irreversible ones asking first."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from kenes.core.exceptions import Conflict
from kenes.core.models import AuditEvent
from kenes.council import services
from kenes.council.choices import DecisionStatus, ItemKind, MeetingStatus
from kenes.council.models import EARLY_UNSTATED, Decision
from tests.council.conftest import vote_all

TODAY = timezone.localdate()


def _session(users, date, *, title="Session on water"):
    secretary = users["secretary"]
    meeting = services.create_meeting(actor=secretary, title=title, date=date)
    item = services.add_agenda_item(meeting, actor=secretary, title="Water", kind=ItemKind.OTHER)
    services.advance_meeting(meeting, "agenda_approved", actor=secretary)
    return meeting, item


def _held_with_draft(users):
    """A past session held, with one decision adopted and one left a draft, and its minutes drafted."""
    secretary = users["secretary"]
    meeting, item = _session(users, TODAY - dt.timedelta(days=3))
    adopted = services.draft_decision(actor=secretary, title="On reservoirs", text="1.", agenda_item=item)
    vote_all(adopted, users)
    services.adopt_decision(adopted, actor=users["chair"])
    draft = services.draft_decision(actor=secretary, title="On irrigation canals", text="2.", agenda_item=item)
    services.advance_meeting(meeting, "held", actor=secretary)
    minutes = services.draft_minutes(meeting, actor=secretary)
    return meeting, draft, minutes


# --- orphaned drafts ----------------------------------------------------------------------------------


def test_signing_minutes_with_a_draft_is_refused_naming_the_draft(users):
    meeting, _draft, minutes = _held_with_draft(users)
    with pytest.raises(Conflict) as refused:
        services.sign_minutes(minutes, actor=users["secretary"])
    assert "On irrigation canals" in str(refused.value) and "On reservoirs" not in str(refused.value)
    assert "chairman" in str(refused.value)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    # the same through the status move
    with pytest.raises(Conflict, match="On irrigation canals"):
        services.advance_meeting(meeting, "minutes_signed", actor=users["secretary"])


def test_once_the_chairman_adopts_the_draft_the_minutes_are_signed(users):
    meeting, draft, minutes = _held_with_draft(users)
    vote_all(draft, users)
    services.adopt_decision(draft, actor=users["chair"])
    services.sign_minutes(minutes, actor=users["secretary"])
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.MINUTES_SIGNED


def test_a_withdrawn_draft_no_longer_holds_the_minutes_and_is_audited(users):
    _meeting, draft, minutes = _held_with_draft(users)
    withdrawn = services.withdraw_decision(draft, actor=users["secretary"], note="Merged into the first.")
    assert withdrawn.status == DecisionStatus.WITHDRAWN and withdrawn.number is None
    event = AuditEvent.objects.filter(object_type="council.decision", object_id=str(draft.pk)).latest("seq")
    assert event.operation == "withdraw" and event.operation_label
    services.sign_minutes(minutes, actor=users["secretary"])
    for act in (
        lambda: services.adopt_decision(withdrawn, actor=users["chair"]),
        lambda: services.update_decision(withdrawn, actor=users["secretary"], title="x"),
        lambda: services.record_votes(withdrawn, [], actor=users["secretary"]),
        lambda: services.withdraw_decision(withdrawn, actor=users["secretary"]),
    ):
        with pytest.raises(Conflict, match=r"withdrawn|Withdrawn"):
            act()
    assert not services.gives_instructions(withdrawn)


def test_a_leftover_draft_after_signed_minutes_is_neither_editable_nor_votable_nor_adoptable(users):
    """Old data: minutes signed before the rule, with a draft left on the session."""
    meeting, draft, _minutes = _held_with_draft(users)
    meeting.status = MeetingStatus.MINUTES_SIGNED
    meeting.save()
    for act in (
        lambda: services.update_decision(draft, actor=users["secretary"], title="New"),
        lambda: services.record_votes(draft, [], actor=users["secretary"]),
        lambda: services.adopt_decision(draft, actor=users["chair"]),
    ):
        with pytest.raises(Conflict) as refused:
            act()
        assert "minutes" in str(refused.value) and "Session on water" in str(refused.value)
    assert Decision.objects.get(pk=draft.pk).status == DecisionStatus.DRAFT
    services.withdraw_decision(draft, actor=users["secretary"])  # and it can be cleaned up


def test_adoption_refusals_name_their_real_cause(users, meeting, hearing):
    secretary, chair = users["secretary"], users["chair"]
    decision = services.draft_decision(actor=secretary, title="On patrols", text="1.", agenda_item=hearing)
    with pytest.raises(Conflict, match=r"agenda .* not approved"):
        services.adopt_decision(decision, actor=chair)
    with pytest.raises(Conflict, match=r"agenda .* not approved"):
        services.record_votes(decision, [], actor=secretary)
    services.advance_meeting(meeting, "agenda_approved", actor=secretary)
    with pytest.raises(Conflict, match="No votes are recorded"):
        services.adopt_decision(decision, actor=chair)
    vote_all(decision, users, choice="against")
    with pytest.raises(Conflict, match="for: 0, against: 3"):
        services.adopt_decision(decision, actor=chair)
    vote_all(decision, users)
    adopted = services.adopt_decision(decision, actor=chair)
    with pytest.raises(Conflict, match=f"already adopted \\(№ {adopted.number}\\)"):
        services.adopt_decision(adopted, actor=chair)
    with pytest.raises(Conflict, match="Amend it"):
        services.update_decision(adopted, actor=secretary, title="x")


# --- before the session's date ------------------------------------------------------------------------


def test_holding_a_session_before_its_date_takes_a_reason_kept_in_the_audit_log(users):
    meeting, _item = _session(users, TODAY + dt.timedelta(days=10))
    with pytest.raises(ValidationError) as refused:
        services.advance_meeting(meeting, "held", actor=users["secretary"])
    assert "reason" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.advance_meeting(meeting, "held", actor=users["secretary"], reason="   ")
    held = services.advance_meeting(meeting, "held", actor=users["secretary"], reason="The minister leaves <b>")
    assert held.status == MeetingStatus.HELD and held.early_reason == "The minister leaves <b>"
    event = AuditEvent.objects.filter(object_type="council.meeting", object_id=str(meeting.pk)).latest("seq")
    assert event.operation == "advance" and "The minister leaves <b>" in json.dumps(event.changes)


def test_adopting_before_the_session_date_takes_a_reason(users):
    meeting, item = _session(users, TODAY + dt.timedelta(days=10))
    decision = services.draft_decision(actor=users["secretary"], title="On dams", text="1.", agenda_item=item)
    vote_all(decision, users)
    with pytest.raises(ValidationError) as refused:
        services.adopt_decision(decision, actor=users["chair"])
    assert "reason" in refused.value.message_dict and meeting.date.isoformat() in str(refused.value)
    adopted = services.adopt_decision(decision, actor=users["chair"], reason="Flood season.")
    assert adopted.early_reason == "Flood season."
    event = AuditEvent.objects.filter(object_type="council.decision", object_id=str(decision.pk)).latest("seq")
    assert event.operation == "adopt" and "Flood season." in json.dumps(event.changes)


def test_on_or_after_the_date_no_reason_is_asked(users):
    meeting, item = _session(users, TODAY)
    decision = services.draft_decision(actor=users["secretary"], title="On wells", text="1.", agenda_item=item)
    vote_all(decision, users)
    assert services.adopt_decision(decision, actor=users["chair"]).early_reason == ""
    assert services.advance_meeting(meeting, "held", actor=users["secretary"]).early_reason == ""


def test_the_api_takes_an_optional_reason_and_keeps_an_early_act_without_one_as_unstated(users, api):
    """The contract lists no reason: a client that sends the listed fields is not refused for it; an
    early act without one is kept as unstated, shown so on the page and in the audit event."""
    meeting, item = _session(users, TODAY + dt.timedelta(days=5))
    decision = services.draft_decision(actor=users["secretary"], title="On dams", text="1.", agenda_item=item)
    second = services.draft_decision(actor=users["secretary"], title="On dikes", text="2.", agenda_item=item)
    vote_all(decision, users)
    vote_all(second, users)
    chair, secretary = api(users["chair"]), api(users["secretary"])
    adopted = chair.post(f"/api/v1/decisions/{decision.pk}/adopt", {"reason": "Flood season."})
    assert adopted.status_code == 200 and adopted.json()["status"] == "adopted"
    assert Decision.objects.get(pk=decision.pk).early_reason == "Flood season."
    unstated = chair.post(f"/api/v1/decisions/{second.pk}/adopt")
    assert unstated.status_code == 200 and Decision.objects.get(pk=second.pk).early_reason == EARLY_UNSTATED
    event = AuditEvent.objects.filter(object_type="council.decision", object_id=str(second.pk)).latest("seq")
    assert EARLY_UNSTATED in json.dumps(event.changes["early_reason"])
    held = secretary.patch(f"/api/v1/meetings/{meeting.pk}", {"status": "held"})
    assert held.status_code == 200 and held.json()["status"] == "held"
    from django.test import Client

    page = Client()
    page.force_login(users["secretary"])
    shown = page.get(reverse("council:meeting-detail", args=[meeting.pk])).content.decode()
    assert "none stated (done through the API" in shown
    draft = services.draft_decision(actor=users["secretary"], title="On canals", text="2.", agenda_item=item)
    withdrawn = secretary.post(f"/api/v1/decisions/{draft.pk}/withdraw", {"note": "Not needed."})
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert secretary.post(f"/api/v1/decisions/{draft.pk}/withdraw").status_code == 409


def test_sign_refusal_through_the_api_names_the_draft(users, api):
    meeting, _draft, _minutes = _held_with_draft(users)
    answer = api(users["secretary"]).post(f"/api/v1/meetings/{meeting.pk}/minutes/sign")
    assert answer.status_code == 409 and "On irrigation canals" in answer.json()["detail"]


# --- pages ---------------------------------------------------------------------------------------------


def test_pages_refuse_with_the_cause_confirm_and_say_what_they_did(client, users):
    meeting, draft, _minutes = _held_with_draft(users)
    client.force_login(users["secretary"])
    page = client.get(reverse("council:meeting-detail", args=[meeting.pk])).content.decode()
    assert 'id="minutes-drafts"' in page and "On irrigation canals" in page
    answer = client.post(reverse("council:minutes-action", args=[meeting.pk, "sign"]), follow=True)
    assert (
        "On irrigation canals" in answer.content.decode() and 'class="message message-error"' in answer.content.decode()
    )
    decision_page = client.get(reverse("council:decision-detail", args=[draft.pk])).content.decode()
    assert 'id="adoption-waits"' in decision_page and users["chair"].display_name in decision_page
    assert "data-confirm=" in decision_page and "/withdraw/" in decision_page
    answer = client.post(reverse("council:decision-action", args=[draft.pk, "withdraw"]), {"note": ""}, follow=True)
    assert "was withdrawn" in answer.content.decode()
    answer = client.post(reverse("council:minutes-action", args=[meeting.pk, "sign"]), follow=True)
    assert "The minutes are signed." in answer.content.decode()


def test_holding_early_in_the_page_asks_for_the_reason_and_its_confirmation(client, users):
    meeting, _item = _session(users, TODAY + dt.timedelta(days=10))
    client.force_login(users["secretary"])
    page = client.get(reverse("council:meeting-detail", args=[meeting.pk])).content.decode()
    assert 'name="reason"' in page and 'name="confirm"' in page and "data-confirm=" in page
    url = reverse("council:meeting-advance", args=[meeting.pk])
    refused = client.post(url, {"status": "held", "reason": "Moved up."})
    assert refused.status_code == 422 and 'id="hold-confirm"' in refused.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.AGENDA_APPROVED
    refused = client.post(url, {"status": "held", "confirm": "on"})
    assert refused.status_code == 422
    done = client.post(url, {"status": "held", "reason": "Moved up.", "confirm": "on"}, follow=True)
    assert done.status_code == 200 and "Moved up." in done.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD and meeting.early_reason == "Moved up."


def test_the_chairman_adopting_early_in_the_page_gives_a_reason(client, users):
    _meeting, item = _session(users, TODAY + dt.timedelta(days=10))
    decision = services.draft_decision(actor=users["secretary"], title="On dams", text="1.", agenda_item=item)
    vote_all(decision, users)
    client.force_login(users["chair"])
    url = reverse("council:decision-action", args=[decision.pk, "adopt"])
    assert client.post(url, {}).status_code == 422
    done = client.post(url, {"reason": "Flood season.", "confirm": "on"}, follow=True)
    assert "is adopted and signed" in done.content.decode()
    assert Decision.objects.get(pk=decision.pk).early_reason == "Flood season."


def test_a_leftover_draft_page_names_the_cause_and_offers_only_withdrawal(client, users):
    meeting, draft, _minutes = _held_with_draft(users)
    meeting.status = MeetingStatus.MINUTES_SIGNED
    meeting.save()
    client.force_login(users["chair"])
    page = client.get(reverse("council:decision-detail", args=[draft.pk])).content.decode()
    assert 'id="leftover-draft"' in page and "/withdraw/" in page
    for offered in ('id="adopt-form"', "/votes/", "/edit/", "/status/", "/amend/"):
        assert offered not in page, offered
    answer = client.post(reverse("council:decision-action", args=[draft.pk, "edit"]), {"title": "x", "text": "y"})
    assert answer.status_code in (302, 422)
    assert Decision.objects.get(pk=draft.pk).title == "On irrigation canals"
