"""A reference to another council record (a decision's session and the decision it amends, a planned
question's session) is shown — on a page, in the API, in an export — only to who may read that record."""

import datetime as dt
import io

import docx
import pytest
from django.urls import reverse

from kenes.core.classification import Classification
from kenes.council import services
from tests.council.conftest import vote_all


@pytest.fixture
def amendment(users, orgs, official_session):
    """An official decision heard for the MIA amending an official decision heard for the Almaty akimat."""
    meeting, mia_item, _secret_item = official_session
    secretary = users["secretary"]
    almaty_item = services.add_agenda_item(
        meeting, actor=secretary, title="Almaty item", body=orgs["akimat"], classification=Classification.OFFICIAL
    )
    services.advance_meeting(meeting, "agenda_approved", actor=secretary)
    amended = services.draft_decision(
        actor=secretary, title="Almaty decision amended", text="x", agenda_item=almaty_item
    )
    vote_all(amended, users)
    amended = services.adopt_decision(amended, actor=users["chair"])
    amending = services.draft_decision(
        actor=secretary, title="MIA decision amending", text="x", agenda_item=mia_item, amends=amended
    )
    return amended, amending


def _docx_text(data: bytes) -> str:
    word = docx.Document(io.BytesIO(data))
    texts = [p.text for p in word.paragraphs] + [c.text for t in word.tables for r in t.rows for c in r.cells]
    return "\n".join(texts)


def test_what_a_decision_amends_is_shown_only_to_who_may_read_it(client, api, users, amendment):
    amended, amending = amendment
    for name, sees in (("liaison", False), ("chair", True)):
        user = users[name]
        answer = api(user).get(f"/api/v1/decisions/{amending.pk}")
        assert answer.status_code == 200
        assert answer.json()["amends"] == (amended.pk if sees else None), name
        listed = {d["id"]: d for d in api(user).get("/api/v1/decisions").json()["items"]}
        assert listed[amending.pk]["amends"] == (amended.pk if sees else None), name
        client.force_login(user)
        page = client.get(reverse("council:decision-detail", args=[amending.pk])).content.decode()
        exported = client.get(reverse("council:decision-export", args=[amending.pk, "docx"])).content
        for text in (page, _docx_text(exported)):
            assert ("Almaty decision amended" in text) is sees, name


@pytest.fixture
def planned(users, orgs):
    """An official work plan question planned for a secret session."""
    secretary = users["secretary"]
    session = services.create_meeting(actor=secretary, title="Secret session", date=dt.date(2026, 6, 11))
    question = services.plan_question(
        actor=secretary, year=2026, quarter=2, title="Border question", responsible=orgs["mia"], planned_meeting=session
    )
    return question, session


def test_the_planned_session_of_a_question_is_shown_only_to_who_may_read_it(client, api, users, planned):
    question, session = planned
    for name, sees in (("admin", False), ("secretary", True)):
        user = users[name]
        items = api(user).get("/api/v1/work-plan?year=2026").json()
        items = items["items"] if isinstance(items, dict) else items
        row = next(q for q in items if q["id"] == question.pk)
        assert row["planned_meeting"] == (session.pk if sees else None), name
        client.force_login(user)
        page = client.get(reverse("council:work-plan") + "?year=2026").content.decode()
        assert "Border question" in page
        assert ("2026-06-11" in page) is sees, name
        assert (reverse("council:meeting-detail", args=[session.pk]) in page) is sees, name
