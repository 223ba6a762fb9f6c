"""Access to strategic monitoring beyond the generic layer (tests/access; strategy's declaration is
tests/strategy/access.py): who enters and verifies values, the body pages, the chart of an indicator
page, and the pages that are not for liaisons."""

import datetime as dt

import pytest
from django.urls import reverse

from kenes.core.classification import Classification
from kenes.strategy import services
from kenes.strategy.models import Measurement

D = dt.date


@pytest.fixture
def spread(document, goal, make_indicator, people, bodies):
    analyst = people["analyst"]
    secret_doc = services.create_document(
        actor=analyst,
        kind="state_program",
        title="Secret defence program",
        period_start=D(2021, 1, 1),
        period_end=D(2030, 12, 31),
        owner=bodies["mod"],
        classification=Classification.SECRET,
    )
    other_goal = services.create_goal(document, actor=analyst, title="Goal of Almaty only")
    indicators = {
        "mia": make_indicator("MIA-1", name="Alpha crimes registered"),
        "mia_secret": make_indicator("MIA-2", name="Bravo secret operations", classification=Classification.SECRET),
        "almaty": make_indicator(
            "ALM-1", name="Charlie street lighting", responsible=bodies["akimat"], goal=other_goal
        ),
        "defence": make_indicator(
            "MOD-1",
            name="Delta units equipped",
            responsible=bodies["mod"],
            document=secret_doc,
            goal=None,
            classification=Classification.SECRET,
        ),
    }
    for indicator in indicators.values():
        services.record_measurements(indicator, actor=analyst, measurements=[("2024-01-01", 150)])
    return {"indicators": indicators, "secret_doc": secret_doc, "other_goal": other_goal}


def test_the_chart_of_an_indicator_page_is_of_that_indicator(client, people, spread):
    client.force_login(people["liaison"])
    page = client.get(reverse("strategy:indicator-detail", args=[spread["indicators"]["mia"].pk]))
    assert page.status_code == 200 and "150.0" in page.context["chart"]


def test_a_liaison_enters_only_for_his_body(api, client, people, spread):
    mia, almaty = spread["indicators"]["mia"], spread["indicators"]["almaty"]
    liaison = api(people["liaison"])
    ok = liaison.post(
        f"/api/v1/indicators/{mia.pk}/measurements", {"measurements": [{"period": "2025-01-01", "value": 160}]}
    )
    assert ok.status_code == 201, ok.content
    assert (
        liaison.post(
            f"/api/v1/indicators/{almaty.pk}/measurements", {"measurements": [{"period": "2025-01-01", "value": 1}]}
        ).status_code
        == 404
    )
    member = api(people["member"])  # a member reads by clearance but does not report
    assert (
        member.post(
            f"/api/v1/indicators/{mia.pk}/measurements", {"measurements": [{"period": "2025-01-01", "value": 1}]}
        ).status_code
        == 403
    )
    client.force_login(people["liaison"])
    page = client.post(
        reverse("strategy:indicator-action", args=[almaty.pk, "measure"]), {"period": "2025-01-01", "value": "3"}
    )
    assert page.status_code == 404
    assert not Measurement.objects.filter(indicator=almaty, period=D(2025, 1, 1)).exists()


def test_only_analysts_verify(api, people, spread):
    measurement = Measurement.objects.get(indicator=spread["indicators"]["mia"])
    assert api(people["liaison"]).post(f"/api/v1/measurements/{measurement.pk}/verify").status_code == 403
    response = api(people["analyst"]).post(f"/api/v1/measurements/{measurement.pk}/verify")
    assert response.status_code == 200 and response.json()["verified"] is True


def test_body_page_lists_only_what_the_reader_sees(client, people, spread, bodies):
    client.force_login(people["liaison_almaty"])
    page = client.get(reverse("strategy:body", args=[bodies["mia"].pk]))
    assert page.status_code == 200 and page.context["rows"] == []
    assert client.get(reverse("strategy:mine")).url == reverse("strategy:body", args=[bodies["akimat"].pk])
    client.force_login(people["liaison"])
    rows = client.get(reverse("strategy:body", args=[bodies["mia"].pk])).context["rows"]
    assert [i.code for i, _due in rows] == ["MIA-1"]
    assert rows[0][1][:2] == ["2021", "2022"]  # measured 2024 only: 2021-2023 and 2025 are still due
    assert "2025" in rows[0][1] and "2024" not in rows[0][1]


def test_heatmap_and_reports_are_not_for_liaisons(client, people, spread, document):
    report = services.create_report(document, actor=people["analyst"], period="2025-01-01", conclusion="Slipping.")
    client.force_login(people["liaison"])
    assert client.get(reverse("strategy:heatmap")).status_code == 404
    assert client.get(reverse("strategy:report-detail", args=[report.pk])).status_code == 404
    assert client.get(reverse("strategy:report-export", args=[report.pk, "pdf"])).status_code == 404
    assert client.get(reverse("strategy:thresholds")).status_code == 404


def test_thresholds_are_not_for_liaisons_by_page_or_api(api, client, people):
    for name in ("liaison", "liaison_almaty"):
        assert api(people[name]).get("/api/v1/evaluation-settings").status_code == 404
        client.force_login(people[name])
        assert client.get(reverse("strategy:thresholds")).status_code == 404
    for name in ("analyst", "member", "secretary"):
        response = api(people[name]).get("/api/v1/evaluation-settings")
        assert response.status_code == 200 and set(response.json()) == {"achieved", "on_track", "at_risk"}
