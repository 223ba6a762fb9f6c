"""The error pages (issue 12, item 5): styled, inside the shell, in the reader's language, with the way home;
the API's errors stay JSON."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.test import Client

EXPECTED = {  # the title of the page, from strings the catalogues already hold
    "kk": {
        404: "Табылмады.",
        403: "Сізге бұл әрекетке рұқсат жоқ.",
        400: "Енгізілген деректер жарамсыз.",
        "home": "Басты бет",
    },
    "ru": {404: "Не найдено.", 403: "У вас нет прав на это действие.", 400: "Некорректные данные.", "home": "Главная"},
    "en": {404: "Not found.", 403: "You may not do this.", 400: "Invalid input.", "home": "Dashboard"},
}
LANGUAGES = list(EXPECTED)


@pytest.fixture(autouse=True)
def _errors_urls(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.testapp.urls"


def _client(language, user=None, **kwargs):
    client = Client(raise_request_exception=False, **kwargs)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if user is not None:
        client.force_login(user)
    return client


def _assert_styled(response, status, language):
    html = response.content.decode()
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert f'<html lang="{language}">' in html
    assert "/static/kenes/kenes.css" in html
    assert 'class="error-home" href="/"' in html
    assert f">{EXPECTED[language]['home']}</a>" in html
    return html


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_missing_page_is_the_styled_404_in_the_readers_language(users, language):
    client = _client(language, users["analyst"])

    html = _assert_styled(client.get("/no/such/page/"), 404, language)

    assert f'<h1 id="error-title">{EXPECTED[language][404]}</h1>' in html
    assert 'id="main-nav"' in html  # inside the shell: the navigation of a signed-in reader
    if language != "en":
        assert "Not found" not in html and "Page not found" not in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_hidden_record_reads_like_a_missing_one(users, language):
    from kenes.council import services

    meeting = services.create_meeting(actor=users["secretary"], title="Closed session", date=dt.date(2026, 12, 17))
    client = _client(language, users["liaison"])  # an official-level liaison cannot see a secret session

    hidden = client.get(f"/council/sessions/{meeting.pk}/")
    missing = client.get(f"/council/sessions/{meeting.pk + 1000}/")

    _assert_styled(hidden, 404, language)
    assert "Closed session" not in hidden.content.decode()
    assert _comparable(hidden, meeting.pk) == _comparable(missing, meeting.pk + 1000)


def _comparable(response, pk):
    html = response.content.decode().replace(f"/{pk}/", "/ID/")
    return re.sub(r'(csrf-token="|name="csrfmiddlewaretoken" value=")[^"]+', r"\1", html)


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_anonymous_reader_gets_the_styled_404_too(db, language):
    html = _assert_styled(_client(language).get("/no/such/page/"), 404, language)
    assert EXPECTED[language][404] in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_refused_action_is_the_styled_403_with_its_reason(users, language):
    html = _assert_styled(_client(language, users["analyst"]).get("/test-errors/403/"), 403, language)
    assert EXPECTED[language][403] in html
    assert "Only the secretary may do this." in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_unreadable_request_is_the_styled_400(users, language):
    html = _assert_styled(_client(language, users["analyst"]).get("/test-errors/400/"), 400, language)
    assert EXPECTED[language][400] in html


def _break_the_shell(monkeypatch):
    """The shell's context processor fails at once (as when the database is what failed)."""
    from kenes.core import navigation

    def broken(*args, **kwargs):
        raise RuntimeError("the shell's context failed")

    monkeypatch.setattr(navigation, "items_for", broken)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_failure_is_the_self_contained_500(users, language, monkeypatch):
    _break_the_shell(monkeypatch)
    html = _assert_styled(_client(language, users["analyst"]).get("/test-errors/500/"), 500, language)
    assert "a failure the error page must not show" not in html
    assert "Traceback" not in html


def test_a_404_whose_shell_fails_is_still_the_styled_page(users, monkeypatch):
    _break_the_shell(monkeypatch)
    html = _assert_styled(_client("kk", users["analyst"]).get("/no/such/page/"), 404, "kk")
    assert EXPECTED["kk"][404] in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_refused_csrf_token_is_the_styled_403(users, language):
    client = _client(language, users["analyst"], enforce_csrf_checks=True)

    html = _assert_styled(client.post("/accounts/logout/"), 403, language)

    assert EXPECTED[language][403] in html
    assert "CSRF" not in html  # not Django's bare page


def test_the_api_answers_json_for_what_is_missing(users):
    client = _client("kk", users["analyst"])

    unknown = client.get("/api/v1/no-such-resource")
    record = client.get("/api/v1/meetings/999999")

    for response in (unknown, record):
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/json")
        assert "detail" in response.json()


def test_the_api_answers_json_for_a_failure(rf):
    from kenes.core import errors

    response = errors.server_error(rf.get("/api/v1/meetings"))

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
