"""A user's first journey, clicked in Chromium: log in, see the dashboard, switch language, browse, log out."""

import re

import pytest
from playwright.sync_api import Page, expect

from kenes.core.classification import Classification
from tests.conftest import PASSWORD
from tests.testapp.models import Dossier


@pytest.fixture
def outside_requests(page: Page, live_server):
    """Every request the page makes that does not go to the test server."""
    seen = []
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith(live_server.url) or request.url.startswith("data:")
            else seen.append(request.url)
        ),
    )
    return seen


def log_in(page: Page, live_server, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def go_to(page: Page, label: str) -> None:
    """Follow a navigation entry as a reader does: open the menu group holding it, then click it."""
    nav = page.locator("#main-nav")
    group = nav.locator(f'details:has(a:text-is("{label}"))')
    if group.count():
        group.locator("summary").click()
    nav.get_by_role("link", name=label, exact=True).click()


def test_log_in_see_dashboard_switch_language_and_log_out(page: Page, live_server, users, orgs, outside_requests):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    log_in(page, live_server, "analyst", "wrong password")
    expect(page.get_by_text("Wrong username or password.")).to_be_visible()
    errors.clear()  # the refused login answers 401, which Chromium reports on the console
    log_in(page, live_server, "analyst")
    expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()
    expect(page.get_by_role("heading", name="My account")).to_be_visible()
    expect(page.get_by_role("heading", name="State bodies")).to_be_visible()

    page.get_by_label("Language").select_option("ru")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("button", name="Выйти")).to_be_visible()
    page.get_by_label("Язык").select_option("kk")
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    page.get_by_label("Тіл").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    go_to(page, "State bodies")
    expect(page.get_by_role("heading", name="State bodies")).to_be_visible()
    page.get_by_label("Search").fill("akimat-almaty")
    expect(page.locator("#organization-rows tbody tr")).to_have_count(1)
    page.get_by_role("link", name="akimat-almaty-city en").click()
    expect(page.get_by_role("heading", name="akimat-almaty-city en")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    assert outside_requests == []
    assert errors == [], errors


def test_liaison_searches_and_sees_only_his_bodys_records(page: Page, live_server, users, orgs):
    Dossier.objects.create(title="Harbor file", classification=Classification.OFFICIAL, organization=orgs["mia"])
    Dossier.objects.create(title="Harbor plan", classification=Classification.SECRET, organization=orgs["mia"])
    Dossier.objects.create(title="Harbor note", classification=Classification.OFFICIAL, organization=orgs["akimat"])
    log_in(page, live_server, "liaison_mvd")
    page.get_by_role("link", name="Search").click()
    page.get_by_label("Words to find").fill("harbor")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="Harbor file")).to_be_visible()
    expect(page.get_by_text("Harbor plan")).to_have_count(0)
    expect(page.get_by_text("Harbor note")).to_have_count(0)


def test_auditor_verifies_the_chain(page: Page, live_server, users):
    log_in(page, live_server, "auditor")
    go_to(page, "Audit log")
    page.get_by_role("button", name="Verify the chain").click()
    expect(page.locator("#verification")).to_contain_text("The chain is intact")


def test_the_menu_folds_on_a_phone(page: Page, live_server, users):
    page.set_viewport_size({"width": 390, "height": 800})
    log_in(page, live_server, "analyst")
    expect(page.locator("#main-nav")).to_be_hidden()
    page.get_by_role("button", name="Menu").click()
    expect(page.locator("#main-nav")).to_be_visible()
