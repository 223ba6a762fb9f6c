"""Pages staff expect, clicked in Chromium in Kazakh, Russian and English: the auditor filters the audit
log by an object type and reads a change as before → after; an analyst filters the alerts and
acknowledges two at once, and is told so."""

import os
import re
from pathlib import Path

from playwright.sync_api import Page, expect

from kenes.core.classification import Classification
from kenes.threats import services
from kenes.threats.models import Alert
from tests.browser.test_journey import log_in

LANGUAGES = ("kk", "ru", "en")
SHOTS = Path(os.environ.get("KENES_SCREENSHOTS", "/tmp"))


def _in(page: Page, live_server, language: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])


def test_the_auditor_filters_the_log_by_object_type(page: Page, live_server, users, orgs):
    threat = services.create_threat(
        actor=users["analyst"],
        title="Border crossings",
        domain="border",
        scope="external",
        likelihood=2,
        impact=3,
        owner=orgs["mia"],
        classification=Classification.OFFICIAL,
    )
    services.reassess_threat(threat, actor=users["analyst"], likelihood=4, impact=3, trend="rising", reason="more")
    log_in(page, live_server, "auditor")
    for language in LANGUAGES:
        _in(page, live_server, language)
        page.goto(f"{live_server.url}/audit/")
        expect(page.locator("html")).to_have_attribute("lang", language)
        page.locator("#id_object_type").select_option("threats.threat")
        page.locator("#audit-filters button[type=submit]").click()
        expect(page).to_have_url(re.compile(r"object_type=threats\.threat"))
        rows = page.locator("tr[data-object]")
        expect(rows.first).to_be_visible()
        assert {r.get_attribute("data-object").split(":")[0] for r in rows.all()} == {"threats.threat"}
        changed = page.locator("table.audit-changes tr").filter(has=page.locator("td.audit-before", has_text="2"))
        expect(changed.first.locator("td.audit-after")).to_have_text("4")
        expect(page.locator(f'a.audit-object[href="/threats/{threat.pk}/"]').first).to_be_visible()
        page.screenshot(path=str(SHOTS / f"audit-log-{language}.png"), full_page=True)


def test_an_analyst_filters_alerts_and_acknowledges_two_at_once(page: Page, live_server, users, orgs):
    domains = {"kk": "border", "ru": "cyber", "en": "energy"}
    for domain in domains.values():
        threat = services.create_threat(
            actor=users["analyst"],
            title=f"Threat {domain}",
            domain=domain,
            scope="internal",
            likelihood=2,
            impact=3,
            owner=orgs["mia"],
        )
        for n in range(2):
            signal = services.create_signal(
                actor=users["analyst"],
                name=f"Signal {domain} {n}",
                unit="cases",
                code=f"{domain}-{n}",
                threat=threat,
                upper_threshold=1,
            )
            services.record_observations(
                signal, actor=users["analyst"], observations=[("2026-01-01", 5)], forecast=False
            )
    log_in(page, live_server, "analyst")
    for language, domain in domains.items():
        _in(page, live_server, language)
        page.goto(f"{live_server.url}/threats/alerts/")
        expect(page.locator("html")).to_have_attribute("lang", language)
        page.locator("#id_domain").select_option(domain)
        page.locator("#alert-filters button[type=submit]").click()
        ticks = page.locator("input[name=alert][type=checkbox]")
        expect(ticks).to_have_count(2)
        for tick in ticks.all():
            tick.check()
        page.locator("#acknowledge-many textarea[name=comment]").fill(f"Handled ({language})")
        page.screenshot(path=str(SHOTS / f"alerts-ticked-{language}.png"), full_page=True)
        page.locator("#acknowledge-many button[type=submit]").click()
        expect(page.locator(".message-success")).to_contain_text("2")
        expect(page.locator("input[name=alert][type=checkbox]")).to_have_count(0)
        page.screenshot(path=str(SHOTS / f"alerts-acknowledged-{language}.png"), full_page=True)
        done = Alert.objects.filter(signal__threat__domain=domain)
        assert [a.comment for a in done] == [f"Handled ({language})"] * 2
