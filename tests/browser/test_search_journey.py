"""Search from the header of any page, in each language: a word in one of its forms finds the record,
the results come grouped by type, and the record opens with its title in the page's language."""

import re

from playwright.sync_api import Page, expect

from kenes.core.classification import Classification
from kenes.threats import services
from tests.browser.test_journey import log_in, outside_requests  # noqa: F401 (a fixture)

JOURNEY = [
    # language, word typed in the header, title shown in that language
    ("kk", "тасқындары", "Көктемгі су тасқыны"),
    ("ru", "паводки", "Весенний паводок"),
    ("en", "floods", "Spring floods"),
]


def test_header_search_in_each_language(page: Page, live_server, users, orgs, outside_requests):  # noqa: F811
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    threat = services.create_threat(
        actor=users["analyst"],
        title="Spring floods",
        domain="ecological",
        scope="internal",
        likelihood=4,
        impact=4,
        owner=orgs["mia"],
        classification=Classification.OFFICIAL,
    )
    translations = {"kk": {"title": "Көктемгі су тасқыны"}, "ru": {"title": "Весенний паводок"}}
    services.translate(threat, translations, actor=users["analyst"])
    services.create_threat(
        actor=users["analyst"], title="Steppe fires", domain="ecological", scope="internal", likelihood=2, impact=2
    )
    log_in(page, live_server, "analyst")
    for language, word, title in JOURNEY:
        page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        page.goto(f"{live_server.url}/threats/")
        expect(page.locator("html")).to_have_attribute("lang", language)
        box = page.locator("#header-search-q")
        box.fill(word)
        box.press("Enter")
        group = page.locator("#results-threat")
        expect(group.get_by_role("heading")).to_have_text(re.compile(r"\(1\)"))
        expect(group.get_by_role("link")).to_have_count(1)
        expect(page.get_by_text("Steppe fires")).to_have_count(0)
        group.get_by_role("link", name=title).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(title)
        expect(page).to_have_title(re.compile(re.escape(title)))
    assert outside_requests == []
    assert errors == [], errors
