import datetime as dt
from types import SimpleNamespace

import pytest

from kenes.core.classification import Classification
from kenes.council import services
from kenes.council.choices import ItemKind


@pytest.fixture
def meeting(users):
    return services.create_meeting(actor=users["secretary"], title="Regular session", date=dt.date(2026, 11, 17))


@pytest.fixture
def hearing(meeting, users, orgs):
    """An agenda item hearing the Ministry of Internal Affairs."""
    return services.add_agenda_item(
        meeting,
        actor=users["secretary"],
        title="Report of the Minister",
        kind=ItemKind.HEAD_HEARING,
        speaker="Minister of Internal Affairs",
        body=orgs["mia"],
    )


@pytest.fixture
def approved(meeting, hearing, users):
    return services.advance_meeting(meeting, "agenda_approved", actor=users["secretary"])


@pytest.fixture
def official_session(users, orgs):
    """An official session hearing the MIA, and a secret one hearing the akimat: what liaisons may see differs."""
    meeting = services.create_meeting(
        actor=users["secretary"],
        title="Official session",
        date=dt.date(2026, 3, 19),
        classification=Classification.OFFICIAL,
    )
    item = services.add_agenda_item(
        meeting,
        actor=users["secretary"],
        title="Public order",
        kind=ItemKind.HEAD_HEARING,
        speaker="Minister",
        body=orgs["mia"],
    )
    other = services.add_agenda_item(
        meeting,
        actor=users["secretary"],
        title="Almaty safety",
        kind=ItemKind.HEAD_HEARING,
        speaker="Akim",
        body=orgs["akimat"],
        classification=Classification.SECRET,
    )
    return meeting, item, other


def vote_all(decision, users, choice="for"):
    members = [users[name] for name in ("chair", "secretary", "member")]
    return services.record_votes(
        decision, [{"member": m.pk, "choice": choice} for m in members], actor=users["secretary"]
    )


def decided_session(users, body, controller, *, label="", classification=None):
    """A session (secret unless ``classification`` says otherwise) with a hearing of ``body``, its adopted
    decision (voted on) and the instruction it gives ``body`` under ``controller``: the chain that raising
    and its consequences are tested on. ``label`` goes into every title."""
    from kenes.control import services as control

    secretary = users["secretary"]
    level = {} if classification is None else {"classification": classification}
    meeting = services.create_meeting(actor=secretary, title="Session", date=dt.date(2026, 6, 1), **level)
    item = services.add_agenda_item(
        meeting, actor=secretary, title=f"Item {label}".strip(), kind=ItemKind.HEAD_HEARING, speaker="M", body=body
    )
    services.advance_meeting(meeting, "agenda_approved", actor=secretary)
    decision = services.draft_decision(actor=secretary, title=f"Decision {label}".strip(), text="x", agenda_item=item)
    vote_all(decision, users)
    decision = services.adopt_decision(decision, actor=users["chair"])
    instruction = control.issue_instruction(
        actor=secretary,
        text=f"Instruction {label}".strip(),
        lead_executor=body,
        controller=controller,
        decision=decision,
        due_date=dt.date(2026, 12, 10),
        issued_on=dt.date(2026, 6, 2),
    )
    return SimpleNamespace(meeting=meeting, item=item, decision=decision, instruction=instruction)
