"""The instruction form as a controller uses it, in Kazakh, Russian and English: the controller is
pre-filled, co-executors are found by typing part of a name, the reporting fields appear only for
periodic reporting, urgent periodic reporting is refused under both fields, a valid instruction is
given with a confirmation; the secretary withdraws it, confirming first, and is told so."""

from playwright.sync_api import Browser, Page, expect

from kenes.directory.models import Organization
from tests.browser.test_journey import log_in

# Bodies named as the directory names them: in Kazakh, every name begins "Қазақстан Республикасының".
BODIES = {
    "mia-full": (
        "Қазақстан Республикасының Ішкі істер министрлігі",
        "Министерство внутренних дел Республики Казахстан",
        "Ministry of Internal Affairs of the Republic of Kazakhstan",
    ),
    "mod-full": (
        "Қазақстан Республикасының Қорғаныс министрлігі",
        "Министерство обороны Республики Казахстан",
        "Ministry of Defence of the Republic of Kazakhstan",
    ),
    "mfa-full": (
        "Қазақстан Республикасының Сыртқы істер министрлігі",
        "Министерство иностранных дел Республики Казахстан",
        "Ministry of Foreign Affairs of the Republic of Kazakhstan",
    ),
}
# What a user types to find the two co-executors, in each language.
TYPED = {"kk": ("ішкі", "қорғаныс"), "ru": ("внутренних", "обороны"), "en": ("internal", "defence")}


def _in_language(page: Page, live_server, language: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])


def _pick(page: Page, typed: str, other: Organization) -> None:
    """Type part of a name into the co-executors' filter, see only the matching body, and click it."""
    page.locator("#id_co_executors-filter").fill(typed)
    expect(page.locator(f"#id_co_executors option[value='{other.pk}']")).to_be_hidden()
    visible = page.locator("#id_co_executors option:not([hidden])")
    expect(visible).to_have_count(1)
    visible.click()


def test_give_an_instruction_and_withdraw_it(page: Page, browser: Browser, live_server, users, orgs):
    bodies = {
        code: Organization.objects.create(code=code, kind="ministry", name_kk=kk, name_ru=ru, name_en=en)
        for code, (kk, ru, en) in BODIES.items()
    }
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    log_in(page, live_server, "controller")
    secretary = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900}).new_page()
    asked: list[str] = []
    secretary.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    log_in(secretary, live_server, "secretary")

    for done, language in enumerate(("kk", "ru", "en")):
        _in_language(page, live_server, language)
        page.goto(f"{live_server.url}/instructions/new/")
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.locator("#id_controller")).to_have_value(str(users["controller"].pk))

        page.locator("#id_text").fill(f"Check the flood barriers ({language}).")
        page.locator("#id_lead_executor").select_option(str(orgs["mia"].pk))
        for typed in TYPED[language]:
            _pick(page, typed, bodies["mfa-full"])
        page.locator("#id_co_executors-filter").fill("")
        chosen = page.locator("#id_co_executors").evaluate("s => [...s.selectedOptions].map(o => o.value)")
        assert sorted(chosen) == sorted([str(bodies["mia-full"].pk), str(bodies["mod-full"].pk)])
        expect(page.locator("#id_co_executors-picked")).to_contain_text(";")

        expect(page.locator("#id_report_day")).to_be_hidden()
        expect(page.locator("#id_period_end")).to_be_hidden()
        page.locator("#id_periodicity").select_option("monthly")
        expect(page.locator("#id_report_day")).to_be_visible()
        expect(page.locator("#id_period_end")).to_be_visible()
        expect(page.locator("#id_due_date")).to_be_hidden()

        page.locator("#id_urgency").select_option("urgent")
        page.locator("#id_report_day").fill("5")
        page.locator("#id_period_end").fill("2027-06-30")
        page.locator("#instruction-form button[type=submit]").click()
        expect(page.locator(".field:has(#id_urgency) .errorlist")).to_be_visible()
        expect(page.locator(".field:has(#id_periodicity) .errorlist")).to_be_visible()
        expect(page.locator("#id_report_day")).to_be_visible()  # still periodic, as chosen

        page.locator("#id_urgency").select_option("ordinary")
        page.locator("#instruction-form button[type=submit]").click()
        expect(page.locator("#instruction-status")).to_be_visible()
        expect(page.locator(".message-success")).to_contain_text("/")  # "Instruction 1/2026-И was given..."
        instruction_url = page.url

        _in_language(secretary, live_server, language)
        secretary.goto(instruction_url)
        secretary.locator("details:has(button.danger) > summary").click()
        secretary.locator("#id_withdraw_reason").fill("Superseded.")
        secretary.locator("button.danger[data-confirm]").click()
        expect(secretary.locator(".state-withdrawn")).to_be_visible()
        expect(secretary.locator(".message-success")).to_be_visible()
        assert len(asked) == done + 1  # the withdrawal asked first, once
    assert not [e for e in errors if "422" not in e], errors  # a refused form answers 422, which Chromium logs
