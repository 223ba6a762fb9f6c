"""Need-to-know in strategic monitoring: a liaison sees, lists, counts, searches, exports and charts
only his body's indicators (and the documents and goals holding them), up to his clearance; the
apparatus reads by clearance. Everything else answers 404, by every path."""

import datetime as dt
import io

import openpyxl
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


EXPECTED = {
    "liaison": {"mia"},
    "liaison_almaty": {"almaty"},
    "liaison_mod": set(),  # his indicator is secret, above his clearance
    "analyst": {"mia", "mia_secret", "almaty", "defence"},
    "admin": {"mia", "almaty"},
}


@pytest.mark.parametrize("name", list(EXPECTED))
def test_indicators_by_every_path(client, api, people, spread, document, name):
    user = people[name]
    expected = EXPECTED[name]
    indicators = spread["indicators"]
    client.force_login(user)
    api_client = api(user)
    listed = api_client.get("/api/v1/indicators").json()
    assert {i["code"] for i in listed["items"]} == {indicators[k].code for k in expected}
    assert listed["count"] == len(expected)
    found = api_client.get("/api/v1/search", {"q": "a"}).json()
    seen = {i["id"] for i in found["items"] if i["type"] == "indicator"}
    for key, indicator in indicators.items():
        visible = key in expected
        status = 200 if visible else 404
        for url in (
            f"/api/v1/indicators/{indicator.pk}",
            f"/api/v1/indicators/{indicator.pk}/measurements",
            f"/api/v1/indicators/{indicator.pk}/evaluation",
        ):
            assert api_client.get(url).status_code == status, (name, key, url)
        page = client.get(reverse("strategy:indicator-detail", args=[indicator.pk]))
        assert page.status_code == status, (name, key)
        if visible:
            assert "150.0" in page.context["chart"]  # the chart's data come from the visible indicator only
        assert (indicator.pk in seen) is visible, (name, key)
        measurement = Measurement.objects.get(indicator=indicator)
        verified = api_client.post(f"/api/v1/measurements/{measurement.pk}/verify")
        assert verified.status_code in ((200, 403) if visible else (404,)), (name, key)


@pytest.mark.parametrize("name", list(EXPECTED))
def test_documents_goals_heatmap_and_export(client, api, people, spread, document, goal, name):
    user = people[name]
    expected = EXPECTED[name]
    indicators = spread["indicators"]
    client.force_login(user)
    api_client = api(user)
    docs_expected = {indicators[k].document_id for k in expected}
    listed = api_client.get("/api/v1/strategic-documents").json()
    assert {d["id"] for d in listed["items"]} == docs_expected
    assert listed["count"] == len(docs_expected)
    for doc in (document, spread["secret_doc"]):
        status = 200 if doc.pk in docs_expected else 404
        assert api_client.get(f"/api/v1/strategic-documents/{doc.pk}").status_code == status
        assert api_client.get(f"/api/v1/strategic-documents/{doc.pk}/evaluation").status_code == status
        assert client.get(reverse("strategy:document-detail", args=[doc.pk])).status_code == status
        assert client.get(reverse("strategy:document-export", args=[doc.pk])).status_code == status
    if document.pk in docs_expected:
        goals = api_client.get(f"/api/v1/strategic-documents/{document.pk}/goals").json()
        goal_titles = {g["title"] for g in goals["items"]}
        assert ("Public order" in goal_titles) is ("mia" in expected or not people[name].is_liaison)
        assert ("Goal of Almaty only" in goal_titles) is ("almaty" in expected or not people[name].is_liaison)
        rollup = api_client.get(f"/api/v1/strategic-documents/{document.pk}/evaluation").json()
        assert sum(rollup["counts"].values()) == len([k for k in expected if k != "defence"])
        workbook = openpyxl.load_workbook(
            io.BytesIO(client.get(reverse("strategy:document-export", args=[document.pk])).content)
        )
        exported = " ".join(str(c.value) for row in workbook["Indicators"].iter_rows() for c in row)
        for key, indicator in indicators.items():
            assert (indicator.code in exported) is (key in expected and indicator.document_id == document.pk), key
    tree = client.get(reverse("strategy:document-list")).content.decode()
    assert ("Secret defence program" in tree) is (spread["secret_doc"].pk in docs_expected)
    heatmap = client.get(reverse("strategy:heatmap"))
    if people[name].is_liaison or name == "admin":  # the heatmap is the Council's and its apparatus's
        assert heatmap.status_code == 404
    else:
        assert heatmap.status_code == 200
        assert {d.pk for d, _n, _g in heatmap.context["rows"]} == docs_expected
    widget = [w for w in client.get("/").context["widgets"] if w["name"] == "strategy"]
    assert (widget[0]["total"] if widget else 0) == len(expected)


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
