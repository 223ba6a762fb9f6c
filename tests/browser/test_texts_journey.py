"""The same analyst reads an alert raised by the worker (in Kazakh) on his notifications and on the
signal's page in Kazakh, Russian and English in turn: the message follows his language and his
number format. The expected texts are the templates rendered by Django under each language."""

import os
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from kenes.core import texts
from kenes.threats import services
from kenes.threats.models import Alert
from tests.browser.test_journey import log_in


def test_alert_and_notification_follow_the_readers_language(page: Page, live_server, users, orgs):
    threat = services.create_threat(
        actor=users["analyst"],
        title="Floods",
        domain="ecological",
        scope="internal",
        likelihood=3,
        impact=4,
        owner=orgs["mia"],
    )
    signal = services.create_signal(
        actor=users["analyst"], name="Flooded settlements", unit="settlements", threat=threat, upper_threshold=1000
    )
    with translation.override("kk"):  # as the worker writes
        services.record_observations(
            signal, actor=users["analyst"], observations=[("2026-01-01", 1234.5)], forecast=False
        )
    alert = Alert.objects.get(signal=signal)
    log_in(page, live_server, "analyst")
    shots = Path(os.environ.get("KENES_SCREENSHOTS", "/tmp"))
    seen = set()
    for language in ("kk", "ru", "en"):
        page.goto(f"{live_server.url}/")
        page.locator("#language-select").select_option(language)
        expect(page.locator("html")).to_have_attribute("lang", language)
        with translation.override(language):
            message = gettext("%(signal)s: %(value)s in %(period)s is above the threshold %(threshold)s.") % {
                "signal": signal.name,
                "value": texts.number(1234.5),
                "period": "2026-01",
                "threshold": texts.number(1000),
            }
            title = gettext("Early warning: %(signal)s") % {"signal": signal.name}
        seen.add(message)
        page.goto(f"{live_server.url}/notifications/")
        expect(page.get_by_role("link", name=title)).to_be_visible()
        expect(page.locator("table.list")).to_contain_text(message)
        page.screenshot(path=str(shots / f"texts-notifications-{language}.png"), full_page=True)
        page.goto(f"{live_server.url}/threats/signals/{signal.pk}/")
        expect(page.locator(f"#alert-{alert.pk}")).to_contain_text(message)
        number = {"kk": "1\xa0234,5", "ru": "1\xa0234,5", "en": "1,234.5"}[language]
        expect(page.locator(f"#alert-{alert.pk}")).to_contain_text(number)
    assert len(seen) == 3  # three languages, three sentences
