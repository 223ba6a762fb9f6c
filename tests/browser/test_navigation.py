"""The grouped navigation, by mouse, keyboard and without script, in the three languages."""

from playwright.sync_api import Page, expect

from tests.browser.test_journey import go_to, log_in

LABELS = {"kk": ("Кеңес", "Қауіптер"), "ru": ("Совет", "Угрозы"), "en": ("Council", "Threats")}


def test_grouped_navigation_by_mouse_and_keyboard(page: Page, live_server, users, browser):
    log_in(page, live_server, "analyst")
    nav = page.locator("#main-nav")
    for language, (council, threats) in LABELS.items():
        page.select_option("#language-select", language)
        expect(page.locator("html")).to_have_attribute("lang", language)
        summaries = nav.locator("summary")
        expect(summaries).to_have_count(5)
        expect(summaries.nth(0)).to_contain_text(council)
        expect(summaries.nth(3)).to_contain_text(threats)
        # The bar holds on one line at 1280 px: no wrapping of sixteen entries.
        box, first = nav.bounding_box(), summaries.nth(0).bounding_box()
        assert box and first and box["height"] < 2 * first["height"], (box, first)
        expect(nav.locator("details[open]")).to_have_count(0)
        # Keyboard: Enter opens a group, its links can be reached, Escape closes it and keeps the focus.
        summaries.nth(0).focus()
        page.keyboard.press("Enter")
        expect(nav.locator("details").nth(0)).to_have_attribute("open", "")
        expect(nav.locator("details").nth(0).get_by_role("link")).to_have_count(3)
        page.keyboard.press("Tab")
        expect(nav.locator("details").nth(0).get_by_role("link").nth(0)).to_be_focused()
        page.keyboard.press("Escape")
        expect(nav.locator("details[open]")).to_have_count(0)
        expect(summaries.nth(0)).to_be_focused()
        # Opening a second group closes the first; a click elsewhere closes all.
        summaries.nth(0).click()
        summaries.nth(1).click()
        expect(nav.locator("details[open]")).to_have_count(1)
        page.locator("main").click(position={"x": 5, "y": 5})
        expect(nav.locator("details[open]")).to_have_count(0)
    page.select_option("#language-select", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    go_to(page, "Discipline")
    expect(page.locator(".nav-group-active summary")).to_contain_text("Control")
    expect(nav.locator('a[aria-current="page"]')).to_have_attribute("href", "/instructions/discipline/")
    # Without script the groups are plain nested lists that open in place.
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    bare = context.new_page()
    log_in(bare, live_server, "liaison_mvd")
    bare_nav = bare.locator("#main-nav")
    expect(bare_nav.get_by_role("link", name="Discipline", include_hidden=True)).to_have_count(0)
    bare_nav.locator("summary", has_text="Control").click()
    bare_nav.get_by_role("link", name="Instructions", exact=True).click()
    expect(bare).to_have_url(f"{live_server.url}/instructions/")
    context.close()
