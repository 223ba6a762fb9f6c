"""Execution control's access declaration (tests/access/registry.py): instructions led by or shared
with a body, at two levels, all overdue; who sees which by every path, and who counts them."""

from __future__ import annotations

import datetime as dt

from kenes.control import services
from kenes.control.models import Instruction
from kenes.core.classification import Classification
from tests.access.registry import (
    ALMATY,
    DEFENCE,
    MIA,
    Case,
    Count,
    Detail,
    Listing,
    Module,
    declare,
    ids,
    shows,
    widget,
)


def build(users, orgs):
    def issue(text, lead=MIA, co=(), level=Classification.OFFICIAL):
        return services.issue_instruction(
            actor=users["secretary"],
            text=text,
            lead_executor=orgs[lead],
            co_executors=[orgs[code] for code in co],
            controller=users["controller"],
            due_date=dt.date(2026, 12, 10),
            issued_on=dt.date(2026, 11, 20),
            classification=level,
        )

    instructions = {
        "mia_lead": issue("Alpha plan for the MIA"),
        "mia_co": issue("Bravo plan led by defence", lead=DEFENCE, co=[MIA]),
        "mia_secret": issue("Charlie plan secret for the MIA", level=Classification.SECRET),
        "almaty": issue("Delta plan for Almaty", lead=ALMATY),
    }
    services.mark_overdue(dt.date(2026, 12, 11))
    return {"instructions": instructions}


EVERY = {"mia_lead", "mia_co", "mia_secret", "almaty"}
INSTRUCTIONS = {
    "chair": EVERY,
    "secretary": EVERY,
    "member": EVERY,
    "analyst": EVERY,
    "controller": EVERY,
    "auditor": EVERY,
    "admin": {"mia_lead", "mia_co", "almaty"},  # official, not the secret one
    "liaison": {"mia_lead", "mia_co"},  # led by his body or shared with it, up to official
    "liaison_almaty": {"almaty"},
    "liaison_mod": {"mia_co"},  # led by defence
}
BOARD = frozenset({"chair", "secretary", "member", "analyst", "controller", "auditor"})  # not the administrator


def _board_overdue(response):
    return response.context["counts"]["overdue"]


declare(
    Module(
        app="control",
        build=build,
        cases=(
            Case(
                Instruction,
                "instructions",
                INSTRUCTIONS,
                (
                    Listing("/api/v1/instructions", ids(), counted=True),
                    Listing("/api/v1/search", ids(kind="instruction"), query={"q": "plan"}),
                    Listing("control:instruction-list", shows(lambda i: i.number)),
                    Listing("control:instruction-export", shows(lambda i: i.number)),
                    Count("/", widget("control", "overdue")),
                    Count("control:board", _board_overdue, only=BOARD),
                    Detail("/api/v1/instructions/{pk}"),
                    Detail("/api/v1/instructions/{pk}/reports"),
                    Detail("/api/v1/instructions/{pk}/deadlines"),
                    Detail("control:instruction-detail"),
                ),
            ),
        ),
    )
)
