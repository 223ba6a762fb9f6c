import datetime as dt

import pytest

from kenes.core.classification import Classification
from kenes.council import services
from kenes.council.choices import ItemKind


@pytest.fixture
def meeting(users):
    return services.create_meeting(actor=users["secretary"], title="Regular session", date=dt.date(2026, 12, 17))


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
