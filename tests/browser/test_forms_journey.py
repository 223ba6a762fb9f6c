"""Issue 12 (items 1, 5, 7) as the secretary clicks it in Kazakh, Russian and English: a session's pre-filled
date shows and saves unchanged; a missing page is the styled 404 with the way home; a refused agenda item's
error sits under the field it concerns."""

import datetime as dt

from playwright.sync_api import Page, expect

from kenes.council import services as council
from tests.browser.test_journey import log_in


def _switch_language(page: Page, language: str) -> None:
    page.locator("#language-select").select_option(language)
    expect(page.locator("html")).to_have_attribute("lang", language)


def test_dates_and_error_pages_in_every_language(page: Page, live_server, users, orgs):
    meeting = council.create_meeting(actor=users["secretary"], title="Session", date=dt.date(2026, 12, 17))
    detail = f"{live_server.url}/council/sessions/{meeting.pk}/"
    log_in(page, live_server, "secretary")

    for language in ("kk", "ru", "en"):
        page.goto(detail)
        _switch_language(page, language)
        page.locator("#edit-session summary").click()
        date_input = page.locator("#edit-session input[name=edit-date]")
        expect(date_input).to_have_value("2026-12-17")
        page.locator("#edit-session button[type=submit]").click()
        expect(page.locator(".message-success")).to_have_count(1)
        expect(page.locator("#edit-session .errorlist")).to_have_count(0)
        assert page.url == detail

        page.goto(f"{live_server.url}/no/such/page/")
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.locator("#error-title")).to_be_visible()
        expect(page.locator("#main-nav")).to_be_visible()  # inside the shell
        page.locator(".error-home").click()
        expect(page).to_have_url(f"{live_server.url}/")
        expect(page.locator("#error-title")).to_have_count(0)

    meeting.refresh_from_db()
    assert meeting.date == dt.date(2026, 12, 17)

    # a hearing without the body heard: the error hangs under "Body heard", not beside "Speaker"
    page.goto(detail)
    add_item = page.locator("#add-item")
    add_item.get_by_label("Question", exact=True).fill("Report of the Minister")
    add_item.get_by_label("Kind", exact=True).select_option("head_hearing")
    add_item.get_by_label("Speaker", exact=True).fill("Minister Smith")
    page.get_by_role("button", name="Add to the agenda").click()
    error = page.locator("#id_body_error")
    expect(error).to_be_visible()
    expect(add_item.get_by_label("Speaker", exact=True)).to_have_value("Minister Smith")
    body, speaker, message = (
        add_item.get_by_label("Body heard", exact=True).bounding_box(),
        add_item.get_by_label("Speaker", exact=True).bounding_box(),
        error.bounding_box(),
    )
    assert body and speaker and message
    assert message["y"] >= body["y"] + body["height"] - 1  # below the body's select
    assert body["x"] - 1 <= message["x"] < body["x"] + body["width"]  # in its column
    # beside no other input: the speaker's input is not level with the error
    assert not (speaker["y"] < message["y"] + message["height"] and message["y"] < speaker["y"] + speaker["height"])
