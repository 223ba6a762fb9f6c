"""Entering a value answers at once; the page says the forecast is being recomputed, and swaps the new
forecast in when the worker has made it (htmx polling, which then stops); in the three languages.
The import page offers its XLSX template."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from kenes.core.classification import Classification
from kenes.core.tasks import FORECASTS_QUEUE, QUEUES
from kenes.strategy import services
from tests.browser.test_journey import log_in

D = dt.date
FORECAST_DRAWN = """JSON.stringify(Chart.getChart(document.querySelector('canvas[data-indicator-chart]'))
    .data.datasets[2].data)"""


@pytest.fixture
def queued_indicator(users, orgs, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": list(QUEUES)}}
    analyst = users["analyst"]
    document = services.create_document(
        actor=analyst,
        kind="security_strategy",
        title="National security strategy",
        period_start=D(2021, 1, 1),
        period_end=D(2030, 12, 31),
        owner=orgs["apparatus"],
        classification=Classification.OFFICIAL,
    )
    return services.create_indicator(
        document,
        actor=analyst,
        code="CRIME-9",
        name="Crimes solved, share",
        unit="%",
        baseline_value=50,
        baseline_period=D(2020, 1, 1),
        responsible=orgs["mia"],
        targets=[(D(y, 1, 1), 50 + 2 * (y - 2020)) for y in range(2021, 2031)],
    )


def test_the_value_is_saved_at_once_and_the_forecast_follows(page: Page, live_server, users, queued_indicator):
    log_in(page, live_server, "analyst")
    url = f"{live_server.url}/strategy/indicators/{queued_indicator.pk}/"
    for year, language in ((2021, "kk"), (2022, "ru"), (2023, "en")):
        page.select_option("#language-select", language)
        expect(page.locator("html")).to_have_attribute("lang", language)
        page.goto(url)
        page.locator("#entry select").select_option(f"{year}-01-01")
        page.locator("#entry input[name=value]").fill({2021: "53", 2022: "61", 2023: "57"}[year])
        page.locator("#entry button[type=submit]").click()
        pending = page.locator("#forecast-pending")
        expect(pending).to_be_visible()
        expect(pending.locator("time")).to_contain_text(dt.date.today().isoformat()[:4])
        expect(page.locator("#forecast-block")).to_have_attribute("hx-trigger", "every 2s")
        page.evaluate(f"() => {{ window.drawnBefore = {FORECAST_DRAWN}; }}")
        call_command("db_worker", "--queue-name", FORECASTS_QUEUE, "--batch", "--no-startup-delay", verbosity=0)
        expect(pending).to_have_count(0, timeout=8000)  # the poll swapped the new forecast in
        expect(page.locator("#forecast-block")).not_to_have_attribute("hx-trigger", "every 2s")
        expect(page.locator("#measurements")).to_contain_text(f"{year}-01-01")
    expect(page.locator("#forecast")).to_contain_text(".")  # three values and the baseline: a forecast
    page.wait_for_function(f"() => {FORECAST_DRAWN} !== window.drawnBefore")  # redrawn without a reload
    assert len([v for v in json.loads(page.evaluate(f"() => {FORECAST_DRAWN}")) if v is not None]) > 1


def test_the_import_page_offers_its_template(page: Page, live_server, users, queued_indicator):
    log_in(page, live_server, "analyst")
    for language in ("kk", "ru", "en"):
        page.select_option("#language-select", language)
        expect(page.locator("html")).to_have_attribute("lang", language)
        page.goto(f"{live_server.url}/strategy/import/")
        with page.expect_download() as download:
            page.locator("#import-template").click()
        assert download.value.suggested_filename == "measurements-template.xlsx"
