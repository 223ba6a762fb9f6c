"""Control of execution as people click it: the controller gives an instruction, the liaison reports,
the controller returns the report, the liaison reports again, the controller accepts."""

from playwright.sync_api import Page, expect

from tests.browser.test_council import log_out
from tests.browser.test_journey import go_to, log_in


def test_issue_report_return_report_accept(page: Page, live_server, users, orgs):
    page.on("dialog", lambda dialog: dialog.accept())  # recording a review asks first: it cannot be undone
    log_in(page, live_server, "controller")
    go_to(page, "Instructions")
    page.get_by_role("link", name="Give an instruction").click()
    page.get_by_label("What is to be done", exact=True).fill("Install video surveillance at the central station.")
    page.get_by_label("Lead executor", exact=True).select_option(label="mia en")
    page.get_by_label("Controller", exact=True).select_option(label="controller (Controller)")
    page.get_by_label("Urgency", exact=True).select_option("operational")
    page.get_by_role("button", name="Give the instruction").click()
    expect(page.locator("#instruction-status")).to_have_text("Assigned")
    instruction_url = page.url
    log_out(page)

    log_in(page, live_server, "liaison_mvd")
    expect(page.locator("#due-week-count")).to_be_visible()
    go_to(page, "Instructions")
    page.get_by_role("link", name="1/").first.click()
    page.get_by_label("Report", exact=True).fill("Cameras are being installed.")
    page.get_by_role("button", name="Submit the report").click()
    expect(page.locator("#instruction-status")).to_have_text("Reported")
    log_out(page)

    log_in(page, live_server, "controller")
    expect(page.locator("#unread-badge")).to_be_visible()
    page.goto(instruction_url)
    page.get_by_label("Decision", exact=True).select_option("return")
    page.get_by_label("Comment", exact=True).fill("Say how many cameras work.")
    page.get_by_role("button", name="Record the review").click()
    expect(page.locator("#instruction-status")).to_have_text("Returned")
    log_out(page)

    log_in(page, live_server, "liaison_mvd")
    page.goto(instruction_url)
    expect(page.get_by_text("Say how many cameras work.")).to_be_visible()
    page.get_by_label("Report", exact=True).fill("24 cameras installed and working.")
    page.get_by_role("button", name="Submit the report").click()
    expect(page.locator("#instruction-status")).to_have_text("Reported")
    log_out(page)

    log_in(page, live_server, "controller")
    page.goto(instruction_url)
    page.get_by_label("Decision", exact=True).select_option("accept")
    page.get_by_role("button", name="Record the review").click()
    expect(page.locator("#instruction-status")).to_have_text("Executed")
    go_to(page, "Discipline")
    expect(page.locator("#fig-on-time")).to_have_text("1")
    expect(page.locator("#fig-returned")).to_have_text("1")
