"""The minutes of a session with a draft decision, clicked in Kazakh, Russian and English (issue 12, item 2):
the secretary's signature is refused naming the draft and her decision page says adoption waits for the
chairman; the chairman adopts it; the secretary then signs; the decision's export opens as the Council's
document. Selectors are ids and form actions, so the test reads the same in every language."""

import datetime as dt
import io

import pypdf
from django.utils import timezone
from playwright.sync_api import Page, expect

from kenes.council import services
from kenes.council.choices import ItemKind
from tests.conftest import PASSWORD
from tests.council.conftest import vote_all


def _log_in(page: Page, live_server, username: str, language: str) -> None:
    page.goto(f"{live_server.url}/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    expect(page.locator("form[action*='logout']")).to_have_count(1)
    if page.locator("html").get_attribute("lang") != language:
        page.locator("#language-select").select_option(language)
    expect(page.locator("html")).to_have_attribute("lang", language)


def _log_out(page: Page) -> None:
    page.locator("form[action*='logout'] button").click()
    expect(page.locator("input[name=username]")).to_be_visible()


def _held_with_draft(users, language: str):
    """A session held three days ago with a decision voted on but not adopted, and its minutes drafted."""
    secretary = users["secretary"]
    meeting = services.create_meeting(
        actor=secretary, title=f"Session {language}", date=timezone.localdate() - dt.timedelta(days=3)
    )
    item = services.add_agenda_item(meeting, actor=secretary, title=f"Item {language}", kind=ItemKind.OTHER)
    services.advance_meeting(meeting, "agenda_approved", actor=secretary)
    draft = services.draft_decision(actor=secretary, title=f"Draft on dams {language}", text="1.", agenda_item=item)
    vote_all(draft, users)
    services.advance_meeting(meeting, "held", actor=secretary)
    services.draft_minutes(meeting, actor=secretary)
    return meeting, draft


def test_minutes_wait_for_the_draft_decision_in_every_language(page: Page, live_server, users, orgs):
    for language in ("kk", "ru", "en"):
        meeting, draft = _held_with_draft(users, language)
        session_url = f"{live_server.url}/council/sessions/{meeting.pk}/"
        decision_url = f"{live_server.url}/council/decisions/{draft.pk}/"
        sign = page.locator("form[action$='/minutes/sign/'] button")

        _log_in(page, live_server, "secretary", language)
        page.goto(session_url)
        expect(page.locator("#minutes-drafts")).to_contain_text(draft.title)
        page.once("dialog", lambda dialog: dialog.accept())
        sign.click()
        expect(page.locator(".message-error").first).to_contain_text(draft.title)
        expect(sign).to_have_count(1)  # not signed
        page.goto(decision_url)
        expect(page.locator("#adoption-waits")).to_contain_text(users["chair"].display_name)
        expect(page.locator("#adopt-form")).to_have_count(0)
        _log_out(page)

        _log_in(page, live_server, "chair", language)
        page.goto(decision_url)
        page.once("dialog", lambda dialog: dialog.accept())
        page.locator("#adopt-form button").click()
        expect(page.locator("h1")).to_contain_text("№")
        expect(page.locator(".message-success")).to_have_count(1)
        _log_out(page)

        _log_in(page, live_server, "secretary", language)
        page.goto(session_url)
        expect(page.locator("#minutes-drafts")).to_have_count(0)
        page.once("dialog", lambda dialog: dialog.accept())
        sign.click()
        expect(page.locator(".message-success")).to_have_count(1)
        expect(sign).to_have_count(0)
        page.goto(decision_url)
        number = page.locator("h1").inner_text().split("№")[1].split()[0]
        with page.expect_download() as download:
            page.locator(f"a[href$='/decisions/{draft.pk}.pdf']").click()
        pdf = pypdf.PdfReader(io.BytesIO(download.value.path().read_bytes()))
        text = "\n".join(p.extract_text() for p in pdf.pages)
        assert number in text and users["chair"].display_name in text and draft.title in text
        _log_out(page)
