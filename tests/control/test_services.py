"""Execution control: issuing, reports and review, the state machine, extensions, withdrawal,
overdue marking by the daily task in Almaty time, reminders once, periodic reporting."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kenes.control import services
from kenes.control.choices import InstructionStatus
from kenes.control.models import Instruction
from kenes.core import schedule
from kenes.core.classification import Classification
from kenes.core.exceptions import Conflict
from kenes.core.models import AuditEvent, Notification
from kenes.council import services as council

D = dt.date


def test_issuing(issue, people, bodies):
    instruction = issue()
    assert instruction.status == InstructionStatus.ASSIGNED and instruction.due_date == D(2026, 12, 10)
    assert instruction.number == "1/2026-И" and issue().number == "2/2026-И"
    executors = {(e.organization_id, e.is_lead) for e in instruction.executors.all()}
    assert executors == {(bodies["mia"].pk, True), (bodies["mod"].pk, False)}
    assert instruction.deadline_changes.get().new_due_date == D(2026, 12, 10)
    assert Notification.objects.filter(user=people["liaison"], kind="issued").exists()
    assert Notification.objects.filter(user=people["liaison_mod"], kind="issued").exists()
    assert AuditEvent.objects.filter(
        object_type="control.instruction", action="create", actor=people["secretary"]
    ).exists()


@pytest.mark.parametrize("role", ["analyst", "member", "liaison", "auditor", "admin"])
def test_only_chairman_secretary_and_controllers_give_instructions(issue, people, role):
    with pytest.raises(PermissionDenied):
        issue(actor=people[role])


def test_an_instruction_is_not_below_its_decision(issue, people):
    decision = council.adopt_decision(
        council.draft_decision(actor=people["chair"], title="d", text="x"), actor=people["chair"]
    )
    with pytest.raises(ValidationError):
        issue(decision=decision, classification=Classification.OFFICIAL)
    instruction = issue(decision=decision, classification=None)
    decision.refresh_from_db()
    assert instruction.classification == Classification.SECRET and decision.status == "in_execution"
    draft = council.draft_decision(actor=people["chair"], title="draft", text="x")
    with pytest.raises(ValidationError):
        issue(decision=draft, classification=Classification.SECRET)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"due_date": None}, "due_date"),
        ({"due_date": D(2026, 1, 1)}, "due_date"),
        ({"text": "  "}, "text"),
        ({"periodicity": "monthly", "report_day": None, "period_end": D(2027, 1, 1)}, "report_day"),
        ({"periodicity": "monthly", "report_day": 31, "period_end": D(2027, 1, 1)}, "report_day"),
        ({"periodicity": "monthly", "report_day": 5, "period_end": None}, "period_end"),
    ],
)
def test_invalid_instructions_name_the_field(issue, changes, field):
    with pytest.raises(ValidationError) as error:
        issue(**changes)
    assert field in error.value.message_dict
    assert not Instruction.objects.exists()


def test_report_return_report_accept(issue, people):
    instruction = issue()
    with pytest.raises(PermissionDenied):
        services.submit_report(instruction, actor=people["liaison_almaty"], text="not mine")
    with pytest.raises(PermissionDenied):
        services.submit_report(instruction, actor=people["controller"], text="not a liaison")
    report = services.submit_report(instruction, actor=people["liaison"], text="Done: 12 cameras installed.")
    instruction.refresh_from_db()
    assert instruction.status == InstructionStatus.REPORTED and report.outcome == "pending"
    assert Notification.objects.filter(user=people["controller"], kind="report").count() == 1
    with pytest.raises(Conflict):
        services.submit_report(instruction, actor=people["liaison"], text="again")
    with pytest.raises(PermissionDenied):
        services.review_report(report, actor=people["analyst"], outcome="accept")
    with pytest.raises(ValidationError):
        services.review_report(report, actor=people["controller"], outcome="return")  # no comment
    services.review_report(report, actor=people["controller"], outcome="return", comment="Give the figures.")
    instruction.refresh_from_db()
    assert instruction.status == InstructionStatus.RETURNED and instruction.returned_count == 1
    assert Notification.objects.filter(user=people["liaison"], kind="returned").exists()
    with pytest.raises(Conflict):
        services.review_report(report, actor=people["controller"], outcome="accept")
    second = services.submit_report(instruction, actor=people["liaison"], text="12 cameras, 3 districts.")
    services.review_report(second, actor=people["secretary"], outcome="accept", on=D(2026, 12, 9))
    instruction.refresh_from_db()
    assert instruction.status == InstructionStatus.EXECUTED and instruction.executed_on == D(2026, 12, 9)
    with pytest.raises(Conflict):
        services.submit_report(instruction, actor=people["liaison"], text="late news")


def test_co_executors_send_inputs_to_the_lead(issue, people):
    instruction = issue()
    services.submit_report(instruction, actor=people["liaison_mod"], text="Our part is done.")
    instruction.refresh_from_db()
    assert instruction.status == InstructionStatus.ASSIGNED
    assert instruction.reports.get().outcome == "input"
    assert Notification.objects.filter(user=people["liaison"], kind="input").exists()


def test_extension_requested_approved_refused_and_kept(issue, people):
    instruction = issue()
    with pytest.raises(ValidationError):
        services.request_extension(instruction, actor=people["liaison"], due_date=D(2026, 12, 1), reason="x")
    with pytest.raises(PermissionDenied):
        services.request_extension(instruction, actor=people["liaison_mod"], due_date=D(2026, 12, 30), reason="x")
    request = services.request_extension(
        instruction, actor=people["liaison"], due_date=D(2026, 12, 27), reason="Waiting for equipment."
    )
    with pytest.raises(Conflict):
        services.request_extension(instruction, actor=people["liaison"], due_date=D(2026, 12, 28), reason="again")
    with pytest.raises(PermissionDenied):
        services.decide_extension(request, actor=people["controller"], approve=True)
    services.decide_extension(request, actor=people["secretary"], approve=True)
    instruction.refresh_from_db()
    assert instruction.due_date == D(2026, 12, 25)  # the 27th is a Sunday
    history = list(instruction.deadline_changes.values_list("kind", "old_due_date", "new_due_date"))
    assert history == [("set", None, D(2026, 12, 10)), ("extension", D(2026, 12, 10), D(2026, 12, 25))]
    refused = services.request_extension(
        instruction, actor=people["controller"], due_date=D(2027, 1, 29), reason="More time."
    )
    services.decide_extension(refused, actor=people["secretary"], approve=False, comment="No.")
    with pytest.raises(Conflict):
        services.decide_extension(refused, actor=people["secretary"], approve=True)
    instruction.refresh_from_db()
    assert instruction.due_date == D(2026, 12, 25) and instruction.deadline_changes.count() == 2


def test_withdrawal(issue, people):
    instruction = issue()
    with pytest.raises(PermissionDenied):
        services.withdraw(instruction, actor=people["controller"], reason="x")
    with pytest.raises(ValidationError):
        services.withdraw(instruction, actor=people["secretary"], reason=" ")
    services.withdraw(instruction, actor=people["secretary"], reason="Superseded by decision 9/2026.")
    instruction.refresh_from_db()
    assert instruction.status == InstructionStatus.WITHDRAWN
    with pytest.raises(Conflict):
        services.submit_report(instruction, actor=people["liaison"], text="x")
    with pytest.raises(Conflict):
        services.withdraw(instruction, actor=people["secretary"], reason="again")


def _at(monkeypatch, utc: dt.datetime) -> None:
    monkeypatch.setattr(timezone, "now", lambda: utc)


def test_the_daily_task_marks_overdue_the_day_after_in_almaty_time(issue, people, monkeypatch):
    instruction = issue(due_date=D(2026, 12, 1))
    # 1 December, 23:30 in Almaty (18:30 UTC): still the due day, nothing to mark.
    _at(monkeypatch, dt.datetime(2026, 12, 1, 18, 30, tzinfo=dt.UTC))
    assert "control.daily" in schedule.tick()
    instruction.refresh_from_db()
    assert instruction.status == InstructionStatus.ASSIGNED
    # 2 December, 00:30 in Almaty (19:30 UTC on the 1st): the day after; the job runs once that day.
    _at(monkeypatch, dt.datetime(2026, 12, 1, 19, 30, tzinfo=dt.UTC))
    assert "control.daily" in schedule.tick()
    assert schedule.tick() == []
    instruction.refresh_from_db()
    assert instruction.status == InstructionStatus.OVERDUE
    overdue_notes = Notification.objects.filter(kind="overdue")
    assert {n.user.username for n in overdue_notes} == {"liaison_mvd", "liaison_mod", "controller"}
    assert services.mark_overdue(D(2026, 12, 3)) == 0
    assert Notification.objects.filter(kind="overdue").count() == 3


def test_reminders_7_3_and_1_days_before_each_once(issue, people):
    instruction = issue(due_date=D(2026, 12, 10))
    sent = {day: services.send_reminders(D(2026, 12, day)) for day in range(1, 11)}
    assert {day: n for day, n in sent.items() if n} == {3: 2, 7: 2, 9: 2}  # two executors each time
    assert services.send_reminders(D(2026, 12, 3)) == 0
    reminders = Notification.objects.filter(user=people["liaison"], kind="reminder").order_by("created_at")
    assert [r.key.rsplit(":", 1)[1] for r in reminders] == ["7", "3", "1"]
    services.submit_report(instruction, actor=people["liaison"], text="done")
    assert services.send_reminders(D(2026, 12, 9)) == 0  # reported: nothing to remind


def test_an_extended_overdue_instruction_is_back_in_time(issue, people):
    instruction = issue(due_date=D(2026, 11, 23), issued_on=D(2026, 11, 2))
    services.mark_overdue(D(2026, 11, 25))
    request = services.request_extension(
        instruction, actor=people["liaison"], due_date=D(2026, 12, 4), reason="Late delivery."
    )
    services.decide_extension(request, actor=people["secretary"], approve=True)
    instruction.refresh_from_db()
    assert instruction.status == InstructionStatus.ASSIGNED


def test_periodic_reporting_closes_each_period(issue, people):
    instruction = issue(
        periodicity="quarterly", report_day=5, period_end=D(2027, 3, 31), due_date=None, issued_on=D(2026, 8, 10)
    )
    assert (instruction.period_start, instruction.due_date) == (D(2026, 7, 1), D(2026, 10, 5))
    report = services.submit_report(instruction, actor=people["liaison"], text="Q3")
    services.review_report(report, actor=people["controller"], outcome="accept", on=D(2026, 10, 2))
    instruction.refresh_from_db()
    assert instruction.status == InstructionStatus.ASSIGNED
    assert (instruction.period_start, instruction.due_date) == (D(2026, 10, 1), D(2027, 1, 5))
    report = services.submit_report(instruction, actor=people["liaison"], text="Q4")
    services.review_report(report, actor=people["controller"], outcome="accept", on=D(2027, 1, 4))
    instruction.refresh_from_db()
    assert instruction.period_start == D(2027, 1, 1) and instruction.due_date == D(2027, 4, 5)
    report = services.submit_report(instruction, actor=people["liaison"], text="Q1")
    services.review_report(report, actor=people["controller"], outcome="accept", on=D(2027, 4, 5))
    instruction.refresh_from_db()
    assert instruction.status == InstructionStatus.EXECUTED
    kinds = list(instruction.deadline_changes.values_list("kind", flat=True))
    assert kinds == ["set", "next_period", "next_period"]


def test_notification_emails_go_once_and_never_carry_classified_text(issue, people, django_capture_on_commit_callbacks):
    people["liaison"].email = "liaison@mia.example"
    people["liaison"].save()
    with django_capture_on_commit_callbacks(execute=True):
        issue(text="Secret plan", classification=Classification.OFFICIAL)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["liaison@mia.example"] and "New instruction" not in message.subject
    assert "Secret plan" not in message.body and "/instructions/" in message.body
    note = Notification.objects.get(user=people["liaison"], kind="issued")
    assert note.emailed_at is not None
    from kenes.core.tasks import send_notification_email

    send_notification_email.enqueue(note.pk)
    assert len(mail.outbox) == 1


def test_a_user_is_not_notified_above_his_clearance(issue, people):
    issue(classification=Classification.SECRET)
    assert not Notification.objects.filter(user=people["liaison"]).exists()


def test_a_decision_page_shows_the_instructions_it_gave(client, issue, people):
    decision = council.adopt_decision(
        council.draft_decision(actor=people["chair"], title="d", text="x"), actor=people["chair"]
    )
    instruction = issue(decision=decision, classification=None)
    client.force_login(people["controller"])
    from django.urls import reverse

    page = client.get(reverse("council:decision-detail", args=[decision.pk])).content.decode()
    assert instruction.number in page and f"?decision={decision.pk}" in page


def test_a_report_and_its_file_are_stored_together_and_only_its_author_adds_files(issue, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kenes.core import attachments
    from kenes.core.models import Attachment

    instruction = issue()
    with pytest.raises(ValidationError):
        services.submit_report(
            instruction, actor=people["liaison"], text="Done.", files=[SimpleUploadedFile("x.html", b"\x00<html>")]
        )
    instruction.refresh_from_db()
    assert instruction.status == InstructionStatus.ASSIGNED and not instruction.reports.exists()
    report = services.submit_report(
        instruction, actor=people["liaison"], text="Done.", files=[SimpleUploadedFile("r.pdf", b"%PDF-1.7\n%%EOF\n")]
    )
    assert Attachment.objects.get().owner_id == report.pk
    with pytest.raises(PermissionDenied):
        attachments.attach_file(
            SimpleUploadedFile("c.pdf", b"%PDF-1.7\n%%EOF\n"), actor=people["controller"], owner=report
        )


def test_a_job_that_fails_to_enqueue_is_tried_again(monkeypatch, db):
    from kenes.core.models import ScheduledRun
    from kenes.core.schedule import DailyJob, _jobs

    class Broken:
        calls = 0

        def enqueue(self):
            Broken.calls += 1
            if Broken.calls == 1:
                raise RuntimeError("queue down")

    monkeypatch.setattr("kenes.core.schedule._jobs", [DailyJob("broken", Broken())])
    _at(monkeypatch, dt.datetime(2026, 12, 1, 6, 0, tzinfo=dt.UTC))
    with pytest.raises(RuntimeError):
        schedule.tick()
    assert not ScheduledRun.objects.filter(name="broken").exists()
    assert schedule.tick() == ["broken"] and schedule.tick() == []
    assert Broken.calls == 2 and _jobs


def test_each_user_sees_only_what_was_sent_to_him_by_page_and_api(client, api, issue, people):
    issue()
    liaison = api(people["liaison"])
    mine = liaison.get("/api/v1/notifications").json()
    assert mine["count"] == 1 and mine["items"][0]["kind"] == "issued"
    other = api(people["liaison_almaty"]).get("/api/v1/notifications").json()
    assert other["count"] == 0
    theirs = mine["items"][0]["id"]
    assert api(people["liaison_almaty"]).post("/api/v1/notifications/read", {"ids": [theirs]}).json() == {"marked": 0}
    assert liaison.get("/api/v1/notifications?unread=true").json()["count"] == 1
    assert liaison.post("/api/v1/notifications/read", {}).json() == {"marked": 1}
    assert liaison.get("/api/v1/notifications?unread=true").json()["count"] == 0
    marked = AuditEvent.objects.filter(object_type="core.notification", action="update").get()
    assert marked.actor == people["liaison"] and marked.changes["ids"] == [theirs]
    assert liaison.post("/api/v1/notifications/read", {}).json() == {"marked": 0}
    assert AuditEvent.objects.filter(object_type="core.notification", action="update").count() == 1
    client.force_login(people["liaison_mod"])
    assert "New instruction" in client.get("/notifications/").content.decode()
