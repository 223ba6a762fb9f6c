"""The page shell's navigation: each app registers its entries; what is not built shows nothing.

Entries are grouped into sections (Council · Control · Monitoring · Threats · Directory), rendered as
menus; entries of the section `main` stand alone in the bar (Dashboard, Search). A section none of
whose entries the user may use is not shown at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

TOP = "main"


@dataclass(frozen=True)
class NavItem:
    label: Any
    url_name: str
    section: str
    order: int = 100
    allowed: Callable[[Any], bool] = lambda user: True


@dataclass(frozen=True)
class Section:
    key: str
    label: Any
    order: int


_items: list[NavItem] = []
_sections: dict[str, Section] = {}


def register(item: NavItem) -> None:
    if all(i.url_name != item.url_name for i in _items):
        _items.append(item)


def register_section(section: Section) -> None:
    _sections.setdefault(section.key, section)


for _section in (
    Section("council", _("Council"), 100),
    Section("control", _("Control"), 200),
    Section("monitoring", _("Monitoring"), 300),
    Section("threats", _("Threats"), 400),
    Section("directory", _("Directory"), 800),
):
    register_section(_section)


def items_for(user: Any, current_path: str) -> list[dict[str, Any]]:
    """The entries the user may use, in order, each marked active when the page is under it."""
    entries = []
    for item in sorted(_items, key=lambda i: (_position(i), i.order)):
        if item.allowed(user):
            entries.append({"label": item.label, "url": reverse(item.url_name), "section": item.section})
    matching = [e["url"] for e in entries if e["url"] != "/" and current_path.startswith(e["url"])]
    active = max(matching, key=len) if matching else ("/" if current_path == "/" else None)
    for entry in entries:
        entry["active"] = entry["url"] == active
    return entries


def _position(item: NavItem) -> int:
    section = _sections.get(item.section)
    return section.order if section else item.order


def menu_for(user: Any, current_path: str) -> list[dict[str, Any]]:
    """The bar in order: standalone links (`{"link": entry}`) and groups (`{"key", "label", "entries",
    "active"}`); a group appears only with at least one entry the user may use. An entry of a section
    nobody registered stands alone rather than vanish."""
    blocks: list[dict[str, Any]] = []
    groups: dict[str, dict[str, Any]] = {}
    for entry in items_for(user, current_path):
        section = _sections.get(entry["section"])
        if section is None:
            blocks.append({"link": entry})
            continue
        if section.key not in groups:
            groups[section.key] = {"key": section.key, "label": section.label, "entries": [], "active": False}
            blocks.append(groups[section.key])
        groups[section.key]["entries"].append(entry)
        groups[section.key]["active"] |= entry["active"]
    return blocks
