"""The layout holds in Kazakh and Russian at 1280 and 1024 px: no dashboard card overflows with long
words, and dates and numbers in tables stay on one line."""

import datetime as dt

from django.db import transaction
from playwright.sync_api import Page, expect

from kenes.accounts.models import Role
from kenes.control import services as control
from kenes.core.classification import Classification
from kenes.directory.models import Organization
from tests.browser.test_journey import log_in
from tests.conftest import make_user

LONG_KK = "Қазақстан Республикасының Ішкі істер министрлігінің Қазақстанреспубликасыныңтөтеншежағдайлар комитеті"
LONG_RU = "Министерство внутренних дел Республики Казахстан, Достопримечательностьохраняемаягосударством комитет"

OVERFLOWING_CARDS = """() => Array.from(document.querySelectorAll('.grid > *'))
    .filter(card => card.scrollWidth > card.clientWidth + 1)
    .map(card => (card.querySelector('h2') || card).textContent.trim().slice(0, 40))"""

LINES_OF = """(cell) => {
    const range = document.createRange();
    range.selectNodeContents(cell);
    const lineHeight = parseFloat(getComputedStyle(cell).lineHeight);
    return range.getBoundingClientRect().height / lineHeight;
}"""


def _data(users, orgs):
    with transaction.atomic():
        body = Organization.objects.create(
            code="long-body", kind=Organization.Kind.MINISTRY, name_kk=LONG_KK, name_ru=LONG_RU, name_en="Long body"
        )
    make_user("long_analyst", Role.ANALYST, Classification.SECRET, body)
    today = dt.date.today()
    due = today + dt.timedelta(days=35 + (2 - today.weekday()) % 7)  # a Wednesday five weeks on
    for n in range(3):
        control.issue_instruction(
            actor=users["secretary"],
            text=f"{LONG_KK} {LONG_RU} {n}",
            lead_executor=body,
            co_executors=[orgs["mia"]],
            controller=users["controller"],
            due_date=due,
            issued_on=today,
            classification=Classification.OFFICIAL,
        )


def test_cards_do_not_overflow_and_dates_stay_on_one_line(page: Page, live_server, users, orgs):
    _data(users, orgs)
    log_in(page, live_server, "long_analyst")
    for width in (1280, 1024):
        page.set_viewport_size({"width": width, "height": 900})
        for language in ("kk", "ru"):
            page.select_option("#language-select", language)
            expect(page.locator("html")).to_have_attribute("lang", language)
            page.goto(f"{live_server.url}/")
            expect(page.locator(".grid > *").first).to_be_visible()
            assert page.evaluate(OVERFLOWING_CARDS) == [], (width, language)
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (width, language)
            page.goto(f"{live_server.url}/instructions/")
            dates = page.locator("td.date")
            expect(dates.first).to_be_visible()
            for cell in (dates.first, page.locator("td.num").first):
                lines = cell.evaluate(LINES_OF)
                assert 0.5 < lines < 1.5, (width, language, cell.inner_text(), lines)
