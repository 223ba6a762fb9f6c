"""Preparing and holding a session as the secretary and the chairman click it: create the session, build
and reorder the agenda, mark attendance, record votes, adopt a decision, sign the minutes, download DOCX."""

import io
import re

from docx import Document as DocxDocument
from playwright.sync_api import Page, expect

from tests.browser.test_journey import go_to, log_in


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()


def test_prepare_and_hold_a_session(page: Page, live_server, users, orgs):
    log_in(page, live_server, "secretary")
    go_to(page, "Sessions")
    new_session = page.locator("#new-session")
    new_session.get_by_label("Title", exact=True).fill("Session on border security")
    new_session.get_by_label("Date", exact=True).fill("2026-11-17")  # held below: a past date needs no reason
    page.get_by_role("button", name="Plan the session").click()
    expect(page.get_by_role("heading", name="Session on border security")).to_be_visible()
    expect(page.locator(".marking-banner").first).to_have_text("Secret")

    add_item = page.locator("#add-item")
    add_item.get_by_label("Question", exact=True).fill("Report of the Minister of Internal Affairs")
    add_item.get_by_label("Kind", exact=True).select_option("head_hearing")
    add_item.get_by_label("Speaker", exact=True).fill("Minister of Internal Affairs")
    add_item.get_by_label("Body heard", exact=True).select_option(label="mia en")
    page.get_by_role("button", name="Add to the agenda").click()
    expect(page.locator(".agenda-title")).to_have_count(1)
    add_item.get_by_label("Question", exact=True).fill("Border infrastructure")
    page.get_by_role("button", name="Add to the agenda").click()
    titles = page.locator(".agenda-title")
    expect(titles).to_have_text(["Report of the Minister of Internal Affairs", "Border infrastructure"])
    url_before = page.url
    page.locator(".agenda-item").nth(1).get_by_role("button", name="Move up").click()
    expect(titles).to_have_text(["Border infrastructure", "Report of the Minister of Internal Affairs"])
    assert page.url == url_before  # htmx swapped the agenda, no page load

    page.once("dialog", lambda dialog: dialog.accept())  # a session's status only moves forward: it asks first
    page.get_by_role("button", name="Move to “Agenda approved”").click()
    expect(page.locator("#meeting-status")).to_have_text("Agenda approved")
    page.get_by_label(users["chair"].display_name, exact=True).select_option("present")
    page.get_by_label(users["member"].display_name, exact=True).select_option("represented")
    page.locator(f"input[name=represented_{users['member'].pk}]").fill("Deputy minister")
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_text("Attendance was recorded.")).to_be_visible()

    page.locator(".agenda-item").first.get_by_text("Draft a decision on this question").click()
    item = page.locator(".agenda-item").first
    item.get_by_label("Title", exact=True).fill("On strengthening the border")
    item.get_by_label("Text", exact=True).fill("1. Strengthen the border.\n2. Report quarterly.")
    item.get_by_role("button", name="Draft the decision").click()
    expect(page.locator("#decision-status")).to_have_text("Draft")
    for member in ("chair", "secretary", "member"):
        page.get_by_label(users[member].display_name, exact=True).select_option("for")
    page.get_by_role("button", name="Record the votes").click()
    expect(page.locator("#vote-result")).to_contain_text("Carried")
    decision_url = page.url
    log_out(page)

    log_in(page, live_server, "chair")
    page.goto(decision_url)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Adopt and sign").click()
    expect(page.locator("#decision-status")).to_have_text("Adopted")
    expect(page.get_by_role("heading", name=re.compile(r"^Decision № 1.[0-9]{4}\b"))).to_be_visible()
    page.get_by_role("link", name="Session on border security").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Move to “Held”").click()
    expect(page.locator("#meeting-status")).to_have_text("Held")
    page.get_by_role("button", name="Draft the minutes from the session's data").click()
    expect(page.get_by_label("Minutes")).to_contain_text("On strengthening the border")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Sign the minutes").click()
    expect(page.locator("#meeting-status")).to_have_text("Minutes signed")
    expect(page.locator("#minutes-status")).to_have_text("Signed")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download DOCX").click()
    document = DocxDocument(io.BytesIO(download_info.value.path().read_bytes()))
    assert "SECRET" in " ".join(p.text for p in document.sections[0].header.paragraphs).upper()
    assert any("On strengthening the border" in p.text for p in document.paragraphs)
