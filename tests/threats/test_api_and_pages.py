"""The API and the pages: fields, hostile input, imports by row and column, the forecast
fan and its backtest figures, acknowledgement, exports with their marking, and the agenda link."""

import datetime as dt
import io
import json
import re

import openpyxl
import pytest
from django.urls import reverse

from kenes.core import imports
from kenes.core.classification import Classification
from kenes.core.models import AuditEvent
from kenes.threats import services
from kenes.threats.models import Alert, Forecast, ForecastRun, Observation, Signal
from tests.threats.conftest import fill, seasonal


def test_threat_and_signal_contract(api, users, orgs):
    a = api(users["analyst"])
    created = a.post(
        "/api/v1/threats",
        {
            "title": "Cyber attacks",
            "domain": "cyber",
            "scope": "external",
            "likelihood": 4,
            "impact": 5,
            "owner": orgs["mia"].pk,
            "classification": "secret",
        },
    )
    assert created.status_code == 201, created.content
    threat = created.json()
    for field in (
        "id",
        "title",
        "domain",
        "scope",
        "likelihood",
        "impact",
        "classification",
        "created_at",
        "updated_at",
    ):
        assert field in threat
    assert threat["classification"] == "secret"
    low = a.post(
        "/api/v1/signals", {"name": "Incidents", "unit": "n", "threat": threat["id"], "classification": "official"}
    )
    assert low.status_code == 422 and low.json()["errors"][0]["loc"][-1] == "classification"
    high = a.post(
        "/api/v1/signals", {"name": "Incidents", "unit": "n", "threat": threat["id"], "classification": "top_secret"}
    )
    assert high.status_code == 403
    signal = a.post(
        "/api/v1/signals", {"name": "Incidents", "unit": "n", "threat": threat["id"], "frequency": "monthly"}
    )
    assert signal.status_code == 201
    body = signal.json()
    assert {"name", "unit", "frequency", "threat", "classification"} <= set(body) and body["classification"] == "secret"
    again = a.post(
        f"/api/v1/threats/{threat['id']}/reassessment", {"likelihood": 5, "impact": 5, "trend": "rising", "reason": "r"}
    )
    assert again.status_code == 201 and again.json()["old_likelihood"] == 4
    measure = a.post(f"/api/v1/threats/{threat['id']}/countermeasures", {"title": "Patch"})
    assert measure.status_code == 201 and measure.json()["classification"] == "secret"
    assert a.patch(f"/api/v1/countermeasures/{measure.json()['id']}", {"status": "done"}).status_code == 409
    assert a.patch(f"/api/v1/countermeasures/{measure.json()['id']}", {"status": "in_progress"}).status_code == 200
    moved = a.patch(f"/api/v1/countermeasures/{measure.json()['id']}", {"status": "done"})
    assert moved.json()["status"] == "done"
    assert a.patch(f"/api/v1/countermeasures/{measure.json()['id']}", {"status": "in_progress"}).status_code == 409


@pytest.mark.parametrize(
    "payload",
    [
        {"likelihood": 0},
        {"likelihood": 6},
        {"impact": "high"},
        {"domain": "space"},
        {"scope": "both"},
        {"owner": 999999},
        {"classification": "ultra"},
        {"title": ""},
    ],
)
def test_bad_threats_are_422_naming_the_field(api, users, orgs, payload):
    body = {"title": "x", "domain": "cyber", "scope": "internal", "likelihood": 3, "impact": 3, "owner": orgs["mia"].pk}
    body.update(payload)
    answer = api(users["analyst"]).post("/api/v1/threats", body)
    assert answer.status_code == 422, answer.content
    assert answer.json()["errors"]


def test_observations_endpoint_all_or_nothing(api, users, make_signal):
    signal = make_signal()
    a = api(users["analyst"])
    url = f"/api/v1/signals/{signal.pk}/observations"
    good = a.post(url, {"observations": [{"period": "2026-01-01", "value": 3}, {"period": "2026-02-01", "value": 4}]})
    assert good.status_code == 201 and good.json() == {"created": 2, "updated": 0}
    for bad in (
        [{"period": "2026-03-01", "value": 1}, {"period": "2026-03-15", "value": 1}],
        [{"period": "2026-03-01", "value": "x"}],
        [{"period": "2026-03-01", "value": "NaN"}],
        [{"period": "2026-03-01", "value": 1}, {"period": "2026-03-01", "value": 2}],
        [{"period": "2026-02-31", "value": 1}],
        [{"value": 1}],
        [],
    ):
        answer = a.post(url, {"observations": bad})
        assert answer.status_code == 422, (bad, answer.content)
        assert answer.json()["errors"]
    assert Observation.objects.filter(signal=signal).count() == 2
    listed = a.get(url).json()
    assert listed["count"] == 2 and listed["items"][0] == {"period": "2026-01-01", "value": 3.0}


def test_forecast_endpoint(api, users, make_signal):
    signal = make_signal()
    a = api(users["analyst"])
    url = f"/api/v1/signals/{signal.pk}/forecast"
    assert a.get(url).status_code == 404
    fill(signal, seasonal(20))
    short = a.post(url, {"horizon": 12})
    assert short.status_code == 422 and "too short" in short.json()["detail"]
    fill(signal, seasonal(60), start=dt.date(2021, 9, 1))
    for horizon in (0, -1, 25, 10**12, "a", 1.5, None):
        answer = a.post(url, {"horizon": horizon})
        assert answer.status_code == 422, (horizon, answer.content)
    made = a.post(url, {"horizon": 12})
    assert made.status_code == 201, made.content
    body = a.get(url).json()
    assert body["model"] and body["horizon"] == 12 and len(body["points"]) == 12
    assert set(body["points"][0]) == {"period", "mean", "lo80", "hi80", "lo95", "hi95"}
    assert {"mase", "coverage95", "interval_score"} <= set(body["backtest"]) and "mase" in body["baseline"]
    assert api(users["liaison_almaty"]).post(url, {"horizon": 12}).status_code == 404


def test_constant_series_forecast_is_422(api, users, make_signal):
    signal = make_signal()
    fill(signal, [4.0] * 80)
    answer = api(users["analyst"]).post(f"/api/v1/signals/{signal.pk}/forecast", {"horizon": 6})
    assert answer.status_code == 422 and "constant" in answer.json()["detail"]


def test_alerts_endpoint_and_acknowledge(api, users, make_threat, make_signal):
    signal = make_signal(make_threat(), upper_threshold=1)
    services.record_observations(signal, actor=users["analyst"], observations=[("2026-01-01", 5)], forecast=False)
    a = api(users["analyst"])
    alerts = a.get("/api/v1/alerts").json()
    item = alerts["items"][0]
    assert {"signal", "kind", "message", "raised_at", "acknowledged", "classification"} <= set(item)
    assert item["kind"] == "threshold" and item["acknowledged"] is False
    assert a.post(f"/api/v1/alerts/{item['id']}/acknowledge", {"comment": ""}).status_code == 422
    done = a.post(f"/api/v1/alerts/{item['id']}/acknowledge", {"comment": "Seen"})
    assert done.status_code == 200 and done.json()["acknowledged"] is True
    assert a.post(f"/api/v1/alerts/{item['id']}/acknowledge", {"comment": "again"}).status_code == 409
    assert a.get("/api/v1/alerts", {"acknowledged": "false"}).json()["count"] == 0
    assert a.get("/api/v1/alerts", {"limit": 501}).status_code == 422


def _start(user, kind, text, **params):
    job = imports.start(kind, text.encode(), filename="data.csv", actor=user, params=params)
    job.refresh_from_db()
    return job


def test_observation_import_is_all_or_nothing_with_row_and_column(users, make_signal):
    one, two = make_signal(code="one"), make_signal(code="two", frequency="quarterly")
    good = _start(users["analyst"], "threats.observations", "signal,period,value\none,2026-01-01,5\ntwo,2026-04-01,7\n")
    assert good.status == "done" and good.result["created"] == 2
    event = AuditEvent.objects.filter(object_type="threats.observation").last()
    assert event.changes["created"] == 2 and len(event.changes["sha256"]) == 64
    bad = _start(
        users["analyst"],
        "threats.observations",
        "signal,period,value\none,2026-02-01,1\nnone,2026-01-01,1\ntwo,2026-05-01,1\none,2026-03-01,abc\n"
        "one,2026-02-01,2\none,2026-04-01,inf\n",
    )
    assert bad.status == "failed"
    assert {(e["row"], e["column"]) for e in bad.errors} == {
        (3, "signal"),
        (4, "period"),
        (5, "value"),
        (6, "period"),
        (7, "value"),
    }
    assert Observation.objects.count() == 2
    assert Observation.objects.get(signal=one).value == 5 and Observation.objects.get(signal=two).value == 7


def test_a_liaison_may_not_import_and_a_hidden_signal_is_unknown(users, make_threat, make_signal, orgs):
    hidden = make_signal(make_threat(owner=orgs["akimat"]), code="hidden")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        _start(users["liaison"], "threats.observations", "signal,period,value\nhidden,2026-01-01,1\n")
    assert hidden.observations.count() == 0


def test_event_import_counts_events_per_month_region_and_category(users, make_threat):
    threat = make_threat(classification=Classification.SECRET)
    text = (
        "event_date,region,event_type,fatalities\n"
        "2026-01-03,Almaty,Protests,0\n2026-01-20,Almaty,Protests,\n2026-03-02,Almaty,Protests,1\n"
        "2026-02-11,Shymkent,Riots,2\n"
    )
    job = _start(users["analyst"], "threats.events", text, classification=int(Classification.SECRET), threat=threat.pk)
    assert job.status == "done", job.errors
    protests = Signal.objects.get(region="Almaty", category="Protests")
    assert re.fullmatch(r"events-almaty-protests-[0-9a-f]{6}", protests.code), protests.code
    assert protests.threat == threat and protests.classification == Classification.SECRET
    assert list(protests.observations.order_by("period").values_list("period", "value")) == [
        (dt.date(2026, 1, 1), 2.0),
        (dt.date(2026, 2, 1), 0.0),
        (dt.date(2026, 3, 1), 1.0),
    ]
    bad = _start(
        users["analyst"],
        "threats.events",
        "event_date,region,event_type,fatalities\n2026-02-30,,Riots,-1\n",
        classification=10,
    )
    assert bad.status == "failed"
    assert {(e["row"], e["column"]) for e in bad.errors} == {(2, "event_date"), (2, "region"), (2, "fatalities")}
    assert Signal.objects.count() == 2


def test_event_import_keeps_cyrillic_regions_apart(users):
    text = (
        "event_date,region,event_type\n2026-01-03,Алматы,Митинг\n2026-01-20,Алматы,Митинг\n2026-01-05,Шымкент,Митинг\n"
    )
    job = _start(users["analyst"], "threats.events", text, classification=int(Classification.OFFICIAL))
    assert job.status == "done", job.errors
    assert job.result["signals_created"] == 2
    almaty = Signal.objects.get(region="Алматы", category="Митинг")
    shymkent = Signal.objects.get(region="Шымкент", category="Митинг")
    assert almaty.pk != shymkent.pk
    assert list(almaty.observations.values_list("value", flat=True)) == [2.0]
    assert list(shymkent.observations.values_list("value", flat=True)) == [1.0]
    again = _start(users["analyst"], "threats.events", text, classification=int(Classification.OFFICIAL))
    assert again.status == "done" and again.result["signals_created"] == 0
    assert Signal.objects.count() == 2


def test_event_import_neither_uses_nor_mentions_a_hidden_events_signal(users, make_threat, orgs):
    """The importer who may not see the events signal of a region and category gets his own, with a free
    code: the import neither fails (which would confirm the hidden one) nor writes into it."""
    secret = make_threat(actor=users["chair"], classification=Classification.TOP_SECRET, owner=orgs["akimat"])
    text = "event_date,region,event_type\n2026-01-03,Almaty,Riots\n"
    first = _start(
        users["chair"], "threats.events", text, classification=int(Classification.TOP_SECRET), threat=secret.pk
    )
    assert first.status == "done", first.errors
    hidden = Signal.objects.get(region="Almaty", category="Riots")
    job = _start(
        users["analyst"],
        "threats.events",
        text + "2026-02-03,Almaty,Riots\n",
        classification=int(Classification.OFFICIAL),
    )
    assert job.status == "done", job.errors
    assert job.result["signals_created"] == 1
    own = Signal.objects.visible_to(users["analyst"]).get(region="Almaty", category="Riots")
    assert own.pk != hidden.pk and own.code != hidden.code and own.classification == Classification.OFFICIAL
    assert list(own.observations.order_by("period").values_list("value", flat=True)) == [1.0, 1.0]
    assert list(hidden.observations.values_list("value", flat=True)) == [1.0]
    again = _start(users["analyst"], "threats.events", text, classification=int(Classification.OFFICIAL))
    assert again.status == "done" and again.result["signals_created"] == 0


def test_the_signal_page_shows_the_fan_and_the_backtest_beside_it(client, users, make_signal):
    signal = make_signal(upper_threshold=500)
    fill(signal, seasonal(72))
    forecast = services.compute_forecast(signal, actor=users["analyst"], horizon=12)
    client.force_login(users["analyst"])
    page = client.get(reverse("threats:signal-detail", args=[signal.pk]))
    chart = json.loads(page.context["chart"])
    assert len(chart["labels"]) == 60 + 12 and chart["mean"]["data"][-1] == round(forecast.points[-1]["mean"], 4)
    assert chart["band95"]["hi"][-1] == round(forecast.points[-1]["hi95"], 4) and chart["thresholds"] == [500]
    html = page.content.decode()
    assert 'id="bt-mase"' in html and 'id="bt-base-mase"' in html and "Seasonal naive" in html
    assert "<script>" not in html.replace("<script src=", "")


def test_pages_escape_hostile_text_and_exports_neutralise_formulas(client, users, make_threat):
    make_threat(title="<script>alert(1)</script>", description='=HYPERLINK("http://x")')
    make_threat(title="=1+2")
    client.force_login(users["analyst"])
    page = client.get(reverse("threats:threat-list")).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("threats:threat-export")).content))
    values = [c.value for row in book.active.iter_rows() for c in row if isinstance(c.value, str)]
    assert not any(v.startswith("=") for v in values)
    assert any("1+2" in v for v in values)


def test_acknowledging_from_the_alerts_page(client, users, make_threat, make_signal):
    signal = make_signal(make_threat(), upper_threshold=1)
    services.record_observations(signal, actor=users["analyst"], observations=[("2026-01-01", 5)], forecast=False)
    alert = Alert.objects.get()
    client.force_login(users["analyst"])
    answer = client.post(
        reverse("threats:alert-acknowledge"), {"alert": alert.pk, "comment": "Handled", "next": "//evil"}
    )
    assert answer.status_code == 302 and answer["Location"] == reverse("threats:alert-list")
    alert.refresh_from_db()
    assert alert.acknowledged and alert.comment == "Handled"
    assert client.post(reverse("threats:alert-acknowledge"), {"alert": 99999, "comment": "x"}).status_code == 404


def test_pages_create_reassess_and_record(client, users, orgs, make_threat):
    client.force_login(users["analyst"])
    made = client.post(
        reverse("threats:threat-new"),
        {
            "title": "Floods",
            "domain": "ecological",
            "scope": "internal",
            "likelihood": 3,
            "impact": 4,
            "trend": "stable",
            "owner": orgs["mia"].pk,
        },
    )
    assert made.status_code == 302
    threat = services.threats_for(users["analyst"]).get(title="Floods")
    bad = client.post(reverse("threats:threat-action", args=[threat.pk, "reassess"]), {"likelihood": 9})
    assert bad.status_code == 422
    client.post(
        reverse("threats:threat-action", args=[threat.pk, "reassess"]),
        {"likelihood": 5, "impact": 4, "trend": "rising", "reason": "Snow"},
    )
    threat.refresh_from_db()
    assert threat.likelihood == 5
    created = client.post(
        reverse("threats:signal-new", args=[threat.pk]),
        {"name": "Water level", "unit": "cm", "frequency": "monthly", "upper_threshold": 300},
    )
    signal = Signal.objects.get(name="Water level")
    assert created.status_code == 302
    wrong = client.post(
        reverse("threats:signal-action", args=[signal.pk, "observation"]), {"period": "2026-01-15", "value": 1}
    )
    assert wrong.status_code == 422 and b"first day" in wrong.content
    client.post(
        reverse("threats:signal-action", args=[signal.pk, "observation"]), {"period": "2026-01-01", "value": 350}
    )
    assert Alert.objects.filter(signal=signal, kind="threshold").exists()
    short = client.post(reverse("threats:signal-action", args=[signal.pk, "forecast"]), {"horizon": 12})
    assert short.status_code == 422 and b"too short" in short.content
    client.force_login(users["liaison"])
    assert client.get(reverse("threats:threat-new")).status_code == 404
    assert client.get(reverse("threats:run-list")).status_code == 404


def test_matrix_counts_link_to_the_filtered_register(client, users, make_threat):
    make_threat(likelihood=5, impact=1, domain="cyber")
    make_threat(likelihood=5, impact=1, domain="military", title="Other")
    client.force_login(users["analyst"])
    page = client.get(reverse("threats:matrix"), {"domain": "cyber"}).content.decode()
    assert 'href="/threats/?likelihood=5&amp;impact=1&amp;domain=cyber"' in page
    listed = client.get(reverse("threats:threat-list"), {"likelihood": 5, "impact": 1, "domain": "cyber"})
    assert listed.context["page"].paginator.count == 1


def test_situation_report_exports_and_goes_on_an_agenda(client, users, make_threat):
    from kenes.council import services as council

    make_threat(title="Ключевая угроза Қазақстан")
    report = services.create_situation_report(
        actor=users["analyst"],
        title="Report",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31),
        analyst_text="<b>Text</b>",
    )
    client.force_login(users["analyst"])
    for fmt in ("docx", "pdf"):
        answer = client.get(reverse("threats:report-export", args=[report.pk, fmt]))
        assert answer.status_code == 200 and len(answer.content) > 1000
    assert client.get(reverse("threats:report-export", args=[report.pk, "exe"])).status_code == 404
    meeting = council.create_meeting(actor=users["secretary"], title="Session", date=dt.date(2026, 12, 20))
    item = services.put_report_on_agenda(report, meeting, actor=users["secretary"])
    assert item.kind == "analysis" and item.subject_id == report.pk and item.classification >= report.classification


def test_the_run_page_polls_until_done(client, users, make_signal, django_capture_on_commit_callbacks):
    fill(make_signal(), seasonal(72))
    client.force_login(users["analyst"])
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(reverse("threats:run-list"), {"horizon": 12})
    assert answer.status_code == 302
    fragment = client.get(answer["Location"], headers={"HX-Request": "true"}).content.decode()
    assert 'data-status="done"' in fragment and "hx-get" not in fragment
    refused = client.post(reverse("threats:run-list"), {"horizon": 500})
    assert refused.status_code == 422 and "horizon" in refused.context["form"].errors


def test_the_acknowledge_form_is_shown_only_to_who_may_acknowledge(client, users, make_threat, make_signal):
    signal = make_signal(make_threat(), upper_threshold=1)
    services.record_observations(signal, actor=users["analyst"], observations=[("2026-01-01", 5)], forecast=False)
    alert = Alert.objects.get()
    pages = [
        reverse("threats:alert-list"),
        reverse("threats:signal-detail", args=[signal.pk]),
        reverse("threats:threat-detail", args=[signal.threat_id]),
    ]
    for key, shown in [("analyst", True), ("liaison", True), ("auditor", False), ("controller", False)]:
        client.force_login(users[key])
        for url in pages:
            html = client.get(url).content.decode()
            assert f'id="alert-{alert.pk}"' in html, (key, url)
            assert (f'id="ack-{alert.pk}"' in html) is shown, (key, url)
        assert services.may_acknowledge(users[key], alert) is shown


def test_a_persons_run_forecasts_only_what_he_may_read(users, make_signal, django_capture_on_commit_callbacks):
    fill(make_signal(code="open"), seasonal(72))
    fill(make_signal(actor=users["chair"], code="closed", classification=Classification.TOP_SECRET), seasonal(72))
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_run(actor=users["analyst"], horizon=12)
    run.refresh_from_db()
    assert (run.total, run.forecast, run.skipped) == (1, 1, 0)
    assert list(Forecast.objects.values_list("signal__code", flat=True)) == ["open"]


def test_runs_are_shown_to_their_starter_and_system_runs_to_every_reader_who_runs_them(
    client, users, make_signal, django_capture_on_commit_callbacks
):
    from kenes.threats.tasks import daily_forecasts

    fill(make_signal(), seasonal(72))
    with django_capture_on_commit_callbacks(execute=True):
        mine = services.start_run(actor=users["analyst"], horizon=12)
    daily_forecasts.call()
    system = ForecastRun.objects.get(started_by=None)
    assert list(services.runs_for(users["analyst"])) == [system, mine]
    assert list(services.runs_for(users["secretary"])) == [system]
    client.force_login(users["analyst"])
    assert client.get(reverse("threats:run-detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("threats:run-detail", args=[system.pk])).status_code == 200
    assert list(client.get(reverse("threats:run-list")).context["runs"]) == [system, mine]
    client.force_login(users["secretary"])
    assert client.get(reverse("threats:run-detail", args=[mine.pk])).status_code == 404
    assert client.get(reverse("threats:run-detail", args=[system.pk])).status_code == 200


def test_the_threat_page_lists_the_instructions_aimed_at_it_and_its_countermeasures(client, users, orgs, make_threat):
    from kenes.control import services as control

    threat = make_threat()
    measure = services.add_countermeasure(threat, actor=users["analyst"], title="Close the route")
    on_threat = control.issue_instruction(
        actor=users["secretary"],
        text="Assess the route",
        lead_executor=orgs["mia"],
        controller=users["controller"],
        due_date=dt.date(2026, 12, 30),
        subject=threat,
    )
    on_measure = control.issue_instruction(
        actor=users["secretary"],
        text="Close it",
        lead_executor=orgs["mia"],
        controller=users["controller"],
        due_date=dt.date(2026, 12, 30),
        subject=measure,
    )
    client.force_login(users["secretary"])
    page = client.get(reverse("threats:threat-detail", args=[threat.pk])).content.decode()
    assert on_threat.number in page and on_measure.number in page
    assert f"?subject=countermeasure:{measure.pk}" in page and f"?subject=threat:{threat.pk}" in page
    client.force_login(users["liaison_almaty"])
    assert client.get(reverse("threats:threat-detail", args=[threat.pk])).status_code == 404


def test_situation_report_pages(client, users, make_threat):
    from kenes.council import services as council

    make_threat()
    client.force_login(users["analyst"])
    bad = client.post(
        reverse("threats:report-new"), {"title": "R", "period_start": "2026-02-01", "period_end": "2026-01-01"}
    )
    assert bad.status_code == 422
    made = client.post(
        reverse("threats:report-new"),
        {"title": "Weekly", "period_start": "2026-01-01", "period_end": "2026-12-31", "analyst_text": "<i>calm</i>"},
    )
    assert made.status_code == 302
    page = client.get(made["Location"]).content.decode()
    assert "Weekly" in page and "&lt;i&gt;calm&lt;/i&gt;" in page
    assert "Weekly" in client.get(reverse("threats:report-list")).content.decode()
    meeting = council.create_meeting(actor=users["secretary"], title="Session", date=dt.date(2026, 12, 20))
    client.force_login(users["secretary"])
    put = client.post(made["Location"], {"meeting": meeting.pk})
    assert put.status_code == 302
    assert meeting.agenda_items.get().kind == "analysis"


def test_the_daily_job_forecasts_every_signal(make_signal):
    from kenes.threats.models import Forecast, ForecastRun
    from kenes.threats.tasks import daily_forecasts

    fill(make_signal(), seasonal(72))
    daily_forecasts.enqueue()
    assert ForecastRun.objects.get().status == "done" and Forecast.objects.count() == 1


def test_event_import_codes_are_random_and_fit_however_long_the_names(users):
    """Generated codes are random (never numbered: a number would count signals the importer may not
    see) and within the 80 characters of a code, even for long ASCII names."""
    region, category = "North Kazakhstan " * 6, "Unauthorised public gathering " * 4
    text = f"event_date,region,event_type\n2026-01-03,{region},{category}\n"
    job = _start(users["analyst"], "threats.events", text, classification=int(Classification.OFFICIAL))
    assert job.status == "done", job.errors
    signal = Signal.objects.get(region=region.strip(), category=category.strip())
    assert len(signal.code) <= 80 and services.SIGNAL_CODE.fullmatch(signal.code), signal.code
    assert re.fullmatch(r"events-north-kazakhstan-.*-[0-9a-f]{6}", signal.code), signal.code
