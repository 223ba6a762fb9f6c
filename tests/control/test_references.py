"""An instruction's "by decision" is shown (page, API) only to who may read the decision: a co-executor
whose body was not heard reads the instruction, not the decision, and sees no trace of it."""

import datetime as dt

import pytest
from django.urls import reverse

from kenes.core.classification import Classification
from kenes.council import services as council
from tests.council.conftest import vote_all


@pytest.fixture
def by_decision(issue, people, bodies):
    secretary = people["secretary"]
    meeting = council.create_meeting(
        actor=secretary, title="Session", date=dt.date(2026, 11, 1), classification=Classification.OFFICIAL
    )
    item = council.add_agenda_item(meeting, actor=secretary, title="Hearing of the MIA", body=bodies["mia"])
    council.advance_meeting(meeting, "agenda_approved", actor=secretary)
    decision = council.draft_decision(actor=secretary, title="Decision heard for the MIA", text="x", agenda_item=item)
    vote_all(decision, people)
    decision = council.adopt_decision(decision, actor=people["chair"])
    return decision, issue(decision=decision)


def test_the_decision_of_an_instruction_is_shown_only_to_who_may_read_it(client, api, people, by_decision):
    decision, instruction = by_decision
    for name, sees in (("liaison_mod", False), ("liaison", True), ("controller", True)):
        user = people[name]
        answer = api(user).get(f"/api/v1/instructions/{instruction.pk}")
        assert answer.status_code == 200, name
        assert answer.json()["decision"] == (decision.pk if sees else None), name
        listed = {i["id"]: i for i in api(user).get("/api/v1/instructions").json()["items"]}
        assert listed[instruction.pk]["decision"] == (decision.pk if sees else None), name
        client.force_login(user)
        page = client.get(reverse("control:instruction-detail", args=[instruction.pk])).content.decode()
        assert ("Decision heard for the MIA" in page) is sees, name
        assert (reverse("council:decision-detail", args=[decision.pk]) in page) is sees, name


def test_a_list_filtered_by_a_decision_the_reader_may_not_read_is_empty(api, people, by_decision):
    """``?decision=N`` must not answer what the nulled ``decision`` hides: for the co-executor the hidden
    decision filters like a decision that does not exist."""
    decision, instruction = by_decision
    answers = {}
    for name in ("liaison_mod", "liaison"):
        listed = api(people[name]).get("/api/v1/instructions").json()
        assert instruction.pk in {i["id"] for i in listed["items"]}, name
        answers[name] = api(people[name]).get(f"/api/v1/instructions?decision={decision.pk}").json()["count"]
    assert answers == {"liaison_mod": 0, "liaison": 1}
    missing = api(people["liaison_mod"]).get(f"/api/v1/instructions?decision={decision.pk + 1000}").json()
    assert missing["count"] == 0
