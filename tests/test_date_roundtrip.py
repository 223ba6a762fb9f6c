"""Pages with a pre-filled date, opened in each language and saved unchanged, save (issue 12, item 1):
``<input type=date>`` shows only an ISO value, so a localised one came back blank and "required"."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.urls import reverse

from kenes.council import services as council
from tests.formvalues import form_values
from tests.records import an_indicator

LANGUAGES = ["kk", "ru", "en"]


def _speak(client, user, language):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language


def _date_inputs(html: str, name: str) -> str:
    match = re.search(rf'<input type="date" name="{re.escape(name)}" value="([^"]*)"', html)
    assert match, f"no date input {name}"
    return match.group(1)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_sessions_details_are_saved_unchanged(client, users, language):
    meeting = council.create_meeting(actor=users["secretary"], title="Session", date=dt.date(2026, 12, 17))
    _speak(client, users["secretary"], language)
    page = client.get(reverse("council:meeting-detail", args=[meeting.pk]))
    html = page.content.decode()
    assert f'lang="{language}"' in html
    assert _date_inputs(html, "edit-date") == "2026-12-17"
    values, _types = form_values(html, reverse("council:meeting-edit", args=[meeting.pk]))
    assert values["edit-date"] == ["2026-12-17"]
    values["edit-title"] = ["Session renamed"]  # something changes, so the save is a real one

    response = client.post(reverse("council:meeting-edit", args=[meeting.pk]), values)

    assert response.status_code == 302, response.content.decode()[:3000]
    meeting.refresh_from_db()
    assert (meeting.title, meeting.date) == ("Session renamed", dt.date(2026, 12, 17))


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_indicators_baseline_is_saved_unchanged(client, users, orgs, language):
    indicator = an_indicator(users, orgs, targets=[(dt.date(2026, 1, 1), 120.0)])
    _speak(client, users["analyst"], language)
    url = reverse("strategy:indicator-edit", args=[indicator.pk])
    html = client.get(url).content.decode()
    assert _date_inputs(html, "baseline_period") == "2020-01-01"
    values, _types = form_values(html, None)

    response = client.post(url, values)

    assert response.status_code == 302, response.content.decode()[:3000]
    indicator.refresh_from_db()
    assert indicator.baseline_period == dt.date(2020, 1, 1)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_discipline_period_is_read_back_unchanged(client, users, language):
    _speak(client, users["controller"], language)
    url = reverse("control:discipline")
    html = client.get(url).content.decode()
    values, types = form_values(html, None, method="get")
    assert types["issued_from"] == types["issued_to"] == "date"
    assert re.fullmatch(r"\d{4}-01-01", values["issued_from"][0])

    again = client.get(url, {k: v[0] for k, v in values.items()})

    assert again.status_code == 200
    assert again.context["form"].is_valid(), again.context["form"].errors
    assert _date_inputs(again.content.decode(), "issued_from") == values["issued_from"][0]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_situation_report_takes_the_dates_its_pickers_give(client, users, language):
    _speak(client, users["analyst"], language)
    url = reverse("threats:report-new")
    assert client.get(url).status_code == 200

    response = client.post(
        url, {"title": "Quarter", "period_start": "2026-10-01", "period_end": "2026-12-31", "classification": ""}
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    refused = client.post(
        url, {"title": "Quarter", "period_start": "2026-10-01", "period_end": "", "classification": ""}
    )
    assert refused.status_code == 422
    assert _date_inputs(refused.content.decode(), "period_start") == "2026-10-01"
