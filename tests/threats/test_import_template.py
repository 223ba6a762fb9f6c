"""The XLSX templates of the threat register's imports (observations, events): the importer's own
columns, codes to choose from, instructions; filled in, each imports."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kenes.core import imports
from kenes.reports import import_template
from kenes.threats import imports as threat_imports
from kenes.threats.models import Observation


def _template(client, user, kind):
    client.force_login(user)
    response = client.get(reverse("threats:import-template", args=[kind]))
    assert response.status_code == 200, response.status_code
    return load_workbook(io.BytesIO(response.content))


def _run(user, kind, workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    job = imports.start(f"threats.{kind}", buffer.getvalue(), filename="template.xlsx", actor=user)
    job.refresh_from_db()
    return job


@pytest.mark.parametrize("kind", ["observations", "events"])
def test_the_headers_are_the_importers_columns(client, users, kind):
    columns = {"observations": threat_imports.OBSERVATION_COLUMNS, "events": threat_imports.EVENT_COLUMNS}[kind]
    workbook = _template(client, users["analyst"], kind)
    assert [cell.value for cell in workbook["Data"][1]] == [column.key for column in columns]
    assert "Instructions" in workbook.sheetnames


def test_the_observations_template_round_trips(client, users, make_signal):
    one = make_signal(code="seizures")
    workbook = _template(client, users["analyst"], "observations")
    data = workbook["Data"]
    assert data["A2"].value == import_template.EXAMPLE_CODE
    assert [row[0] for row in workbook["Lists"].iter_rows(min_row=2, values_only=True)] == ["seizures"]
    assert data.data_validations.dataValidation[0].type == "list"
    data["A2"], data["B2"], data["C2"] = "seizures", "2026-01-01", 5
    data.append(["seizures", "2026-02-01", 7])
    job = _run(users["analyst"], "observations", workbook)
    assert job.status == "done", job.errors
    assert sorted(Observation.objects.filter(signal=one).values_list("value", flat=True)) == [5, 7]


def test_the_events_template_round_trips(client, users):
    workbook = _template(client, users["analyst"], "events")
    data = workbook["Data"]
    forgotten = _run(users["analyst"], "events", workbook)
    assert forgotten.status == "failed" and (forgotten.errors[0]["row"], forgotten.errors[0]["column"]) == (2, "region")
    data["A2"], data["B2"], data["C2"], data["D2"] = "2026-01-14", "Almaty", "protest", 0
    data.append(["2026-01-20", "Almaty", "protest", None])
    job = _run(users["analyst"], "events", workbook)
    assert job.status == "done", job.errors


def test_templates_of_unknown_kinds_and_for_liaisons_are_not_found(client, users):
    client.force_login(users["analyst"])
    assert client.get("/threats/import/nonsense/template.xlsx").status_code == 404
    client.force_login(users["liaison"])
    assert client.get(reverse("threats:import-template", args=["observations"])).status_code == 404
