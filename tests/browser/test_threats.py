"""Early warning as an analyst clicks it: he imports observations, sees the forecast fan with its
backtest figures beside it and the alert raised by a value beyond the threshold, and acknowledges it."""

import os
from pathlib import Path

from playwright.sync_api import Page, expect

from kenes.threats import services
from tests.browser.test_journey import go_to, log_in
from tests.threats.conftest import fill, seasonal


def test_import_see_the_fan_and_acknowledge_the_alert(page: Page, live_server, users, orgs):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    threat = services.create_threat(
        actor=users["analyst"],
        title="Cross-border smuggling",
        domain="border",
        scope="external",
        likelihood=3,
        impact=4,
        owner=orgs["mia"],
    )
    signal = services.create_signal(
        actor=users["analyst"],
        name="Smuggling cases",
        unit="cases",
        code="smuggling",
        threat=threat,
        upper_threshold=400,
    )
    fill(signal, seasonal(72))

    log_in(page, live_server, "analyst")
    go_to(page, "Threats")
    page.get_by_role("link", name="Import observations").click()
    page.get_by_label("CSV or XLSX file").set_input_files(
        files=[
            {
                "name": "observations.csv",
                "mimeType": "text/csv",
                "buffer": b"signal,period,value\nsmuggling,2026-01-01,150\nsmuggling,2026-02-01,900\n",
            }
        ]
    )
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#import-job")).to_have_attribute("data-status", "done")

    page.goto(f"{live_server.url}/threats/signals/{signal.pk}/")
    expect(page.locator("#forecast-fan")).to_be_visible()
    page.wait_for_function("window.Chart && Chart.getChart(document.getElementById('forecast-fan'))")
    datasets = page.evaluate("Chart.getChart(document.getElementById('forecast-fan')).data.datasets.length")
    assert datasets == 7  # 95% and 80% bands (two bounds each), the mean, the actuals, the threshold
    page.screenshot(path=str(Path(os.environ.get("KENES_SCREENSHOTS", "/tmp")) / "threats-fan.png"), full_page=True)
    expect(page.locator("#bt-mase")).not_to_be_empty()
    expect(page.locator("#bt-base-mase")).not_to_be_empty()
    expect(page.locator("#forecast-points tbody tr")).to_have_count(12)
    alert = page.locator(".alert-row.open").filter(has_text="above the threshold")
    expect(alert).to_have_count(1)
    alert.get_by_label("Comment").fill("Border service informed")
    alert.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_text("The alert was acknowledged.")).to_be_visible()
    expect(page.get_by_text("Border service informed")).to_be_visible()
    page.goto(f"{live_server.url}/")
    expect(page.locator("#open-alerts-count")).to_have_text("1")  # the forecast-crossing alert is still open
    page.get_by_role("link", name="Open the threat matrix").click()
    page.locator('[data-cell="3-4"]').click()
    expect(page.get_by_role("link", name="Cross-border smuggling")).to_be_visible()
    assert not [e for e in errors if "Content Security Policy" in e or "Chart" in e], errors
