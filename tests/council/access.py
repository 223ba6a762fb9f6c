"""The council's access declaration (tests/access/registry.py): sessions at three levels, their agenda
items (one heard from the MIA, one from Almaty) and a decision on each, and who sees which by every path."""

from __future__ import annotations

import datetime as dt

from kenes.core.classification import Classification
from kenes.council import services
from kenes.council.choices import ItemKind
from kenes.council.models import AgendaItem, Decision, Meeting
from tests.access.registry import ALMATY, MIA, Case, Detail, Listing, Module, declare, ids, in_widget, shows
from tests.council.conftest import vote_all


def build(users, orgs):
    secretary, chair = users["secretary"], users["chair"]
    official = services.create_meeting(
        actor=secretary, title="Official session", date=dt.date(2026, 3, 19), classification=Classification.OFFICIAL
    )
    secret = services.create_meeting(actor=secretary, title="Secret session", date=dt.date(2026, 6, 1))
    top = services.create_meeting(
        actor=secretary, title="Top session", date=dt.date(2026, 7, 1), classification=Classification.TOP_SECRET
    )
    hearing = {"actor": secretary, "kind": ItemKind.HEAD_HEARING, "speaker": "Minister"}
    items = {
        "official": services.add_agenda_item(official, title="Public order", body=orgs[MIA], **hearing),
        "almaty": services.add_agenda_item(
            official, title="Almaty safety", body=orgs[ALMATY], classification=Classification.SECRET, **hearing
        ),
        "secret": services.add_agenda_item(secret, title="Item of Secret session", body=orgs[MIA], **hearing),
        "top": services.add_agenda_item(top, title="Item of Top session", body=orgs[MIA], **hearing),
    }
    for meeting in (official, secret, top):
        services.advance_meeting(meeting, "agenda_approved", actor=secretary)
    decisions = {}
    for key, item in items.items():
        decision = services.draft_decision(actor=secretary, title=f"Decision {key}", text="x", agenda_item=item)
        vote_all(decision, users)
        decisions[key] = services.adopt_decision(decision, actor=chair)
    return {
        "meetings": {"official": official, "secret": secret, "top": top},
        "items": items,
        "decisions": decisions,
    }


ALL = {"official", "secret", "top"}
APPARATUS = {"official", "secret"}
MEETINGS = {
    "chair": ALL,
    "secretary": ALL,
    "member": ALL,
    "analyst": APPARATUS,
    "controller": APPARATUS,
    "auditor": APPARATUS,
    "admin": {"official"},
    "liaison": {"official"},  # the official session hears his body
    "liaison_almaty": set(),  # Almaty is heard only at secret, above his clearance
    "liaison_mod": set(),
}
# The items and decisions: official (the MIA, official), almaty (Almaty, secret), secret, top (the MIA).
EVERY = {"official", "almaty", "secret", "top"}
UP_TO_SECRET = {"official", "almaty", "secret"}
ITEMS = DECISIONS = {
    "chair": EVERY,
    "secretary": EVERY,
    "member": EVERY,
    "analyst": UP_TO_SECRET,
    "controller": UP_TO_SECRET,
    "auditor": UP_TO_SECRET,
    "admin": {"official"},
    "liaison": {"official"},
    "liaison_almaty": set(),
    "liaison_mod": set(),
}

declare(
    Module(
        app="council",
        build=build,
        cases=(
            Case(
                Meeting,
                "meetings",
                MEETINGS,
                (
                    Listing("/api/v1/meetings", ids(), counted=True),
                    Listing("council:meeting-list", shows(lambda m: m.title)),
                    Listing("council:calendar-feed", shows(lambda m: m.title)),
                    Listing("/api/v1/calendar.ics", shows(lambda m: m.title)),
                    Listing("/api/v1/search", ids(kind="meeting"), query={"q": "session"}),
                    Detail("/api/v1/meetings/{pk}"),
                    Detail("/api/v1/meetings/{pk}/agenda-items"),
                    Detail("/api/v1/meetings/{pk}/attendance"),
                    Detail("council:meeting-detail"),
                ),
            ),
            Case(AgendaItem, "items", ITEMS, (Detail("/api/v1/agenda-items/{pk}"),)),
            Case(
                Decision,
                "decisions",
                DECISIONS,
                (
                    Listing("/api/v1/decisions", ids(), counted=True),
                    Listing("council:decision-list", shows(lambda d: d.title)),
                    Listing("/api/v1/search", ids(kind="decision"), query={"q": "decision"}),
                    Listing("/", in_widget("council", "decisions"), cap=3),
                    Detail("/api/v1/decisions/{pk}"),
                    Detail("/api/v1/decisions/{pk}/votes"),
                    Detail("council:decision-detail"),
                    Detail("council:decision-export", ("docx",)),
                    Detail("council:decision-export", ("pdf",)),
                ),
            ),
        ),
    )
)
