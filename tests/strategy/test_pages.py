"""Pages of strategic monitoring: the tree, the heatmap, a document, an indicator with its chart,
history and instructions, a body's page, the entry and verify actions, evaluation reports with their
exports and the agenda; hostile text rendered escaped and exported without formulas; no N+1."""

import datetime as dt
import io
import json

import openpyxl
from django.urls import reverse

from kenes.control import services as control
from kenes.core.classification import Classification
from kenes.council import services as council
from kenes.council.models import AgendaItem
from kenes.strategy import services
from kenes.strategy.models import EvaluationReport, Measurement, MeasurementRevision
from tests.conftest import queries

D = dt.date
XSS = "<script>alert(1)</script>"


def test_tree_heatmap_document_and_indicator_pages(client, people, document, make_indicator):
    indicator = make_indicator("PG-1", name=f"Crimes {XSS}")
    services.record_measurements(
        indicator,
        actor=people["analyst"],
        measurements=[(f"{y}-01-01", 100 + 9 * (y - 2020) + y % 2) for y in range(2021, 2026)],
    )
    client.force_login(people["analyst"])
    for url in (
        reverse("strategy:document-list"),
        reverse("strategy:heatmap"),
        reverse("strategy:document-detail", args=[document.pk]),
        reverse("strategy:indicator-detail", args=[indicator.pk]),
        reverse("strategy:body", args=[indicator.responsible_id]),
        reverse("strategy:thresholds"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert XSS not in html
    page = client.get(reverse("strategy:indicator-detail", args=[indicator.pk]))
    chart = json.loads(page.context["chart"])
    assert chart["labels"][0] == "2020" and chart["labels"][-1] == "2030"
    assert chart["series"]["baseline"][0] == 100 and chart["series"]["actuals"][5] == 146
    assert chart["series"]["targets"][-1] == 200
    assert chart["series"]["forecast"][-1] is not None and chart["series"]["lo95"][-1] < chart["series"]["hi95"][-1]
    assert "data-indicator-chart" in page.content.decode() and "<script>alert" not in page.content.decode()


def test_list_filters_narrow_and_an_invalid_filter_is_ignored(client, people, document, make_indicator):
    measured = make_indicator("F-1", name="Measured")
    make_indicator("F-2", name="Silent")
    services.record_measurements(measured, actor=people["analyst"], measurements=[("2024-01-01", 300)])
    client.force_login(people["analyst"])
    detail = reverse("strategy:document-detail", args=[document.pk])
    codes = lambda query: [i.code for i in client.get(detail, query).context["page"]]  # noqa: E731
    assert codes({"status": "no_data"}) == ["F-2"]
    assert codes({"q": "Measured"}) == ["F-1"]
    assert codes({"status": "bogus"}) == ["F-1", "F-2"]
    tree = reverse("strategy:document-list")
    assert document.title in client.get(tree, {"kind": "security_strategy"}).content.decode()
    assert document.title not in client.get(tree, {"kind": "concept"}).content.decode()
    assert document.title in client.get(tree, {"kind": "bogus"}).content.decode()


def test_a_liaison_enters_a_value_on_the_page_and_an_analyst_verifies_it(client, people, make_indicator):
    indicator = make_indicator("PG-2")
    client.force_login(people["liaison"])
    url = reverse("strategy:indicator-action", args=[indicator.pk, "measure"])
    assert client.post(url, {"period": "2024-01-01", "value": "abc"}).status_code == 422
    assert client.post(url, {"period": "2024-02-01", "value": "1"}).status_code == 422  # not offered: not a year
    assert client.post(url, {"period": "2024-01-01", "value": "150"}).status_code == 302
    assert client.post(url, {"period": "2024-01-01", "value": "151"}).status_code == 302
    measurement = Measurement.objects.get(indicator=indicator)
    assert measurement.value == 151 and measurement.source == "page"
    assert MeasurementRevision.objects.get(measurement=measurement).value == 150
    page = client.get(reverse("strategy:indicator-detail", args=[indicator.pk])).content.decode()
    assert "Verify" not in page and "was 150" in page.replace("was\n", "was ")
    verify = reverse("strategy:indicator-action", args=[indicator.pk, "verify"])
    client.post(verify, {"measurement": measurement.pk})
    measurement.refresh_from_db()
    assert measurement.verified_at is None  # a liaison does not verify
    client.force_login(people["analyst"])
    client.post(verify, {"measurement": measurement.pk})
    measurement.refresh_from_db()
    assert measurement.verified_by == people["analyst"]


def test_instructions_aimed_at_an_indicator_are_listed_on_its_page(client, people, make_indicator, bodies):
    indicator = make_indicator("PG-3")
    control.issue_instruction(
        actor=people["secretary"],
        text="Explain the lag of the indicator.",
        lead_executor=bodies["mia"],
        controller=people["controller"],
        due_date=D(2026, 12, 20),
        issued_on=D(2026, 11, 20),
        subject=indicator,
    )
    client.force_login(people["analyst"])
    assert (
        "Explain the lag of the indicator."
        in client.get(reverse("strategy:indicator-detail", args=[indicator.pk])).content.decode()
    )
    assert (
        'id="aim-instruction"'
        not in client.get(reverse("strategy:indicator-detail", args=[indicator.pk])).content.decode()
    )
    client.force_login(people["controller"])
    page = client.get(reverse("strategy:indicator-detail", args=[indicator.pk])).content.decode()
    assert f"/instructions/new/?subject=indicator:{indicator.pk}" in page
    form = client.get("/instructions/new/", {"subject": f"indicator:{indicator.pk}"}).content.decode()
    assert f'value="indicator:{indicator.pk}"' in form and indicator.name in form
    client.force_login(people["liaison_almaty"])
    assert client.get(reverse("strategy:indicator-detail", args=[indicator.pk])).status_code == 404


def test_document_export_neutralises_formulas(client, people, document, make_indicator):
    indicator = make_indicator("PG-4", name='=HYPERLINK("http://evil")')
    services.record_measurements(indicator, actor=people["analyst"], measurements=[("2024-01-01", 140)])
    client.force_login(people["analyst"])
    response = client.get(reverse("strategy:document-export", args=[document.pk]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Indicators"]
    names = [row[1].value for row in sheet.iter_rows(min_row=3)]
    assert names == ['\'=HYPERLINK("http://evil")']
    assert str(sheet["A1"].value).upper().startswith("FOR OFFICIAL USE")


def test_report_export_and_agenda(client, people, document, make_indicator):
    indicator = make_indicator("PG-5")
    services.record_measurements(indicator, actor=people["analyst"], measurements=[("2024-01-01", 150)])
    client.force_login(people["analyst"])
    new = reverse("strategy:report-new", args=[document.pk])
    response = client.post(new, {"year": 2025, "conclusion": f"Lagging {XSS}", "recommendations": "Hear the minister."})
    assert response.status_code == 302
    report = EvaluationReport.objects.get()
    assert report.figures["indicators"][0]["code"] == "PG-5" and report.classification == document.classification
    assert XSS not in client.get(response.url).content.decode()
    for fmt, magic in (("docx", b"PK"), ("pdf", b"%PDF")):
        exported = client.get(reverse("strategy:report-export", args=[report.pk, fmt]))
        assert exported.status_code == 200 and exported.content.startswith(magic)
    assert client.get(reverse("strategy:report-export", args=[report.pk, "exe"])).status_code == 404
    meeting = council.create_meeting(actor=people["secretary"], title="Session", date=D(2026, 12, 15))
    agenda = reverse("strategy:report-agenda", args=[report.pk])
    client.post(agenda, {"meeting": meeting.pk})
    assert not AgendaItem.objects.exists()  # the analyst may not change an agenda
    client.force_login(people["secretary"])
    assert client.post(agenda, {"meeting": meeting.pk}).status_code == 302
    item = AgendaItem.objects.get()
    assert item.kind == "strategy_review" and item.classification == Classification.SECRET
    report.refresh_from_db()
    assert report.agenda_item == item
    assert item.subject_id == report.pk


def test_a_report_snapshot_holds_nothing_above_its_level(people, document, make_indicator):
    make_indicator("LOW")
    make_indicator("HIGH", classification=Classification.SECRET)
    report = services.create_report(document, actor=people["analyst"], period="2025-01-01", conclusion="c")
    assert [r["code"] for r in report.figures["indicators"]] == ["LOW"]
    secret = services.create_report(
        document, actor=people["analyst"], period="2025-01-01", conclusion="c", classification=Classification.SECRET
    )
    assert {r["code"] for r in secret.figures["indicators"]} == {"LOW", "HIGH"}


def test_an_official_report_never_carries_a_secret_goal(people, document, make_indicator):
    secret_goal = services.create_goal(
        document, actor=people["analyst"], title="Covert programme", classification=Classification.SECRET
    )
    make_indicator("LOW")
    make_indicator("HIGH", goal=secret_goal, classification=Classification.SECRET)
    report = services.create_report(document, actor=people["analyst"], period="2025-01-01", conclusion="c")
    assert report.classification == Classification.OFFICIAL
    assert "Covert programme" not in json.dumps(report.figures)
    assert secret_goal.pk not in [g["id"] for g in report.figures["goals"]]
    assert report.figures["document"]["counts"].get("no_data") == 1  # HIGH's share is left out too


def test_the_export_of_a_document_with_a_secret_goal_is_marked_secret(client, people, document):
    services.create_goal(
        document, actor=people["analyst"], title="Covert programme", classification=Classification.SECRET
    )
    client.force_login(people["analyst"])
    response = client.get(reverse("strategy:document-export", args=[document.pk]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Indicators"]
    assert str(sheet["A1"].value).upper().startswith("SECRET")


def test_list_pages_make_the_same_number_of_queries_for_few_and_many(client, people, document, make_indicator, bodies):
    client.force_login(people["analyst"])
    first = make_indicator("N0")
    services.record_measurements(first, actor=people["analyst"], measurements=[("2021-01-01", 1)])
    urls = [
        reverse("strategy:document-list"),
        reverse("strategy:heatmap"),
        reverse("strategy:document-detail", args=[document.pk]),
        reverse("strategy:body", args=[bodies["mia"].pk]),
        reverse("strategy:indicator-detail", args=[first.pk]),
    ]
    small = {url: queries(client, url) for url in urls}
    for n in range(1, 8):
        goal = services.create_goal(document, actor=people["analyst"], title=f"Goal {n}")
        indicator = make_indicator(f"N{n}", goal=goal)
        services.record_measurements(
            indicator, actor=people["analyst"], measurements=[("2021-01-01", 1), ("2022-01-01", 2)]
        )
        services.create_document(
            actor=people["analyst"],
            kind="action_plan",
            title=f"Plan {n}",
            period_start=D(2021, 1, 1),
            period_end=D(2022, 12, 31),
            owner=bodies["mia"],
            parent=document,
        )
    services.record_measurements(
        first, actor=people["analyst"], measurements=[(f"{y}-01-01", y) for y in range(2022, 2026)]
    )
    services.record_measurements(first, actor=people["analyst"], measurements=[("2021-01-01", 5)])
    large = {url: queries(client, url) for url in urls}
    assert small == large


def test_thresholds_page_is_the_secretarys(client, people):
    client.force_login(people["analyst"])
    assert (
        client.post(reverse("strategy:thresholds"), {"achieved": 1, "on_track": 0.8, "at_risk": 0.6}).status_code == 404
    )
    client.force_login(people["secretary"])
    assert (
        client.post(reverse("strategy:thresholds"), {"achieved": 1, "on_track": 1.2, "at_risk": 0.6}).status_code == 422
    )
    assert (
        client.post(reverse("strategy:thresholds"), {"achieved": 1, "on_track": 0.8, "at_risk": 0.6}).status_code == 302
    )
    assert services.thresholds().on_track == 0.8


def test_a_report_on_the_agenda_leads_to_instructions_aimed_at_it(api, client, people, document, bodies):
    report = services.create_report(document, actor=people["analyst"], period="2025-01-01", conclusion="Lagging.")
    meeting = council.create_meeting(actor=people["secretary"], title="Session", date=D(2026, 12, 15))
    secretary = api(people["secretary"])
    url = f"/api/v1/evaluation-reports/{report.pk}/agenda"
    assert api(people["analyst"]).post(url, {"meeting": meeting.pk}).status_code == 403
    answer = secretary.post(url, {"meeting": meeting.pk})
    assert answer.status_code == 201 and answer.json()["agenda_item"] is not None
    assert secretary.post(url, {"meeting": meeting.pk}).status_code == 422  # once only
    control.issue_instruction(
        actor=people["secretary"],
        text="Submit a plan to recover the lagging goals.",
        lead_executor=bodies["mia"],
        controller=people["controller"],
        due_date=D(2026, 12, 28),
        issued_on=D(2026, 11, 20),
        subject=report,
    )
    client.force_login(people["analyst"])
    page = client.get(reverse("strategy:report-detail", args=[report.pk])).content.decode()
    assert "Submit a plan to recover the lagging goals." in page and "item 1" in page


def test_a_correction_clears_the_verification(people, make_indicator):
    indicator = make_indicator("V1")
    (measurement,) = services.record_measurements(indicator, actor=people["liaison"], measurements=[("2024-01-01", 1)])
    services.verify_measurement(measurement, actor=people["analyst"])
    services.record_measurements(indicator, actor=people["liaison"], measurements=[("2024-01-01", 1)])
    measurement.refresh_from_db()
    assert measurement.verified_at is not None  # the same value again is no correction
    services.record_measurements(indicator, actor=people["liaison"], measurements=[("2024-01-01", 2)])
    measurement.refresh_from_db()
    assert measurement.verified_at is None and measurement.revisions.get().value == 1
