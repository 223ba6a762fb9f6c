"""Generated texts are stored as a code and parameters and read in the reader's language, with the
reader's number and date formats: notifications, import errors, holiday names (alerts and forecast
notes are tested with their modules). The worker writes in Kazakh; English and Russian readers read
their own language. The expected texts are the templates rendered by Django under each language, so
the tests stay true once the catalogues are filled."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.core import mail
from django.utils import formats, translation
from django.utils.translation import gettext, ngettext, pgettext

from kenes.control import workdays
from kenes.core import notifications, tabular, texts
from kenes.core.classification import Classification
from kenes.core.models import ImportJob, Notification
from tests.council.conftest import decided_session

READERS = ("en", "ru")
KENES = Path(__file__).resolve().parents[2] / "kenes"


def grouped(value) -> str:
    """A number as Django formats it, grouped, in the active language."""
    return formats.number_format(value, use_l10n=True, force_grouping=True)


def test_numbers_are_in_the_readers_format():
    with translation.override("en"):
        assert texts.number(1234.5) == grouped(1234.5) == "1,234.5"
        assert texts.number(1_000_000) == "1,000,000"
    with translation.override("ru"):
        assert texts.number(1234.5) == grouped(1234.5) == "1\xa0234,5"
    with translation.override("kk"):  # Django has no Kazakh formats: Kenes writes them as Kazakh documents do
        assert texts.number(1234.5) == "1\xa0234,5"
        assert texts.date_shown(dt.date(2026, 3, 5)) == "05.03.2026"
    with translation.override("en"):
        assert texts.number(float("nan")) == "nan" and texts.number(1 / 3) == "0.333333"
        assert texts.number(123456789.123) == "123,456,789"  # whole figures are never rounded away
        assert texts.number(-0.000012345) == "-0.000012345" and texts.number(12.0) == "12"


def test_an_unknown_code_or_parameters_that_no_longer_fit_render_the_fallback():
    assert texts.render("removed.code", {"x": 1}, fallback="as written") == "as written"
    assert texts.render("control.instruction_overdue", {}, fallback="as written") == "as written"
    assert texts.render_stored({"code": "removed.code", "params": {}}, fallback="old") == "old"
    assert texts.render_stored("not a dict", fallback="old") == "old"
    for language in ("kk", "ru", "en"):
        with translation.override(language):
            neutral = gettext("A message that can no longer be shown.")
            assert texts.render("removed.code") == neutral
            assert texts.render("", None) == neutral
            assert texts.render_stored({"code": "removed.code"}) == neutral
    with pytest.raises(KeyError):
        texts.text("removed.code")
    with pytest.raises(KeyError):
        texts.label("removed.code")


def test_a_count_chooses_its_plural_and_is_shown_in_the_readers_format():
    for language in ("kk", "ru", "en"):
        with translation.override(language):
            for days in (1, 2, 5, 21, 1234):
                expected = ngettext(
                    "Instruction %(number)s is due in %(days)s day",
                    "Instruction %(number)s is due in %(days)s days",
                    days,
                ) % {"number": "7/2026", "days": grouped(days) if language != "kk" else texts.number(days)}
                assert texts.render("control.instruction_reminder", {"number": "7/2026", "days": days}) == expected


def test_labels_and_dates_inside_a_text_are_translated_when_read():
    params = {
        "day": texts.date(dt.date(2026, 3, 5)),
        "frequency": texts.label("frequency.monthly"),
        "start": texts.date(dt.date(2026, 3, 1)),
    }
    for language in READERS:
        with translation.override(language):
            expected = gettext("%(day)s is not the first day of a %(frequency)s period; write it as %(start)s.") % {
                "day": formats.date_format(dt.date(2026, 3, 5), "DATE_FORMAT"),
                "frequency": gettext("monthly"),
                "start": formats.date_format(dt.date(2026, 3, 1), "DATE_FORMAT"),
            }
            assert texts.render("import.not_period_start", params) == expected


def test_the_catalogue_is_complete_and_every_text_renders_with_its_parameters():
    codes = texts.codes()
    assert len(codes) == len(set(codes)) > 40
    names = set(re.findall(r"%\((\w+)\)", (KENES / "core" / "text_codes.py").read_text(encoding="utf-8")))
    params = dict.fromkeys(names, 1)  # each a count, a number and a string at once
    for code in codes:
        for language in ("kk", "ru", "en"):
            with translation.override(language):
                shown = texts.render(code, params, fallback="FALLBACK")
                assert shown and shown != "FALLBACK" and "%(" not in shown, code


# -- Notifications ----------------------------------------------------------------------------------


@pytest.fixture
def issued(users, orgs):
    """An instruction issued while the worker's language (Kazakh) is active: its liaison is notified."""
    with translation.override("kk"):
        chain = decided_session(users, orgs["mia"], users["controller"], classification=Classification.PUBLIC)
    instruction = chain.instruction
    return instruction, Notification.objects.get(user=users["liaison"], key=f"issued:{instruction.pk}")


def test_a_notification_written_in_kazakh_is_read_in_the_readers_language(issued, users, api, client):
    instruction, notification = issued
    assert notification.code == "control.instruction_issued" and notification.params == {"number": instruction.number}
    with translation.override("kk"):
        kazakh = gettext("New instruction %(number)s") % {"number": instruction.number}
    assert notification.title == kazakh  # as written, for a removed code
    liaison = api(users["liaison"])
    client.force_login(users["liaison"])
    for language in READERS:
        with translation.override(language):
            expected = gettext("New instruction %(number)s") % {"number": instruction.number}
            assert notification.title_text == expected
        assert expected != kazakh
        titles = [
            n["title"]
            for n in liaison.get("/api/v1/notifications", headers={"Accept-Language": language}).json()["items"]
        ]
        assert expected in titles and kazakh not in titles
        page = client.get("/notifications/", headers={"Accept-Language": language}).content.decode()
        assert expected in page and kazakh not in page


def test_the_e_mail_is_in_the_recipients_language_and_carries_no_classified_text(users):
    chair = users["chair"]
    chair.preferred_language, chair.email = "ru", "chair@example.kz"
    chair.save()
    with translation.override("kk"):
        public = notifications.notify(
            chair, key="p", kind="x", code="control.instruction_overdue", params={"number": "5/2026"}
        )
        secret = notifications.notify(
            chair,
            key="s",
            kind="x",
            code="control.instruction_overdue",
            params={"number": "SECRET-NUMBER"},
            classification=Classification.SECRET,
        )
        public_mail, secret_mail = notifications.email_text(public), notifications.email_text(secret)
    with translation.override("ru"):
        assert public_mail[0] == "Kenes: " + gettext("Instruction %(number)s is overdue") % {"number": "5/2026"}
        assert secret_mail[0] == gettext("Kenes: you have a new notification")
    assert "SECRET-NUMBER" not in " ".join(secret_mail)
    del mail.outbox[:]


def test_a_notification_written_before_codes_shows_its_stored_text(users):
    old = Notification.objects.create(user=users["chair"], key="old", kind="x", title="Ескі хабар", body="Мәтін")
    for language in ("kk", "ru", "en"):
        with translation.override(language):
            assert (old.title_text, old.body_text) == ("Ескі хабар", "Мәтін")
    old.code = "removed.code"
    assert old.title_text == "Ескі хабар"


def test_no_notify_call_passes_a_pre_rendered_title():
    """Every ``notify(`` in the product passes a text code: a title written in the writer's language
    would reach every reader in it."""
    calls = 0
    for path in KENES.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        for match in re.finditer(r"\bnotify(?:_executors)?\(", source):
            if source[match.start() - 4 : match.start()] == "def ":
                continue
            call = _call_at(source, match.end())
            calls += 1
            assert not re.search(r"\btitle\s*=", call), f"{path}: notify(... title=...) {call[:120]}"
            assert re.search(r"\bcode\s*=", call), f"{path}: notify(...) without a text code {call[:120]}"
            for code in re.findall(r"\bcode\s*=\s*\"([\w.]+)\"", call):
                assert texts.is_defined(code), f"{path}: unknown text code {code}"
    assert calls >= 9


def _call_at(source: str, start: int) -> str:
    depth, index = 1, start
    while depth and index < len(source):
        depth += {"(": 1, ")": -1}.get(source[index], 0)
        index += 1
    return source[start:index]


# -- Import errors ----------------------------------------------------------------------------------


def test_a_stored_import_error_is_read_in_the_readers_language_with_its_row_in_his_format(users):
    with translation.override("kk"):
        errors = [
            tabular.RowError(1234, "value", texts.text("import.below_minimum", value=-1234.5, min=0.0)),
            tabular.RowError(3, "period", texts.text("import.period_twice", row=2)),
            tabular.RowError(0, "", "stored as it was"),
        ]
        job = ImportJob.objects.create(
            kind="strategy.measurements",
            owner=users["analyst"],
            filename="x.csv",
            status=ImportJob.Status.FAILED,
            errors=[error.as_dict() for error in errors],
            error_total=3,
        )
        kazakh = job.errors[0]["message"]
    for language in READERS:
        with translation.override(language):
            shown = job.errors_shown
            expected = gettext("%(value)s is below the smallest allowed value, %(min)s.") % {
                "value": grouped(-1234.5),
                "min": "0",
            }
            assert shown[0]["message"] == expected != kazakh
            assert shown[0]["row_shown"] == grouped(1234)
            assert shown[1]["message"] == gettext("This period is already given in row %(row)s.") % {"row": "2"}
            assert shown[2]["message"] == "stored as it was" and shown[2]["row_shown"] == ""


def test_an_import_run_by_the_worker_shows_its_errors_in_the_page_and_api_language(users, api, client):
    from kenes.core import imports

    analyst = users["analyst"]
    data = b"indicator,period,value\nNOPE,2021-01-01,1\n"
    with translation.override("kk"):
        job = imports.start("strategy.measurements", data, filename="m.csv", actor=analyst)
    job.refresh_from_db()
    assert job.status == "failed" and job.errors[0]["code"] == "import.unknown_indicator"
    client.force_login(analyst)
    for language in READERS:
        with translation.override(language):
            expected = gettext("Unknown indicator.")
        answer = api(analyst).get(f"/api/v1/imports/{job.pk}", headers={"Accept-Language": language})
        assert answer.status_code == 200
        assert answer.json()["errors"][0]["message"] == expected
        with translation.override(language):
            assert job.errors_shown[0]["message"] == expected


# -- Holidays ---------------------------------------------------------------------------------------


def test_holiday_names_are_in_the_readers_language():
    nowruz, moved = dt.date(2026, 3, 23), dt.date(2025, 1, 3)  # Nowruz; a day off moved from 5 January
    with translation.override("kk"):
        assert workdays.holiday_name(nowruz) == "Наурыз мейрамы"
    for language in READERS:
        with translation.override(language):
            assert workdays.holiday_name(nowruz) == pgettext("holiday", "Nowruz Holiday")
            assert workdays.holiday_name(moved) == pgettext("holiday", "Day off (moved from %(date)s)") % {
                "date": formats.date_format(dt.date(2025, 1, 5), "DATE_FORMAT")
            }
            assert workdays.holiday_name(dt.date(2026, 4, 15)) == ""
    with translation.override("en"):
        assert workdays.holiday_name(nowruz) == "Nowruz Holiday"


def test_the_calendar_page_and_api_name_holidays_in_the_readers_language(users, api, client):
    client.force_login(users["controller"])
    for language in ("kk", "ru", "en"):
        with translation.override(language):
            expected = workdays.holiday_name(dt.date(2026, 12, 16))
        days = api(users["liaison"]).get("/api/v1/calendar", {"year": 2026}, headers={"Accept-Language": language})
        assert {d["date"]: d["name"] for d in days.json()}["2026-12-16"] == expected
        page = client.get("/instructions/calendar/", {"year": 2026}, headers={"Accept-Language": language})
        assert expected in page.content.decode()
    with translation.override("kk"):
        assert workdays.holiday_name(dt.date(2026, 12, 16)) == "Тәуелсіздік күні"
