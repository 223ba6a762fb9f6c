"""Strategic monitoring as people click it: a liaison imports a spreadsheet with one bad row, sees
the error with its row and column, fixes the file and imports it; the analyst opens the heatmap
and the indicator's chart; an analyst registers a document, a goal and an indicator with its
targets on the pages."""

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from kenes.core.classification import Classification
from kenes.strategy import services
from tests.browser.test_council import log_out
from tests.browser.test_journey import go_to, log_in

D = dt.date


@pytest.fixture
def indicator(users, orgs):
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
    goal = services.create_goal(document, actor=analyst, title="Public order")
    return services.create_indicator(
        document,
        actor=analyst,
        code="CRIME-1",
        name="Crimes solved, share",
        unit="%",
        baseline_value=50,
        baseline_period=D(2020, 1, 1),
        responsible=orgs["mia"],
        goal=goal,
        targets=[(D(y, 1, 1), 50 + 2 * (y - 2020)) for y in range(2021, 2031)],
    )


def upload(page: Page, content: str) -> None:
    page.get_by_label("File").set_input_files(
        {"name": "values.csv", "mimeType": "text/csv", "buffer": content.encode()}
    )
    page.get_by_role("button", name="Import").click()


def test_import_with_an_error_fix_it_then_heatmap_and_chart(page: Page, live_server, users, indicator):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    log_in(page, live_server, "liaison_mvd")
    go_to(page, "Strategy")
    page.get_by_role("link", name="Indicators to report").first.click()
    expect(page.locator("#body-indicators")).to_contain_text("CRIME-1")
    page.get_by_role("link", name="Import a file").click()
    upload(page, "indicator,period,value\nCRIME-1,2021-01-01,52\nCRIME-1,2022-01-01,fifty\nCRIME-1,2023-01-01,55\n")
    expect(page.locator(".import-errors")).to_contain_text("“fifty” is not a number.")
    expect(page.locator(".import-errors tbody tr")).to_have_count(1)
    expect(page.locator(".import-errors tbody td").first).to_have_text("3")
    page.get_by_role("link", name="Back").click()
    upload(page, "indicator,period,value\nCRIME-1,2021-01-01,52\nCRIME-1,2022-01-01,53\nCRIME-1,2023-01-01,57\n")
    expect(page.get_by_text("The file was imported.")).to_be_visible()
    log_out(page)

    log_in(page, live_server, "analyst")
    go_to(page, "Strategy")
    page.get_by_role("link", name="Heatmap").click()
    expect(page.locator("#heatmap")).to_contain_text("National security strategy")
    expect(page.locator("#heatmap .heat-doc")).to_have_class("heat-cell heat-doc ev-bg-achieved")
    page.locator("#heatmap .heat-doc").click()
    page.get_by_role("link", name="CRIME-1").click()
    expect(page.locator("#indicator-status")).to_have_text("Achieved")
    expect(page.locator("#indicator-chart")).to_be_visible()
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('indicator-chart'))")
    assert page.evaluate("() => Chart.getChart(document.getElementById('indicator-chart')).data.datasets.length") == 6
    expect(page.locator("#measurements tbody tr")).to_have_count(3)
    assert errors == [], errors


def test_an_analyst_keeps_the_register_on_the_pages(page: Page, live_server, users, orgs):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    log_in(page, live_server, "analyst")
    go_to(page, "Strategy")
    page.get_by_role("link", name="New document").click()
    page.get_by_label("Title", exact=True).fill("Road safety concept")
    page.get_by_label("Kind", exact=True).select_option("concept")
    page.get_by_label("Start of period", exact=True).fill("2025-01-01")
    page.get_by_label("End of period", exact=True).fill("2027-12-31")
    page.get_by_label("Owner body", exact=True).select_option(str(orgs["mia"].pk))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The document was registered.")).to_be_visible()
    expect(page.locator("h1")).to_contain_text("Road safety concept")

    page.get_by_role("link", name="Add a goal").click()
    page.get_by_label("Title", exact=True).fill("Safe roads")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The goal was added.")).to_be_visible()

    page.get_by_role("link", name="Add an indicator").click()
    page.get_by_label("Code", exact=True).fill("ROAD-1")
    page.get_by_label("Name", exact=True).fill("Road deaths per 100k")
    page.get_by_label("Goal", exact=True).select_option(label="Safe roads")
    page.get_by_label("Unit", exact=True).fill("per 100k")
    page.get_by_label("Direction", exact=True).select_option("decrease")
    page.get_by_label("Baseline value", exact=True).fill("12")
    page.get_by_label("Baseline period", exact=True).fill("2024-01-01")
    page.get_by_label("Responsible body", exact=True).select_option(str(orgs["mia"].pk))
    page.get_by_label("Targets", exact=True).fill("2025-01-01 11\n2026-02-30 10\n")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Line 2: “2026-02-30” is not a date (YYYY-MM-DD).")).to_be_visible()
    errors.clear()  # the refused form answers 422, which Chromium reports on the console
    page.get_by_label("Targets", exact=True).fill("2025-01-01 11\n2026-01-01 10\n2027-01-01 9\n")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The indicator was added.")).to_be_visible()
    expect(page.locator("h1")).to_contain_text("ROAD-1")
    expect(page.get_by_text("2027-01-01: 9.0")).to_be_visible()

    page.get_by_role("link", name="Road safety concept").click()
    expect(page.locator("#indicator-list")).to_contain_text("ROAD-1")
    expect(page.locator("#indicator-list")).to_contain_text("Safe roads")
    expect(page.locator(".goal-list")).to_contain_text("Safe roads")
    assert errors == [], errors
