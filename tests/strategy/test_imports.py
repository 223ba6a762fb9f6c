"""Imports of measurements: many indicators in one file, all or nothing, every row checked and each
error reported by row and column; hostile files refused with a clear error and nothing written."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.test.client import MULTIPART_CONTENT
from django.urls import reverse

from kenes.core import context
from kenes.core.models import AuditEvent, ImportJob
from kenes.core.tabular import ImportRejected
from kenes.strategy import importing
from kenes.strategy.models import IndicatorEvaluation, Measurement, MeasurementRevision

D = dt.date


@pytest.fixture
def pair(make_indicator, bodies):
    return {
        "mia": make_indicator("MIA-1"),
        "mia_q": make_indicator(
            "MIA-Q", frequency="quarterly", baseline_period=D(2020, 10, 1), targets=[(D(2024, 1, 1), 120)]
        ),
        "almaty": make_indicator("ALM-1", responsible=bodies["akimat"]),
    }


def csv(*rows: str, header: str = "indicator,period,value") -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def rejected(data: bytes, user, **kwargs) -> ImportRejected:
    with pytest.raises(ImportRejected) as caught:
        importing.import_file(data, actor=user, filename="values.csv", **kwargs)
    assert not Measurement.objects.exists()
    return caught.value


def errors_of(rejection: ImportRejected) -> set[tuple[int, str]]:
    return {(e.row, e.column) for e in rejection.errors}


def test_a_liaison_imports_many_indicators_at_once(people, pair):
    result = importing.import_file(
        csv("MIA-1,2021-01-01,110", 'mia-1,2022-01-01,"121,5"', "MIA-Q,2024-01-01,119", "MIA-Q,2024-04-01,121"),
        actor=people["liaison"],
        filename="values.csv",
    )
    assert result == {"rows": 4, "created": 4, "updated": 0, "unchanged": 0, "indicators": 2}
    assert Measurement.objects.get(indicator=pair["mia"], period=D(2022, 1, 1)).value == 121.5
    assert IndicatorEvaluation.objects.get(indicator=pair["mia_q"]).achievement == pytest.approx(0.95)
    event = AuditEvent.objects.filter(object_type="strategy.measurement").latest("seq")
    assert event.changes["rows"] == 4 and len(event.changes["sha256"]) == 64
    assert event.actor == people["liaison"]


def test_a_second_import_corrects_and_keeps_the_old_values(people, pair):
    importing.import_file(
        csv("MIA-1,2021-01-01,110", "MIA-1,2022-01-01,120"), actor=people["liaison"], filename="a.csv"
    )
    result = importing.import_file(
        csv("MIA-1,2021-01-01,111", "MIA-1,2022-01-01,120", "MIA-1,2023-01-01,130"),
        actor=people["liaison"],
        filename="b.csv",
    )
    assert result["created"] == 1 and result["updated"] == 1 and result["unchanged"] == 1
    revision = MeasurementRevision.objects.get()
    assert revision.value == 110 and revision.measurement.value == 111
    assert revision.replaced_by == people["liaison"]
    event = AuditEvent.objects.filter(object_type="strategy.measurement").latest("seq")
    assert event.changes["replaced"] == {"MIA-1": {"2021-01-01": [110.0, 111.0]}}
    assert event.changes["replaced_total"] == 1


def test_the_import_event_names_at_most_a_thousand_replaced_values_and_counts_them_all(
    people, document, make_indicator
):
    indicators = [
        make_indicator(f"M-{n}", frequency="monthly", baseline_period=D(2020, 12, 1), targets=[]) for n in range(20)
    ]
    months = [D(2021 + m // 12, m % 12 + 1, 1) for m in range(60)]  # 20 × 60 = 1200 values
    lines = [f"{i.code},{month.isoformat()},1" for i in indicators for month in months]
    importing.import_file(csv(*lines), actor=people["analyst"], filename="first.csv")
    importing.import_file(csv(*[line[:-1] + "2" for line in lines]), actor=people["analyst"], filename="second.csv")
    event = AuditEvent.objects.filter(object_type="strategy.measurement").latest("seq")
    assert event.changes["replaced_total"] == 1200
    entries = [
        (code, period, pair) for code, values in event.changes["replaced"].items() for period, pair in values.items()
    ]
    assert len(entries) == 1000
    assert all(pair == [1.0, 2.0] for _c, _p, pair in entries)


def test_every_bad_row_is_reported_by_row_and_column(people, pair):
    rejection = rejected(
        csv(
            "MIA-1,2021-01-01,110",  # 2: fine
            "ALM-1,2021-01-01,5",  # 3: not his: unknown, not a leak
            "NOPE,2021-01-01,5",  # 4: unknown
            "MIA-1,2021-02-01,5",  # 5: not a year's start
            "MIA-1,2035-01-01,5",  # 6: outside the document
            "MIA-1,2027-01-01,5",  # 7: has not begun
            "MIA-1,2022-01-01,abc",  # 8: not a number
            "MIA-1,2023-01-01,1e20",  # 9: absurd
            "MIA-1,2021-01-01,111",  # 10: duplicate of row 2
            "MIA-1,2024-01-01,nan",  # 11: not finite
            "MIA-1,2021-02-30,1",  # 12: impossible date
            ",2024-01-01,1",  # 13: no indicator
        ),
        people["liaison"],
    )
    assert errors_of(rejection) == {
        (3, "indicator"),
        (4, "indicator"),
        (5, "period"),
        (6, "period"),
        (7, "period"),
        (8, "value"),
        (9, "value"),
        (10, "period"),
        (11, "value"),
        (12, "period"),
        (13, "indicator"),
    }
    messages = {(e.row, e.column): str(e.message) for e in rejection.errors}
    assert messages[(3, "indicator")] == messages[(4, "indicator")] == "Unknown indicator."
    assert "row 2" in messages[(10, "period")]


def test_the_apparatus_imports_anyones_and_a_member_no_ones(people, pair):
    importing.import_file(csv("ALM-1,2021-01-01,110"), actor=people["analyst"], filename="a.csv")
    assert Measurement.objects.count() == 1
    with context.allowing_bulk(Measurement):  # the test empties the table between two imports
        Measurement.objects.all().delete()
    assert errors_of(rejected(csv("MIA-1,2021-01-01,110"), people["member"])) == {(2, "indicator")}


def _xlsx(rows, *, merge=None, formula=False) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Indicator", "Period", "Value"])
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    if formula:
        sheet["C2"] = "=1+1"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_with_dates_and_numbers(people, pair):
    data = _xlsx([["MIA-1", dt.datetime(2021, 1, 1), 110], ["MIA-1", dt.datetime(2022, 1, 1), 120.5]])
    assert importing.import_file(data, actor=people["liaison"], filename="v.xlsx")["created"] == 2


@pytest.mark.parametrize(
    "case",
    [
        "wrong_encoding",
        "formula",
        "merged",
        "too_many_rows",
        "empty",
        "not_a_spreadsheet",
        "no_header",
        "missing_column",
    ],
)
def test_hostile_files_are_refused_with_a_clear_error(people, pair, case):
    data = {
        "wrong_encoding": "indicator;period;value\nMIA-1;2021-01-01;Сто\n".encode("cp1251"),
        "formula": _xlsx([["MIA-1", dt.datetime(2021, 1, 1), 1]], formula=True),
        "merged": _xlsx([["MIA-1", dt.datetime(2021, 1, 1), 1], ["MIA-1", dt.datetime(2022, 1, 1), 2]], merge="A2:A3"),
        "too_many_rows": csv(*[f"MIA-1,{2021 + n % 5}-01-01,{n}" for n in range(100_000)]),
        "empty": b"",
        "not_a_spreadsheet": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
        "no_header": b"\n\n",
        "missing_column": csv("MIA-1,2021-01-01", header="indicator,period"),
    }[case]
    expected = {  # row, column and the reason each file is refused for
        "wrong_encoding": (2, "", "not a spreadsheet or UTF-8 text"),
        "formula": (2, "C", "holds a formula"),
        "merged": (0, "", "merged cells (A2:A3)"),
        "too_many_rows": (50002, "", "more than 50000 data rows"),  # the page's and the API's limit by default
        "empty": (0, "", "The file is empty."),
        "not_a_spreadsheet": (1, "", "not a spreadsheet or UTF-8 text"),
        "no_header": (0, "", "The file is empty."),
        "missing_column": (1, "value", "required column is missing"),
    }[case]
    rejection = rejected(data, people["liaison"])
    assert rejection.total == 1 and len(rejection.errors) == 1
    error = rejection.errors[0]
    assert (error.row, error.column) == expected[:2]
    assert expected[2] in str(error.message).replace(",", "").replace("\u00a0", "")
    assert str(rejection)


def test_the_page_limit_is_configurable_and_the_command_takes_more(people, pair, settings, tmp_path):
    settings.KENES_STRATEGY_IMPORT_MAX_ROWS = 2
    data = csv("MIA-1,2021-01-01,110", "MIA-1,2022-01-01,120", "MIA-1,2023-01-01,130")
    rejected(data, people["liaison"])
    path = tmp_path / "values.csv"
    path.write_bytes(data)
    out = io.StringIO()
    call_command("import_measurements", str(path), user="liaison_mvd", stdout=out, stderr=io.StringIO())
    assert Measurement.objects.count() == 3 and "3 rows" in out.getvalue()


def test_the_command_reports_errors_and_writes_nothing(people, pair, tmp_path):
    from django.core.management.base import CommandError

    path = tmp_path / "values.csv"
    path.write_bytes(csv("ALM-1,2021-01-01,110"))
    with pytest.raises(CommandError, match="Unknown indicator"):
        call_command("import_measurements", str(path), user="liaison_mvd", stdout=io.StringIO(), stderr=io.StringIO())
    assert not Measurement.objects.exists()


def test_upload_on_the_page_then_the_job_shows_errors_or_the_result(client, people, pair):
    client.force_login(people["liaison"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("v.csv", csv("MIA-1,2021-01-01,110", "MIA-1,2022-01-01,x"), content_type="text/csv")
    response = client.post(reverse("strategy:import"), {"file": bad})
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.status == "failed" and job.errors == [
        {
            "row": 3,
            "column": "value",
            "message": "“x” is not a number.",
            "code": "import.not_a_number",
            "params": {"value": "x"},
        }
    ]
    page = client.get(response.url)
    assert "is not a number" in page.content.decode() and not Measurement.objects.exists()
    good = SimpleUploadedFile("v.csv", csv("MIA-1,2021-01-01,110", "MIA-1,2022-01-01,111"), content_type="text/csv")
    client.post(reverse("strategy:import"), {"file": good})
    assert ImportJob.objects.latest("pk").status == "done" and Measurement.objects.count() == 2
    evaluation = IndicatorEvaluation.objects.get(indicator=pair["mia"])
    assert evaluation.forecast_at is not None and evaluation.forecast_end_value is not None  # the task ran
    client.force_login(people["liaison_almaty"])
    assert client.get(response.url).status_code == 404  # a job is its owner's alone


def test_upload_through_the_api(api, people, pair):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = api(people["liaison"])
    upload = SimpleUploadedFile("v.csv", csv("MIA-1,2021-01-01,110"), content_type="text/csv")
    response = client.generic("POST", "/api/v1/measurement-imports", b"", content_type="application/json")
    assert response.status_code == 422
    response = client.post("/api/v1/measurement-imports", {"file": upload}, content_type=MULTIPART_CONTENT)
    assert response.status_code == 202, response.content
    job = client.get(f"/api/v1/imports/{response.json()['id']}").json()
    assert job["status"] == "done"
    assert (
        api(people["auditor"])
        .post(
            "/api/v1/measurement-imports",
            {"file": SimpleUploadedFile("v.csv", csv("MIA-1,2021-01-01,110"))},
            content_type=MULTIPART_CONTENT,
        )
        .status_code
        == 403
    )


def test_a_file_over_the_upload_limit_is_refused_by_page_and_api_alike(api, client, people, pair, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.KENES_MAX_UPLOAD_BYTES = 40
    data = csv("MIA-1,2021-01-01,110", "MIA-1,2022-01-01,111")
    assert len(data) > 40
    answer = api(people["liaison"]).post(
        "/api/v1/measurement-imports", {"file": SimpleUploadedFile("v.csv", data)}, content_type=MULTIPART_CONTENT
    )
    assert answer.status_code == 413 and answer.json()["errors"][0]["loc"][-1] == "file"
    client.force_login(people["liaison"])
    page = client.post(reverse("strategy:import"), {"file": SimpleUploadedFile("v.csv", data)})
    assert page.status_code == 422 and "larger than" in page.content.decode()
    assert not ImportJob.objects.exists() and not Measurement.objects.exists()
