"""Issue 12 in execution control: urgency and periodic reporting agree or are refused (by the service,
the form and the API); a due date moved off a day off says so; the instruction form pre-fills the acting
controller, lists co-executors by short name, ignores the reporting fields of a one-off instruction;
every action on an instruction's page says what it did, and the irreversible ones ask first."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kenes.accounts.models import Role
from kenes.control import services, workdays
from kenes.control.forms import short_name
from kenes.control.models import DeadlineChange, Instruction
from kenes.core.classification import Classification
from kenes.directory.models import Organization
from tests.conftest import make_org, make_user

D = dt.date
URGENT = ("very_urgent", "urgent", "operational")


def _en(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _day_off_ahead() -> dt.date:
    """A Saturday (a day off) two weeks or more after today, the day the page issues instructions on."""
    day = services.today() + dt.timedelta(days=14)
    while day.weekday() != 5 or workdays.is_working_day(day):
        day += dt.timedelta(days=1)
    return day


# --- the rule, in the service ----------------------------------------------------------------------


@pytest.mark.parametrize("urgency", URGENT)
@pytest.mark.parametrize("periodicity", ["monthly", "yearly"])
def test_an_urgent_instruction_with_periodic_reporting_is_refused_naming_both(issue, urgency, periodicity):
    with pytest.raises(ValidationError) as error:
        issue(urgency=urgency, periodicity=periodicity, report_day=5, period_end=D(2027, 6, 30), due_date=None)
    assert {"urgency", "periodicity"} <= set(error.value.message_dict)
    assert "Ordinary" in " ".join(error.value.message_dict["urgency"])
    assert not Instruction.objects.exists()


def test_urgency_gives_the_due_date_of_a_one_off_and_periodic_reporting_that_of_an_ordinary_one(issue):
    urgent = issue(urgency="urgent", due_date=D(2027, 3, 1))  # a date given with an urgency is not used
    assert urgent.due_date == workdays.add_working_days(D(2026, 11, 20), 3) == D(2026, 11, 25)
    assert services.urgency_holds(urgent)
    periodic = issue(urgency="ordinary", periodicity="monthly", report_day=5, period_end=D(2027, 6, 30), due_date=None)
    assert periodic.due_date == D(2026, 12, 4)  # the 5th of December 2026 is a Saturday
    assert services.urgency_holds(periodic)


def test_a_due_date_on_a_day_off_keeps_the_date_asked_for(issue, people):
    moved = issue(due_date=D(2026, 12, 12))  # a Saturday
    assert moved.due_date == D(2026, 12, 11)
    assert moved.deadline_changes.get().moved_from == D(2026, 12, 12)
    kept = issue(due_date=D(2026, 12, 10))
    assert kept.deadline_changes.get().moved_from is None
    request = services.request_extension(moved, actor=people["liaison"], due_date=D(2026, 12, 27), reason="x")
    services.decide_extension(request, actor=people["secretary"], approve=True)
    change = DeadlineChange.objects.filter(instruction=moved).last()
    assert (change.kind, change.new_due_date, change.moved_from) == ("extension", D(2026, 12, 25), D(2026, 12, 27))


def test_the_api_lists_the_date_asked_for_of_a_moved_due_date(api, issue, people):
    moved = issue(due_date=D(2026, 12, 12))
    changes = api(people["controller"]).get(f"/api/v1/instructions/{moved.pk}/deadlines").json()
    assert [(c["new_due_date"], c["moved_from"]) for c in changes] == [("2026-12-11", "2026-12-12")]


def test_an_extended_urgent_instruction_no_longer_claims_its_urgency(client, issue, people):
    urgent = issue(urgency="urgent", due_date=None)
    page = _en(client, people["controller"]).get(reverse("control:instruction-detail", args=[urgent.pk])).content
    assert b'id="urgency-note"' not in page
    request = services.request_extension(urgent, actor=people["liaison"], due_date=D(2026, 12, 30), reason="x")
    services.decide_extension(request, actor=people["secretary"], approve=True)
    urgent.refresh_from_db()
    assert not services.urgency_holds(urgent)
    page = client.get(reverse("control:instruction-detail", args=[urgent.pk])).content.decode()
    assert 'id="urgency-note"' in page and "the due date has changed since" in page


# --- the rule, in the API ----------------------------------------------------------------------------


def _payload(bodies, people, **changes):
    return {
        "text": "Report on the flood barriers.",
        "lead_executor": bodies["mia"].pk,
        "controller": people["controller"].pk,
        **changes,
    }


def test_the_api_refuses_urgent_periodic_reporting_naming_both_fields(api, bodies, people):
    client = api(people["controller"])
    answer = client.post(
        "/api/v1/instructions",
        _payload(bodies, people, urgency="urgent", periodicity="monthly", report_day=5, period_end="2027-06-30"),
    )
    assert answer.status_code == 422, answer.content
    fields = {tuple(error["loc"]) for error in answer.json()["errors"]}
    assert {("body", "urgency"), ("body", "periodicity")} <= fields
    assert "Ordinary" in answer.content.decode()
    assert not Instruction.objects.exists()
    # no new field is required: an urgent one-off and an ordinary periodic one are given as before
    assert client.post("/api/v1/instructions", _payload(bodies, people, urgency="urgent")).status_code == 201
    periodic = _payload(bodies, people, periodicity="quarterly", report_day=5, period_end="2027-06-30")
    assert client.post("/api/v1/instructions", periodic).status_code == 201


@pytest.mark.parametrize(
    "changes",
    [
        {"urgency": "very_urgent", "periodicity": "yearly", "report_day": 99, "period_end": "2027-06-30"},
        {"urgency": "operational", "periodicity": "monthly", "report_day": 5, "period_end": "1999-01-01"},
        {"urgency": "urgent", "periodicity": "hourly"},
        {"urgency": "<script>alert(1)</script>", "periodicity": "monthly"},
        {"urgency": "urgent", "periodicity": "monthly", "report_day": 10**30, "period_end": "2027-02-30"},
    ],
)
def test_the_api_refuses_impossible_combinations_without_a_500(api, bodies, people, changes):
    answer = api(people["controller"]).post("/api/v1/instructions", _payload(bodies, people, **changes))
    assert answer.status_code in (400, 422), answer.content
    assert answer.json()["errors"]
    assert not Instruction.objects.exists()


# --- the form ------------------------------------------------------------------------------------------


def _form_data(bodies, people, **changes):
    return {
        "text": "Check the shelters.",
        "lead_executor": bodies["mia"].pk,
        "controller": people["controller"].pk,
        "urgency": "ordinary",
        "due_date": (services.today() + dt.timedelta(days=20)).isoformat(),
        "periodicity": "none",
        "classification": int(Classification.OFFICIAL),
        **changes,
    }


def _selected_controller(page: str) -> str:
    select = page.split('name="controller"')[1].split("</select>")[0]
    return re.search(r'<option value="(\d+)"[^>]*selected', select).group(1)


@pytest.mark.parametrize("role", ["controller", "secretary", "chair"])
def test_the_form_pre_fills_the_acting_controller(client, people, role):
    page = _en(client, people[role]).get(reverse("control:instruction-new")).content.decode()
    assert _selected_controller(page) == str(people[role].pk)


def test_an_author_not_cleared_to_the_level_is_offered_a_controller_who_is(people, orgs):
    low = make_user("controller_low", Role.CONTROLLER, Classification.OFFICIAL, orgs["apparatus"])
    assert services.acting_controller(low, Classification.OFFICIAL) == low
    offered = services.acting_controller(low, Classification.SECRET)
    assert offered is not None and offered != low and offered.clearance >= Classification.SECRET


def test_co_executors_are_listed_by_short_name_with_the_full_name_as_title(client, people):
    Organization.objects.create(
        code="mia-real",
        kind=Organization.Kind.MINISTRY,
        name_kk="Қазақстан Республикасының Ішкі істер министрлігі",
        name_ru="Министерство внутренних дел Республики Казахстан",
        name_en="Ministry of Internal Affairs of the Republic of Kazakhstan",
    )
    client.force_login(people["controller"])
    for language, short, full in [
        ("kk", "Ішкі істер министрлігі", "Қазақстан Республикасының Ішкі істер министрлігі"),
        ("ru", "Министерство внутренних дел", "Министерство внутренних дел Республики Казахстан"),
        ("en", "Ministry of Internal Affairs", "Ministry of Internal Affairs of the Republic of Kazakhstan"),
    ]:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        page = client.get(reverse("control:instruction-new")).content.decode()
        select = page.split('name="co_executors"')[1].split("</select>")[0]
        assert f'title="{full}"' in select and f">{short}</option>" in select, language
        assert "data-multiselect" in page and "kenes/multiselect.js" in page
    assert short_name("Қазақстан Республикасы Президентінің Әкімшілігі") == "Президентінің Әкімшілігі"
    assert short_name("Ақмола облысының әкімдігі") == "Ақмола облысының әкімдігі"
    assert short_name("Қазақстан Республикасының ") == "Қазақстан Республикасының "


def test_the_reporting_fields_show_only_for_periodic_reporting(client, people):
    page = _en(client, people["controller"]).get(reverse("control:instruction-new")).content.decode()
    for name in ("report_day", "period_end"):
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)
        assert "data-show-when" in tag and "monthly" in tag and "none" not in tag


def test_the_form_ignores_the_reporting_fields_of_a_one_off_instruction(client, bodies, people):
    data = _form_data(bodies, people, report_day="<b>99</b>", period_end="2026-02-30")
    answer = _en(client, people["controller"]).post(reverse("control:instruction-new"), data)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    instruction = Instruction.objects.get()
    assert (instruction.periodicity, instruction.report_day, instruction.period_end) == ("none", None, None)


def test_the_form_ignores_the_due_date_of_an_urgent_instruction(client, bodies, people):
    data = _form_data(bodies, people, urgency="urgent", due_date="not a date")
    assert _en(client, people["controller"]).post(reverse("control:instruction-new"), data).status_code == 302
    instruction = Instruction.objects.get()
    assert instruction.due_date == workdays.add_working_days(services.today(), 3)


def test_the_form_refuses_urgent_periodic_reporting_under_both_fields(client, bodies, people):
    data = _form_data(bodies, people, urgency="urgent", periodicity="monthly", report_day="5", period_end="2027-06-30")
    answer = _en(client, people["controller"]).post(reverse("control:instruction-new"), data)
    assert answer.status_code == 422
    page = answer.content.decode()
    for name in ("urgency", "periodicity"):
        field = page.split(f'name="{name}"')[1].split('<div class="field">')[0]
        assert "errorlist" in field, name
    assert "Ordinary" in page and not Instruction.objects.exists()


def test_saving_says_when_a_day_off_moved_the_due_date(client, bodies, people):
    saturday = _day_off_ahead()
    data = _form_data(bodies, people, due_date=saturday.isoformat())
    answer = _en(client, people["controller"]).post(reverse("control:instruction-new"), data, follow=True)
    page = answer.content.decode()
    instruction = Instruction.objects.get()
    assert instruction.due_date < saturday
    asked = saturday.strftime("Sat %d.%m.%Y")
    assert f"{asked} is a day off" in page and "was given" in page
    assert 'id="due-date-moved"' in page and f"moved from {asked}" in page


def test_the_form_page_asks_a_bounded_number_of_queries(client, people):
    _en(client, people["controller"])
    url = reverse("control:instruction-new")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(25):
        make_org(f"body-{n}")
        make_user(f"controller-{n}", Role.CONTROLLER, Classification.SECRET)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few) <= 20


# --- what every action says, and which ask first ---------------------------------------------------------


def _post(client, instruction, action, data, user):
    url = reverse("control:instruction-action", args=[instruction.pk, action])
    return _en(client, user).post(url, data, follow=True).content.decode()


def test_reviewing_says_what_it_did(client, issue, people):
    instruction = issue()
    report = services.submit_report(instruction, actor=people["liaison"], text="Half done.")
    returned = {"report": report.pk, "outcome": "return", "comment": "More."}
    page = _post(client, instruction, "review", returned, people["controller"])
    assert "The report was returned to" in page
    report = services.submit_report(instruction, actor=people["liaison"], text="Done.")
    page = _post(client, instruction, "review", {"report": report.pk, "outcome": "accept"}, people["controller"])
    assert f"instruction {instruction.number} is executed" in page


def test_accepting_a_periodic_report_names_the_next_due_date(client, issue, people):
    instruction = issue(periodicity="monthly", report_day=10, period_end=D(2027, 6, 30), due_date=None)
    report = services.submit_report(instruction, actor=people["liaison"], text="November.")
    page = _post(client, instruction, "review", {"report": report.pk, "outcome": "accept"}, people["controller"])
    assert "the next report is due" in page


def test_extensions_say_what_was_asked_and_decided(client, issue, people):
    instruction = issue()
    page = _post(client, instruction, "extension", {"due_date": "2026-12-27", "reason": "x"}, people["controller"])
    assert "was sent to the secretary" in page
    request = instruction.extension_requests.get()
    page = _post(client, instruction, "approve", {"request": request.pk}, people["secretary"])
    assert "The extension was approved" in page and "Sun 27.12.2026 is a day off" in page
    services.request_extension(instruction, actor=people["controller"], due_date=D(2027, 1, 29), reason="y")
    refused = instruction.extension_requests.filter(status="pending").get()
    page = _post(client, instruction, "refuse", {"request": refused.pk}, people["secretary"])
    assert "was refused" in page


def test_withdrawing_says_so(client, issue, people):
    instruction = issue()
    page = _post(client, instruction, "withdraw", {"reason": "Superseded."}, people["secretary"])
    assert f"Instruction {instruction.number} was withdrawn from control." in page


def test_the_irreversible_buttons_ask_first(client, issue, people):
    instruction = issue()
    services.request_extension(instruction, actor=people["liaison"], due_date=D(2026, 12, 24), reason="x")
    services.submit_report(instruction, actor=people["liaison"], text="Done.")
    page = _en(client, people["secretary"]).get(reverse("control:instruction-detail", args=[instruction.pk]))
    buttons = re.findall(r"<button[^>]*>[^<]*</button>", page.content.decode())
    asking = {re.sub(r"<[^>]+>", "", b) for b in buttons if "data-confirm=" in b}
    assert {"Record the review", "Approve", "Refuse", "Withdraw"} <= asking
    assert "Send the request" not in asking  # asking for time is not irreversible
