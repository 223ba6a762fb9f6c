"""Keeping the register on the pages: a new document, a goal, an indicator with its targets typed as
lines, and the edit of an indicator; the same services as the API, so the same refusals, named after
the form's fields (a target's error by its line), with status 422 and nothing half-written."""

import datetime as dt

import pytest
from django.urls import reverse

from kenes.core.classification import Classification
from kenes.core.models import AuditEvent
from kenes.strategy import services
from kenes.strategy.models import Goal, Indicator, StrategicDocument, Target

D = dt.date
XSS = "<script>alert(1)</script>"


def document_data(bodies, **overrides):
    data = {
        "title": "Concept of public order",
        "kind": "concept",
        "period_start": "2025-01-01",
        "period_end": "2027-12-31",
        "owner": bodies["mia"].pk,
        "parent": "",
        "status": "in_force",
        "description": "",
        "classification": str(Classification.OFFICIAL),
    }
    data.update(overrides)
    return data


def indicator_data(bodies, goal=None, **overrides):
    data = {
        "code": "NEW-1",
        "name": "Road deaths per 100k",
        "goal": goal.pk if goal else "",
        "unit": "per 100k",
        "direction": "decrease",
        "frequency": "annual",
        "baseline_value": "12.5",
        "baseline_period": "2020-01-01",
        "responsible": bodies["mia"].pk,
        "data_source": "Statistics bureau",
        "weight": "2",
        "classification": "",
        "targets": "2021-01-01 12\n\n2022-01-01 11,5\n2023-01-01 11\n",
    }
    data.update(overrides)
    return data


def audited(obj) -> bool:
    return AuditEvent.objects.filter(
        action=AuditEvent.Action.CREATE, object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).exists()


def test_an_analyst_keeps_the_register_on_the_pages(client, people, bodies, document):
    client.force_login(people["analyst"])
    assert reverse("strategy:document-new") in client.get(reverse("strategy:document-list")).content.decode()
    assert client.get(reverse("strategy:document-new")).status_code == 200
    response = client.post(reverse("strategy:document-new"), document_data(bodies, parent=document.pk))
    created = StrategicDocument.objects.get(title="Concept of public order")
    assert response.status_code == 302 and response["Location"] == reverse(
        "strategy:document-detail", args=[created.pk]
    )
    assert created.parent == document and created.owner == bodies["mia"] and created.kind == "concept"
    assert audited(created)

    page = client.get(reverse("strategy:document-detail", args=[created.pk])).content.decode()
    assert reverse("strategy:goal-new", args=[created.pk]) in page
    assert reverse("strategy:indicator-new", args=[created.pk]) in page
    response = client.post(reverse("strategy:goal-new", args=[created.pk]), {"title": "Safe roads", "weight": "3"})
    assert response.status_code == 302
    top = Goal.objects.get(title="Safe roads")
    assert top.document == created and top.weight == 3 and audited(top)
    response = client.post(
        reverse("strategy:goal-new", args=[created.pk]), {"title": "Fewer deaths", "weight": "1", "parent": top.pk}
    )
    assert response.status_code == 302 and Goal.objects.get(title="Fewer deaths").parent == top

    response = client.post(
        reverse("strategy:indicator-new", args=[created.pk]),
        indicator_data(bodies, top, baseline_period="2024-01-01", targets="2025-01-01 12\n\n2026-01-01 11,5\n"),
    )
    indicator = Indicator.objects.get(code="NEW-1")
    assert response.status_code == 302
    assert response["Location"] == reverse("strategy:indicator-detail", args=[indicator.pk])
    assert indicator.goal == top and indicator.direction == "decrease" and indicator.weight == 2
    assert indicator.classification == Classification.OFFICIAL
    assert [(t.period, t.value) for t in indicator.targets.order_by("period")] == [
        (D(2025, 1, 1), 12.0),
        (D(2026, 1, 1), 11.5),
    ]
    assert audited(indicator)
    event = AuditEvent.objects.filter(
        action=AuditEvent.Action.UPDATE, object_type="strategy.indicator", object_id=str(indicator.pk)
    ).latest("seq")
    assert event.changes["targets"] == {"2025-01-01": 12.0, "2026-01-01": 11.5}
    page = client.get(reverse("strategy:document-detail", args=[created.pk])).content.decode()
    assert "NEW-1" in page and "Safe roads" in page and "Fewer deaths" in page


def test_an_analyst_edits_an_indicator_and_its_targets(client, people, make_indicator):
    indicator = make_indicator("ED-1")
    client.force_login(people["analyst"])
    url = reverse("strategy:indicator-edit", args=[indicator.pk])
    assert url in client.get(reverse("strategy:indicator-detail", args=[indicator.pk])).content.decode()
    form = client.get(url).context["form"]
    assert form.initial["targets"].splitlines()[0] == "2021-01-01 110"
    response = client.post(
        url,
        {
            "name": "Renamed",
            "unit": "pcs",
            "baseline_value": "90",
            "baseline_period": "2020-01-01",
            "data_source": "Ministry",
            "weight": "4",
            "targets": "2030-01-01 250\n2031-01-01 260",
        },
    )
    assert response.status_code == 422  # 2031 is outside the document: nothing is saved
    assert "Line 2:" in str(response.context["form"].errors["targets"])
    indicator.refresh_from_db()
    assert indicator.name == "Indicator ED-1" and indicator.targets.get(period=D(2030, 1, 1)).value == 200
    response = client.post(
        url,
        {
            "name": "Renamed",
            "unit": "pcs",
            "baseline_value": "90",
            "baseline_period": "2020-01-01",
            "data_source": "Ministry",
            "weight": "4",
            "targets": "2030-01-01 250",
        },
    )
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert (indicator.name, indicator.unit, indicator.baseline_value, indicator.weight) == ("Renamed", "pcs", 90, 4)
    assert indicator.targets.get(period=D(2030, 1, 1)).value == 250
    assert indicator.targets.count() == 10  # the periods left out keep their targets
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.UPDATE, object_type="strategy.indicator", object_id=str(indicator.pk)
    ).exists()


@pytest.mark.parametrize("who", ["liaison", "member"])
def test_a_liaison_or_a_member_may_not_keep_the_register(client, people, bodies, document, goal, make_indicator, who):
    indicator = make_indicator("NO-1")
    client.force_login(people[who])
    assert client.get(reverse("strategy:document-detail", args=[document.pk])).status_code == 200
    for url, data in (
        (reverse("strategy:document-new"), document_data(bodies)),
        (reverse("strategy:goal-new", args=[document.pk]), {"title": "Mine", "weight": "1"}),
        (reverse("strategy:indicator-new", args=[document.pk]), indicator_data(bodies, goal, code="NO-2")),
        (reverse("strategy:indicator-edit", args=[indicator.pk]), {"name": "Mine", "weight": "1"}),
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, data).status_code == 404, url
    assert not StrategicDocument.objects.filter(title="Concept of public order").exists()
    assert not Goal.objects.filter(title="Mine").exists() and not Indicator.objects.filter(code="NO-2").exists()
    page = client.get(reverse("strategy:document-detail", args=[document.pk])).content.decode()
    assert reverse("strategy:goal-new", args=[document.pk]) not in page
    assert reverse("strategy:document-new") not in client.get(reverse("strategy:document-list")).content.decode()


def test_a_document_the_user_may_not_see_is_404_and_never_a_parent(client, people, bodies, document):
    hidden = services.create_document(
        actor=people["secretary"],
        kind="strategy",
        title="Hidden plan",
        period_start=D(2021, 1, 1),
        period_end=D(2030, 12, 31),
        owner=bodies["apparatus"],
        classification=Classification.SPECIAL_IMPORTANCE,
    )
    client.force_login(people["analyst"])
    assert client.get(reverse("strategy:goal-new", args=[hidden.pk])).status_code == 404
    assert client.post(reverse("strategy:goal-new", args=[hidden.pk]), {"title": "x", "weight": "1"}).status_code == 404
    assert client.get(reverse("strategy:indicator-new", args=[hidden.pk])).status_code == 404
    assert client.get(reverse("strategy:goal-new", args=[999999])).status_code == 404
    form = client.get(reverse("strategy:document-new")).content.decode()
    assert "Hidden plan" not in form
    response = client.post(reverse("strategy:document-new"), document_data(bodies, parent=hidden.pk))
    assert response.status_code == 422 and "parent" in response.context["form"].errors
    assert not StrategicDocument.objects.filter(title="Concept of public order").exists()


def test_a_parent_goal_or_a_goal_of_another_document_is_refused(client, people, bodies, document, goal):
    other = services.create_document(
        actor=people["analyst"],
        kind="concept",
        title="Other",
        period_start=D(2021, 1, 1),
        period_end=D(2030, 12, 31),
        owner=bodies["apparatus"],
    )
    foreign = services.create_goal(other, actor=people["analyst"], title="Foreign goal")
    sub = services.create_goal(document, actor=people["analyst"], title="Sub", parent=goal)
    client.force_login(people["analyst"])
    url = reverse("strategy:goal-new", args=[document.pk])
    for parent in (foreign.pk, sub.pk, "abc"):
        response = client.post(url, {"title": "Third level", "weight": "1", "parent": parent})
        assert response.status_code == 422 and "parent" in response.context["form"].errors, parent
    response = client.post(reverse("strategy:indicator-new", args=[document.pk]), indicator_data(bodies, foreign))
    assert response.status_code == 422 and "goal" in response.context["form"].errors
    assert not Goal.objects.filter(title="Third level").exists() and not Indicator.objects.filter(code="NEW-1").exists()


def test_hostile_text_is_rendered_escaped(client, people, bodies, document):
    client.force_login(people["analyst"])
    response = client.post(reverse("strategy:document-new"), document_data(bodies, title=f"Plan {XSS}"))
    created = StrategicDocument.objects.get(title=f"Plan {XSS}")
    client.post(reverse("strategy:goal-new", args=[created.pk]), {"title": f"Goal {XSS}", "weight": "1"})
    client.post(
        reverse("strategy:indicator-new", args=[created.pk]),
        indicator_data(bodies, name=f"Ind {XSS}", unit=XSS, data_source=XSS, baseline_period="2024-01-01", targets=""),
    )
    indicator = Indicator.objects.get(code="NEW-1")
    for url in (
        reverse("strategy:document-list"),
        reverse("strategy:document-detail", args=[created.pk]),
        reverse("strategy:goal-new", args=[created.pk]),
        reverse("strategy:indicator-detail", args=[indicator.pk]),
        reverse("strategy:indicator-edit", args=[indicator.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert XSS not in response.content.decode(), url
        assert "&lt;script&gt;" in response.content.decode(), url
    response = client.post(reverse("strategy:document-new"), document_data(bodies, title="", kind=XSS))
    assert response.status_code == 422 and XSS not in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"period_start": "2026-02-30"}, "period_start"),
        ({"period_end": "99999-01-01"}, "period_end"),
        ({"period_start": "2027-01-01", "period_end": "2026-01-01"}, "period_end"),
        ({"kind": "nonsense"}, "kind"),
        ({"status": "burnt"}, "status"),
        ({"owner": "999999"}, "owner"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 501}, "title"),
        ({"classification": "99"}, "classification"),
    ],
)
def test_hostile_document_input_is_a_field_error(client, people, bodies, overrides, field):
    client.force_login(people["analyst"])
    before = StrategicDocument.objects.count()
    response = client.post(reverse("strategy:document-new"), document_data(bodies, **overrides))
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert StrategicDocument.objects.count() == before


def test_a_classification_above_ones_clearance_is_refused(client, people, bodies):
    client.force_login(people["analyst"])
    response = client.post(
        reverse("strategy:document-new"), document_data(bodies, classification=str(Classification.TOP_SECRET))
    )
    assert response.status_code == 422 and "classification" in response.context["form"].errors
    assert not StrategicDocument.objects.filter(title="Concept of public order").exists()
    offered = [value for value, _label in response.context["form"].fields["classification"].choices]
    assert str(Classification.SECRET) in map(str, offered) and str(Classification.TOP_SECRET) not in map(str, offered)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"weight": "nan"}, "weight"),
        ({"weight": "inf"}, "weight"),
        ({"weight": "-1"}, "weight"),
        ({"weight": "1e308"}, "weight"),
        ({"title": ""}, "title"),
    ],
)
def test_hostile_goal_input_is_a_field_error(client, people, document, overrides, field):
    client.force_login(people["analyst"])
    data = {"title": "Goal", "weight": "1", **overrides}
    response = client.post(reverse("strategy:goal-new", args=[document.pk]), data)
    assert response.status_code == 422 and field in response.context["form"].errors
    assert not document.goals.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"baseline_value": "NaN"}, "baseline_value", None),
        ({"baseline_value": "1e300"}, "baseline_value", None),
        ({"weight": "Infinity"}, "weight", None),
        ({"weight": "0"}, "weight", None),
        ({"baseline_period": "2020-02-31"}, "baseline_period", None),
        ({"baseline_period": "2020-03-01"}, "baseline_period", None),  # not the start of a year
        ({"baseline_period": "2031-01-01"}, "baseline_period", None),  # after the document's end
        ({"code": "with space"}, "code", None),
        ({"code": "PG-1"}, "code", None),  # taken
        ({"direction": "sideways"}, "direction", None),
        ({"frequency": "hourly"}, "frequency", None),
        ({"responsible": "abc"}, "responsible", None),
        ({"targets": "2021-01-01 12\n2022-02-30 11"}, "targets", "Line 2:"),
        ({"targets": "2021-01-01 12\n\n2022-01-01 NaN"}, "targets", "Line 3:"),
        ({"targets": "2021-01-01 inf"}, "targets", "Line 1:"),
        ({"targets": "2021-01-01 12 13"}, "targets", "Line 1:"),
        ({"targets": "20210101 12"}, "targets", "Line 1:"),
        ({"targets": "2021-01-01 12\n2022-01-01 1e300"}, "targets", "Line 2:"),
        ({"targets": "2021-01-01 12\n\n\n2022-06-01 11"}, "targets", "Line 4:"),  # not a period start
        ({"targets": "2021-01-01 12\n2035-01-01 11"}, "targets", "Line 2:"),  # outside the document
        ({"targets": "2021-01-01 12\n2021-01-01 11"}, "targets", "Line 2:"),  # twice
    ],
)
def test_hostile_indicator_input_is_a_field_error_and_writes_nothing(
    client, people, bodies, document, goal, make_indicator, overrides, field, text
):
    make_indicator("PG-1")
    client.force_login(people["analyst"])
    counts = (Indicator.objects.count(), Target.objects.count())
    response = client.post(
        reverse("strategy:indicator-new", args=[document.pk]), indicator_data(bodies, goal, **overrides)
    )
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert field in errors, errors
    if text:
        assert text in str(errors[field])
    assert (Indicator.objects.count(), Target.objects.count()) == counts


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"baseline_value": "nan"}, "baseline_value"),
        ({"baseline_value": "-1e200"}, "baseline_value"),
        ({"weight": "1e9"}, "weight"),
        ({"baseline_period": "2020-07-01"}, "baseline_period"),
        ({"name": "  "}, "name"),
        ({"targets": "2022-01-01 x"}, "targets"),
    ],
)
def test_hostile_edit_input_is_a_field_error_and_writes_nothing(client, people, make_indicator, overrides, field):
    indicator = make_indicator("ED-2")
    client.force_login(people["analyst"])
    data = {
        "name": "Renamed",
        "unit": "pcs",
        "baseline_value": "90",
        "baseline_period": "2020-01-01",
        "data_source": "",
        "weight": "1",
        "targets": "2021-01-01 111",
        **overrides,
    }
    response = client.post(reverse("strategy:indicator-edit", args=[indicator.pk]), data)
    assert response.status_code == 422 and field in response.context["form"].errors
    indicator.refresh_from_db()
    assert indicator.name == "Indicator ED-2" and indicator.baseline_value == 100
    assert indicator.targets.get(period=D(2021, 1, 1)).value == 110
