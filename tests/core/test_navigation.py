"""The navigation is grouped into sections, in order, showing each role only what it may open."""

import dataclasses
import re

import pytest
from django.urls import reverse

from kenes.core import navigation

SECTIONS = ["council", "control", "monitoring", "threats", "directory"]


def _nav(html: str) -> str:
    return html.split('id="main-nav"')[1].split("</nav>")[0]


def _groups(nav: str) -> dict[str, list[str]]:
    """Section key -> the hrefs inside its group, in document order (dicts keep order)."""
    found = re.findall(r'data-section="([^"]+)"(.*?)</details>', nav, flags=re.S)
    return {key: re.findall(r'href="([^"]+)"', body) for key, body in found}


def test_the_analyst_sees_the_sections_in_order_with_their_entries(client, users):
    client.force_login(users["analyst"])
    nav = _nav(client.get("/").content.decode())
    groups = _groups(nav)
    assert list(groups) == SECTIONS
    assert groups["council"] == [
        reverse("council:meeting-list"),
        reverse("council:decision-list"),
        reverse("council:work-plan"),
    ]
    assert groups["control"] == [
        reverse("control:instruction-list"),
        reverse("control:board"),
        reverse("control:discipline"),
        reverse("control:calendar"),
    ]
    assert groups["monitoring"] == [reverse("strategy:document-list")]
    assert groups["threats"] == [reverse("threats:threat-list"), reverse("threats:alert-list")]
    assert groups["directory"] == [reverse("directory:organization-list")]
    assert nav.count("<details") == len(SECTIONS) and nav.count("<summary>") == len(SECTIONS)
    # Dashboard and Search stand alone, outside any group, before and after them.
    hrefs = re.findall(r'href="([^"]+)"', nav)
    assert hrefs[0] == reverse("core:dashboard") and hrefs[-1] == reverse("core:search")
    for label in ("Council", "Control", "Monitoring", "Threats", "Directory"):
        assert f"<summary>{label}" in nav


def test_a_liaison_officer_sees_fewer_entries_and_can_open_every_one(client, users):
    client.force_login(users["liaison"])
    nav = _nav(client.get("/").content.decode())
    groups = _groups(nav)
    assert groups["control"] == [reverse("control:instruction-list")]
    for url in (reverse("control:board"), reverse("control:discipline")):
        assert url not in nav
        assert client.get(url).status_code in (403, 404)
    assert reverse("control:calendar") not in nav
    hrefs = re.findall(r'href="([^"]+)"', nav)
    assert all(client.get(href).status_code == 200 for href in hrefs), hrefs
    assert reverse("core:audit") not in nav


def test_the_auditor_finds_the_audit_log_under_monitoring(client, users):
    client.force_login(users["auditor"])
    groups = _groups(_nav(client.get("/").content.decode()))
    assert reverse("core:audit") in groups["monitoring"]
    assert all(client.get(href).status_code == 200 for hrefs in groups.values() for href in hrefs)


def test_the_group_holding_the_current_page_is_marked(client, users):
    client.force_login(users["analyst"])
    nav = _nav(client.get(reverse("control:discipline")).content.decode())
    active = re.findall(r'<li class="nav-group nav-group-active" data-section="([^"]+)"', nav)
    assert active == ["control"]
    assert re.findall(r'href="([^"]+)" aria-current="page"', nav) == [reverse("control:discipline")]
    nav = _nav(client.get("/").content.decode())
    assert "nav-group-active" not in nav
    assert re.findall(r'href="([^"]+)" aria-current="page"', nav) == [reverse("core:dashboard")]


@pytest.mark.parametrize(("language", "council", "threats"), [("ru", "Совет", "Угрозы"), ("kk", "Кеңес", "Қауіптер")])
def test_section_labels_are_in_the_readers_language(client, users, language, council, threats):
    client.force_login(users["analyst"])
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    nav = _nav(client.get("/").content.decode())
    assert f"<summary>{council}" in nav and f"<summary>{threats}" in nav
    assert "<summary>Council" not in nav


def test_a_section_with_no_allowed_entry_is_hidden(users):
    menu = navigation.menu_for(users["liaison"], "/")
    keys = [block.get("key") for block in menu if "key" in block]
    assert "monitoring" in keys  # the liaison may open Strategy
    original = navigation._items[:]
    try:
        navigation._items[:] = [
            dataclasses.replace(i, allowed=lambda user: False) if i.section == "directory" else i
            for i in navigation._items
        ]
        keys = [block.get("key") for block in navigation.menu_for(users["liaison"], "/") if "key" in block]
        assert "directory" not in keys
    finally:
        navigation._items[:] = original
