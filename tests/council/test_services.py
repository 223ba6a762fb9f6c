"""The rules of Council sessions: state machine, signatures, numbering, high-water mark, minutes, plan."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from kenes.core import audit
from kenes.core.classification import Classification
from kenes.core.exceptions import Conflict
from kenes.core.models import AuditEvent, Sequence
from kenes.council import services
from kenes.council.choices import DecisionStatus, ItemKind, MeetingStatus, QuestionStatus
from kenes.council.models import Decision, Meeting
from tests.council.conftest import vote_all


def test_a_session_is_secret_by_default_and_its_creation_is_audited(meeting, users):
    assert meeting.classification == Classification.SECRET and meeting.status == MeetingStatus.PLANNED
    event = AuditEvent.objects.get(object_type="council.meeting", object_id=str(meeting.pk), action="create")
    assert event.actor == users["secretary"] and event.classification == Classification.SECRET


@pytest.mark.parametrize("role", ["analyst", "controller", "member", "liaison", "admin", "auditor"])
def test_only_secretary_and_chairman_prepare_and_run_sessions(users, meeting, hearing, role):
    with pytest.raises(PermissionDenied):
        services.create_meeting(actor=users[role], title="x", date=dt.date(2026, 1, 1))
    with pytest.raises(PermissionDenied):
        services.advance_meeting(meeting, "agenda_approved", actor=users[role])
    with pytest.raises(PermissionDenied):
        services.add_agenda_item(meeting, actor=users[role], title="x")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED


def test_the_state_machine_moves_only_forward_one_step(meeting, hearing, users):
    secretary = users["secretary"]
    for wrong in ("held", "minutes_signed", "planned"):
        with pytest.raises(Conflict):
            services.advance_meeting(meeting, wrong, actor=secretary)
    meeting = services.advance_meeting(meeting, "agenda_approved", actor=secretary)
    with pytest.raises(Conflict):
        services.advance_meeting(meeting, "agenda_approved", actor=secretary)
    meeting = services.advance_meeting(meeting, "held", actor=users["chair"])
    with pytest.raises(Conflict):
        services.advance_meeting(meeting, "minutes_signed", actor=secretary)  # no minutes yet
    with pytest.raises(ValidationError):
        services.advance_meeting(meeting, "finished", actor=secretary)
    minutes = services.draft_minutes(meeting, actor=secretary)
    meeting = services.advance_meeting(meeting, "minutes_signed", actor=secretary)
    minutes.refresh_from_db()
    assert meeting.status == MeetingStatus.MINUTES_SIGNED and minutes.status == "signed"


def test_an_empty_agenda_cannot_be_approved(meeting, users):
    with pytest.raises(Conflict):
        services.advance_meeting(meeting, "agenda_approved", actor=users["secretary"])


def test_a_head_hearing_names_the_body_heard_and_the_speaker_is_optional(meeting, users, orgs):
    with pytest.raises(ValidationError) as error:
        services.add_agenda_item(
            meeting, actor=users["secretary"], title="Hearing", kind=ItemKind.HEAD_HEARING, speaker="Minister"
        )
    assert list(error.value.message_dict) == ["body"]
    item = services.add_agenda_item(
        meeting, actor=users["secretary"], title="Hearing", kind=ItemKind.HEAD_HEARING, body=orgs["mia"]
    )
    assert item.speaker == "" and item.body == orgs["mia"]
    other = services.add_agenda_item(meeting, actor=users["secretary"], title="Other", speaker="Minister")
    with pytest.raises(ValidationError) as error:
        services.update_agenda_item(other, actor=users["secretary"], kind=ItemKind.HEAD_HEARING)
    assert list(error.value.message_dict) == ["body"]
    annual = services.add_agenda_item(
        meeting, actor=users["secretary"], title="Annual report", kind=ItemKind.ANNUAL_REPORT_HEARING
    )
    assert annual.body is None


def test_items_and_decisions_are_never_below_their_session(meeting, hearing, users):
    with pytest.raises(ValidationError):
        services.add_agenda_item(meeting, actor=users["secretary"], title="x", classification=Classification.OFFICIAL)
    assert hearing.classification == Classification.SECRET
    with pytest.raises(ValidationError):
        services.draft_decision(
            actor=users["secretary"], title="t", text="x", agenda_item=hearing, classification=Classification.OFFICIAL
        )
    decision = services.draft_decision(actor=users["secretary"], title="t", text="x", agenda_item=hearing)
    assert decision.classification == Classification.SECRET and decision.meeting == meeting


def test_nobody_classifies_above_his_clearance(users):
    users["secretary"].clearance = Classification.SECRET
    with pytest.raises(PermissionDenied):
        services.create_meeting(
            actor=users["secretary"], title="x", date=dt.date(2026, 1, 1), classification=Classification.TOP_SECRET
        )


def test_raising_a_session_raises_its_items_and_lowering_it_is_declassification(meeting, hearing, users):
    services.update_meeting(meeting, actor=users["secretary"], classification=Classification.TOP_SECRET)
    hearing.refresh_from_db()
    assert hearing.classification == Classification.TOP_SECRET
    services.update_meeting(meeting, actor=users["chair"], classification=Classification.SECRET)
    assert AuditEvent.objects.filter(action="declassify", object_id=str(meeting.pk)).exists()


def test_reordering_needs_every_item_once(meeting, hearing, users):
    second = services.add_agenda_item(meeting, actor=users["secretary"], title="Second")
    third = services.add_agenda_item(meeting, actor=users["secretary"], title="Third")
    services.reorder_agenda(meeting, [third.pk, hearing.pk, second.pk], actor=users["secretary"])
    assert list(meeting.agenda_items.values_list("title", flat=True)) == ["Third", "Report of the Minister", "Second"]
    for bad in ([third.pk, hearing.pk], [third.pk, third.pk, second.pk], [third.pk, hearing.pk, second.pk, 999]):
        with pytest.raises(ValidationError):
            services.reorder_agenda(meeting, bad, actor=users["secretary"])


def test_attendance(approved, users):
    secretary = users["secretary"]
    services.record_attendance(
        approved,
        [
            {"member": users["chair"].pk, "status": "present"},
            {"member": users["member"].pk, "status": "represented", "represented_by": "Deputy minister"},
        ],
        actor=secretary,
    )
    assert {r.member_id: r.status for r in approved.attendance.all()} == {
        users["chair"].pk: "present",
        users["member"].pk: "represented",
    }
    with pytest.raises(ValidationError):
        services.record_attendance(approved, [{"member": users["member"].pk, "status": "represented"}], actor=secretary)
    with pytest.raises(ValidationError):
        services.record_attendance(approved, [{"member": users["analyst"].pk, "status": "present"}], actor=secretary)
    with pytest.raises(ValidationError):
        services.record_attendance(approved, [{"member": users["chair"].pk, "status": "asleep"}], actor=secretary)


def test_adoption_needs_a_majority_and_the_chairmans_signature(approved, hearing, users):
    decision = services.draft_decision(actor=users["secretary"], title="On order", text="Do it.", agenda_item=hearing)
    with pytest.raises(Conflict):
        services.adopt_decision(decision, actor=users["chair"])  # no votes
    vote_all(decision, users, "against")
    with pytest.raises(Conflict):
        services.adopt_decision(decision, actor=users["chair"])
    result = vote_all(decision, users, "for")
    assert result.passed and result.votes_for == 3
    with pytest.raises(PermissionDenied):
        services.adopt_decision(decision, actor=users["secretary"])
    adopted = services.adopt_decision(decision, actor=users["chair"])
    assert adopted.status == DecisionStatus.ADOPTED and adopted.signed_by == users["chair"]
    assert adopted.number == f"{adopted.sequence}/{adopted.year}" and adopted.sequence == 1
    with pytest.raises(Conflict):
        services.update_decision(adopted, actor=users["secretary"], text="changed")
    with pytest.raises(Conflict):
        vote_all(adopted, users, "against")
    adopted.refresh_from_db()
    assert adopted.text == "Do it."


def test_votes_wait_for_the_approved_agenda(meeting, hearing, users):
    decision = services.draft_decision(actor=users["secretary"], title="t", text="x", agenda_item=hearing)
    with pytest.raises(Conflict):
        vote_all(decision, users)


def test_the_chairman_adopts_alone_outside_a_session_and_amendments_reference(users):
    decision = services.draft_decision(actor=users["chair"], title="Urgent", text="Act.")
    assert decision.meeting is None and decision.classification == Classification.SECRET
    first = services.adopt_decision(decision, actor=users["chair"])
    with pytest.raises(ValidationError):
        services.draft_decision(
            actor=users["chair"],
            title="x",
            text="y",
            amends=services.draft_decision(actor=users["chair"], title="d", text="d"),
        )
    amendment = services.draft_decision(actor=users["chair"], title="Amending", text="Change.", amends=first)
    second = services.adopt_decision(amendment, actor=users["chair"])
    assert second.amends == first and second.sequence == first.sequence + 1
    assert list(first.amendments.all()) == [second]


def test_numbers_are_never_reused(users):
    numbers = []
    for n in range(3):
        decision = services.adopt_decision(
            services.draft_decision(actor=users["chair"], title=f"d{n}", text="x"), actor=users["chair"]
        )
        numbers.append(decision.sequence)
    services.change_decision_status(Decision.objects.get(sequence=3), "cancelled", actor=users["chair"], note="void")
    later = services.adopt_decision(
        services.draft_decision(actor=users["chair"], title="later", text="x"), actor=users["chair"]
    )
    assert numbers == [1, 2, 3] and later.sequence == 4
    assert Sequence.objects.get(name="decision", year=later.year).last == 4


@pytest.mark.django_db(transaction=True)
def test_concurrent_adoptions_get_distinct_numbers(users):
    drafts = [services.draft_decision(actor=users["chair"], title=f"d{n}", text="x") for n in range(8)]
    errors, numbers = [], []

    def adopt(decision):
        try:
            numbers.append(services.adopt_decision(decision, actor=users["chair"]).number)
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=adopt, args=(d,)) for d in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(numbers)) == 8
    assert sorted(int(n.split("/")[0]) for n in numbers) == list(range(1, 9))
    assert audit.verify().ok


def test_decision_status_flow(users):
    decision = services.adopt_decision(
        services.draft_decision(actor=users["chair"], title="d", text="x"), actor=users["chair"]
    )
    with pytest.raises(ValidationError):
        services.change_decision_status(decision, "cancelled", actor=users["secretary"])  # no reason
    services.change_decision_status(decision, "in_execution", actor=users["secretary"])
    services.change_decision_status(decision, "executed", actor=users["secretary"])
    for status in ("draft", "adopted", "in_execution", "cancelled"):
        with pytest.raises(Conflict):
            services.change_decision_status(decision, status, actor=users["secretary"], note="n")


def test_minutes_are_drafted_from_the_data_edited_signed_then_read_only(approved, hearing, users):
    secretary = users["secretary"]
    services.record_attendance(
        approved, [{"member": users["member"].pk, "status": "represented", "represented_by": "Deputy"}], actor=secretary
    )
    decision = services.draft_decision(actor=secretary, title="On public order", text="x", agenda_item=hearing)
    vote_all(decision, users)
    adopted = services.adopt_decision(decision, actor=users["chair"])
    with pytest.raises(Conflict):
        services.draft_minutes(approved, actor=secretary)  # not held yet
    held = services.advance_meeting(approved, "held", actor=secretary)
    minutes = services.draft_minutes(held, actor=secretary)
    for expected in (
        "Report of the Minister",
        "Minister of Internal Affairs",
        "Deputy",
        adopted.number,
        "On public order",
    ):
        assert expected in minutes.text
    assert minutes.classification == held.classification
    services.edit_minutes(minutes, minutes.text + "\nAddendum.", actor=secretary)
    services.sign_minutes(minutes, actor=users["chair"])
    with pytest.raises(Conflict):
        services.edit_minutes(minutes, "rewritten", actor=secretary)
    with pytest.raises(Conflict):
        services.draft_minutes(held, actor=secretary)
    with pytest.raises(Conflict):
        services.draft_decision(actor=secretary, title="late", text="x", agenda_item=hearing)
    assert Meeting.objects.get(pk=held.pk).status == MeetingStatus.MINUTES_SIGNED


def test_an_item_on_a_planned_question_is_never_below_the_question(meeting, users, orgs):
    secretary = users["secretary"]
    question = services.plan_question(
        actor=secretary,
        year=2026,
        quarter=4,
        title="Border",
        responsible=orgs["mia"],
        classification=Classification.TOP_SECRET,
    )
    assert meeting.classification == Classification.SECRET
    item = services.add_agenda_item(meeting, actor=secretary, title="Border", planned_question=question)
    assert item.classification == Classification.TOP_SECRET
    with pytest.raises(ValidationError) as refused:
        services.add_agenda_item(
            meeting, actor=secretary, title="Border", planned_question=question, classification=Classification.SECRET
        )
    assert "classification" in refused.value.message_dict


def test_work_plan_question_is_scheduled_held_moved_or_dropped(meeting, users, orgs):
    secretary = users["secretary"]
    question = services.plan_question(
        actor=secretary, year=2026, quarter=4, title="Water security", responsible=orgs["mia"]
    )
    item = services.schedule_question(question, meeting, actor=secretary)
    question.refresh_from_db()
    assert item.planned_question == question and question.status == QuestionStatus.SCHEDULED
    assert item.body == orgs["mia"] and item.classification >= meeting.classification
    with pytest.raises(Conflict):
        services.schedule_question(question, meeting, actor=secretary)
    services.advance_meeting(meeting, "agenda_approved", actor=secretary)
    services.advance_meeting(meeting, "held", actor=secretary)
    question.refresh_from_db()
    assert question.status == QuestionStatus.HELD
    moved = services.plan_question(actor=secretary, year=2026, quarter=2, title="Energy", responsible=orgs["mia"])
    services.update_question(moved, actor=secretary, quarter=3)
    moved.refresh_from_db()
    assert moved.status == QuestionStatus.MOVED and moved.quarter == 3
    services.drop_question(moved, actor=secretary, note="covered elsewhere")
    moved.refresh_from_db()
    assert moved.status == QuestionStatus.DROPPED
    with pytest.raises(Conflict):
        services.update_question(moved, actor=secretary, quarter=4)
    with pytest.raises(ValidationError):
        services.plan_question(actor=secretary, year=2026, quarter=5, title="x", responsible=orgs["mia"])
