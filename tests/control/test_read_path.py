"""One read path: every page, endpoint and export reading an instruction logs the read (or export) of a
secret one exactly once per request, and of an official one never; business actions name themselves."""

import datetime as dt

import pytest
from django.db.models.signals import post_save
from django.urls import reverse

from kenes.control import services
from kenes.control.choices import InstructionStatus
from kenes.control.models import ExecutionReport, ExtensionRequest, Instruction
from kenes.core import context
from kenes.core.classification import Classification
from kenes.core.models import AuditEvent

LOOKS = (AuditEvent.Action.READ, AuditEvent.Action.DOWNLOAD, AuditEvent.Action.EXPORT)


@pytest.fixture
def pair(issue):
    """A secret instruction and an official one, issued in November 2026."""
    return {
        "secret": issue(text="Alpha: guard the border posts.", classification=Classification.SECRET),
        "official": issue(text="Beta: publish the road statistics.", classification=Classification.OFFICIAL),
    }


def _looks_during(request) -> list[tuple[str, str, str]]:
    """The reads, downloads and exports logged while ``request()`` runs: (action, object type, id)."""
    last = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    response = request()
    assert response.status_code == 200, response.content[:300]
    logged = AuditEvent.objects.filter(seq__gt=last, action__in=LOOKS).order_by("seq")
    return list(logged.values_list("action", "object_type", "object_id"))


def _about(instruction: Instruction, action: str = AuditEvent.Action.READ) -> list[tuple[str, str, str]]:
    return [(action, "control.instruction", str(instruction.pk))]


@pytest.mark.parametrize("level", ["secret", "official"])
def test_the_page_of_an_instruction_logs_one_read_of_a_secret_one(client, people, pair, level):
    client.force_login(people["secretary"])
    instruction = pair[level]
    looks = _looks_during(lambda: client.get(reverse("control:instruction-detail", args=[instruction.pk])))
    assert looks == (_about(instruction) if level == "secret" else [])


@pytest.mark.parametrize("level", ["secret", "official"])
def test_the_api_logs_one_read_of_a_secret_instruction(api, people, pair, level):
    instruction = pair[level]
    looks = _looks_during(lambda: api(people["secretary"]).get(f"/api/v1/instructions/{instruction.pk}"))
    assert looks == (_about(instruction) if level == "secret" else [])


@pytest.mark.parametrize("level", ["secret", "official"])
def test_withdrawing_through_the_api_logs_one_read_not_two(api, people, pair, level):
    instruction = pair[level]
    answer = []

    def withdraw():
        response = api(people["secretary"]).patch(
            f"/api/v1/instructions/{instruction.pk}", {"status": "withdrawn", "reason": "Overtaken by events."}
        )
        answer.append(response)
        return response

    assert _looks_during(withdraw) == (_about(instruction) if level == "secret" else [])
    assert answer[0].json()["status"] == "withdrawn"
    assert answer[0].json()["co_executors"] == [instruction.executors.get(is_lead=False).organization_id]
    instruction.refresh_from_db()
    assert instruction.status == InstructionStatus.WITHDRAWN


def test_an_action_on_the_page_logs_one_read(client, people, pair):
    client.force_login(people["secretary"])
    instruction = pair["secret"]
    url = reverse("control:instruction-action", args=[instruction.pk, "withdraw"])
    last = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    response = client.post(url, {"reason": "Overtaken by events."})
    assert response.status_code == 302
    looks = AuditEvent.objects.filter(seq__gt=last, action__in=LOOKS)
    assert list(looks.values_list("action", "object_id")) == [(AuditEvent.Action.READ, str(instruction.pk))]


def test_an_unknown_action_is_404_and_reads_nothing(client, people, pair):
    client.force_login(people["secretary"])
    last = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    url = reverse("control:instruction-action", args=[pair["secret"].pk, "shred"])
    assert client.post(url).status_code == 404
    assert not AuditEvent.objects.filter(seq__gt=last).exists()


def test_the_list_export_logs_the_export_of_the_secret_instructions_in_it(client, people, pair):
    client.force_login(people["secretary"])
    url = reverse("control:instruction-export")
    assert _looks_during(lambda: client.get(url)) == _about(pair["secret"], AuditEvent.Action.EXPORT)
    assert _looks_during(lambda: client.get(url, {"q": "Beta"})) == []


def test_a_list_export_of_many_secret_instructions_is_one_event_naming_them(client, people, pair, issue):
    top = issue(text="Gamma: seal the archive.", classification=Classification.SECRET)
    client.force_login(people["secretary"])
    assert _looks_during(lambda: client.get(reverse("control:instruction-export"))) == [
        (AuditEvent.Action.EXPORT, "control.instruction", "")
    ]
    event = AuditEvent.objects.order_by("-seq").first()
    assert event.classification == Classification.SECRET
    assert event.changes == {"exported": {"control.instruction": sorted([pair["secret"].pk, top.pk])}, "count": 2}


def test_the_export_is_a_file_never_cached(client, people, pair):
    client.force_login(people["secretary"])
    response = client.get(reverse("control:instruction-export"))
    assert response["Content-Disposition"].startswith("attachment;")
    assert "instructions.xlsx" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"


def test_the_discipline_export_logs_the_secret_instructions_it_counts(client, people, pair):
    client.force_login(people["secretary"])
    url = reverse("control:discipline-export")
    november = {"issued_from": "2026-11-01", "issued_to": "2026-11-30"}
    assert _looks_during(lambda: client.get(url, november)) == _about(pair["secret"], AuditEvent.Action.EXPORT)
    october = {"issued_from": "2026-10-01", "issued_to": "2026-10-31"}
    assert _looks_during(lambda: client.get(url, october)) == []


def test_a_reader_cleared_below_secret_logs_nothing_and_gets_404(api, people, pair):
    """The liaison of the lead body is cleared to official: the secret instruction is not his to read."""
    last = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    assert api(people["liaison"]).get(f"/api/v1/instructions/{pair['secret'].pk}").status_code == 404
    assert not AuditEvent.objects.filter(seq__gt=last, action__in=LOOKS).exists()


@pytest.fixture
def named():
    """The business action in effect each time an instruction, a report or an extension request is saved."""
    seen: list[tuple[str, str]] = []

    def spy(sender, instance, **kwargs):
        seen.append((sender.__name__, context.action_name()))

    for model in (Instruction, ExecutionReport, ExtensionRequest):
        post_save.connect(spy, sender=model, weak=False, dispatch_uid=f"named-{model.__name__}")
    yield seen
    for model in (Instruction, ExecutionReport, ExtensionRequest):
        post_save.disconnect(sender=model, dispatch_uid=f"named-{model.__name__}")


def test_the_business_actions_of_control_name_themselves(issue, people, named):
    instruction = issue()
    assert ("Instruction", "issue") in named
    named.clear()
    report = services.submit_report(instruction, actor=people["liaison"], text="Done.")
    assert named == [("ExecutionReport", "submit"), ("Instruction", "submit")]
    named.clear()
    services.review_report(report, actor=people["controller"], outcome="return", comment="Give figures.")
    assert {name for _model, name in named} == {"return"}
    report = services.submit_report(instruction, actor=people["liaison"], text="Done, with figures.")
    named.clear()
    services.review_report(report, actor=people["controller"], outcome="accept", on=dt.date(2026, 12, 1))
    assert {name for _model, name in named} == {"accept"}


def test_extensions_and_controllers_name_their_actions(issue, people, named):
    instruction = issue()
    named.clear()
    asked = services.request_extension(instruction, actor=people["liaison"], due_date=dt.date(2026, 12, 24), reason="x")
    assert named == [("ExtensionRequest", "request")]
    named.clear()
    services.decide_extension(asked, actor=people["secretary"], approve=True)
    assert {name for _model, name in named} == {"approve"}
    refused = services.request_extension(
        instruction, actor=people["liaison"], due_date=dt.date(2026, 12, 30), reason="y"
    )
    named.clear()
    services.decide_extension(refused, actor=people["secretary"], approve=False)
    assert named == [("ExtensionRequest", "refuse")]
    named.clear()
    services.withdraw(instruction, actor=people["secretary"], reason="Overtaken by events.")
    assert named == [("Instruction", "withdraw")]


def test_deciding_an_extension_through_the_api_reads_its_instruction_once(api, people, pair):
    instruction = pair["secret"]
    asked = services.request_extension(
        instruction, actor=people["controller"], due_date=dt.date(2026, 12, 24), reason="The commission sits late."
    )
    decide = f"/api/v1/extensions/{asked.pk}/decision"
    assert _looks_during(lambda: api(people["secretary"]).post(decide, {"approve": True})) == _about(instruction)
    instruction.refresh_from_db()
    assert instruction.due_date == dt.date(2026, 12, 24)


def test_an_extension_missing_or_on_an_unseen_instruction_is_404(api, people, pair):
    asked = services.request_extension(
        pair["secret"], actor=people["controller"], due_date=dt.date(2026, 12, 24), reason="The commission sits late."
    )
    assert (
        api(people["secretary"]).post(f"/api/v1/extensions/{asked.pk + 1000}/decision", {"approve": True}).status_code
        == 404
    )
    assert api(people["liaison"]).post(f"/api/v1/extensions/{asked.pk}/decision", {"approve": True}).status_code == 404
    asked.refresh_from_db()
    assert asked.status == "pending"
