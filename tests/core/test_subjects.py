"""The traceability links: an instruction aimed at a record of another module, shown only to its readers."""

import datetime as dt

import pytest

from kenes.control import services as control
from kenes.core.classification import Classification
from tests.testapp.models import Dossier


@pytest.fixture
def dossier(orgs):
    return Dossier.objects.create(
        title="Border incidents <b>", classification=Classification.SECRET, organization=orgs["mia"]
    )


def instruction_in(users, orgs, **extra):
    return {
        "text": "Reduce the incidents.",
        "lead_executor": orgs["mia"].pk,
        "controller": users["controller"].pk,
        "due_date": "2026-12-30",
        **extra,
    }


def test_an_instruction_aimed_at_a_subject_inherits_its_level_and_lists_on_it(users, orgs, api, dossier):
    answer = api(users["secretary"]).post(
        "/api/v1/instructions", instruction_in(users, orgs, subject={"type": "dossier", "id": dossier.pk})
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["subject"] == {"type": "dossier", "id": dossier.pk}
    assert body["classification"] == "secret"
    aimed = control.instructions_aimed_at(dossier, users["analyst"])
    assert [i.pk for i in aimed] == [body["id"]]
    assert list(control.instructions_aimed_at(dossier, users["liaison_almaty"])) == []


def test_below_the_subjects_level_is_refused(users, orgs, api, dossier):
    answer = api(users["secretary"]).post(
        "/api/v1/instructions",
        instruction_in(users, orgs, subject={"type": "dossier", "id": dossier.pk}, classification="official"),
    )
    assert answer.status_code == 422


def test_an_unknown_kind_is_invalid_and_an_invisible_subject_does_not_exist(users, orgs, api, dossier):
    assert (
        api(users["secretary"])
        .post("/api/v1/instructions", instruction_in(users, orgs, subject={"type": "planet", "id": 1}))
        .status_code
        == 422
    )
    top = Dossier.objects.create(title="above", classification=Classification.TOP_SECRET)
    controller = api(users["controller"])
    for missing in (top.pk, 999_999):
        answer = controller.post(
            "/api/v1/instructions", instruction_in(users, orgs, subject={"type": "dossier", "id": missing})
        )
        assert answer.status_code == 404


def test_the_pages_link_the_subject_only_for_its_readers(users, orgs, client, dossier):
    instruction = control.issue_instruction(
        actor=users["secretary"],
        text="Act.",
        lead_executor=orgs["mia"],
        controller=users["controller"],
        subject=dossier,
        classification=Classification.SECRET,
        due_date=dt.date(2026, 12, 30),
    )
    client.force_login(users["analyst"])
    page = client.get(f"/instructions/{instruction.pk}/").content.decode()
    assert f'href="/d/{dossier.pk}"' in page and "Border incidents &lt;b&gt;" in page
    client.force_login(users["controller"])
    form = client.get(f"/instructions/new/?subject=dossier:{dossier.pk}")
    assert form.status_code == 200 and f'value="dossier:{dossier.pk}"' in form.content.decode()
    for hostile in ("dossier:999999", "planet:1", "dossier:x", "dossier"):
        assert client.get("/instructions/new/", {"subject": hostile}).status_code == 404


def test_a_reader_of_the_instruction_who_may_not_read_its_subject_sees_no_subject(users, orgs, api, client):
    mia_only = Dossier.objects.create(
        title="MIA only", classification=Classification.OFFICIAL, organization=orgs["mia"]
    )
    instruction = control.issue_instruction(
        actor=users["secretary"],
        text="Help the MIA.",
        lead_executor=orgs["akimat"],
        controller=users["controller"],
        subject=mia_only,
        classification=Classification.OFFICIAL,
        due_date=dt.date(2026, 12, 30),
    )
    almaty = api(users["liaison_almaty"])
    assert almaty.get(f"/api/v1/instructions/{instruction.pk}").json()["subject"] is None
    listed = almaty.get("/api/v1/instructions").json()["items"]
    assert [item["subject"] for item in listed] == [None]
    client.force_login(users["liaison_almaty"])
    page = client.get(f"/instructions/{instruction.pk}/").content.decode()
    assert page.count("Help the MIA.") and "MIA only" not in page and 'id="instruction-subject"' not in page
    assert api(users["analyst"]).get(f"/api/v1/instructions/{instruction.pk}").json()["subject"] == {
        "type": "dossier",
        "id": mia_only.pk,
    }


def test_an_agenda_item_is_never_below_its_subject(users, orgs):
    from kenes.council import services as council

    meeting = council.create_meeting(
        actor=users["secretary"], title="S", date=dt.date(2026, 12, 17), classification=Classification.OFFICIAL
    )
    top = Dossier.objects.create(title="top", classification=Classification.TOP_SECRET)
    item = council.add_agenda_item(meeting, actor=users["secretary"], title="About top", kind="other", subject=top)
    assert item.classification == Classification.TOP_SECRET
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        council.update_agenda_item(item, actor=users["secretary"], classification=Classification.OFFICIAL)
