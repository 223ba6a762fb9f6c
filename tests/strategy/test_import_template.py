"""The XLSX template of the measurements import: the importer's own columns, an example row, the
codes the reader may report as a list to choose from, instructions; filled in, it imports."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from kenes.core import tabular
from kenes.reports import import_template
from kenes.strategy import importing
from kenes.strategy.models import Measurement


def _download(client, user):
    client.force_login(user)
    response = client.get(reverse("strategy:import-template"))
    assert response.status_code == 200
    assert response["Content-Type"] == import_template.CONTENT_TYPE
    assert "measurements-template.xlsx" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(response.content))


def test_the_template_has_the_importers_columns_an_example_codes_and_instructions(client, people, make_indicator):
    first, second = make_indicator("TPL-1"), make_indicator("TPL-2")
    workbook = _download(client, people["analyst"])
    assert workbook.sheetnames[0] == "Data" and "Instructions" in workbook.sheetnames
    data = workbook["Data"]
    headers = [cell.value for cell in data[1]]
    assert headers == [column.key for column in importing.COLUMNS] == importing.TEMPLATE.headers
    assert [cell.value for cell in data[2]] == [import_template.EXAMPLE_CODE, "2025-01-01", 12.5]
    (validation,) = data.data_validations.dataValidation
    assert validation.type == "list" and str(validation.sqref).startswith("A2:")
    lists = workbook["Lists"]
    assert lists.sheet_state == "hidden"
    assert [row[0] for row in lists.iter_rows(min_row=2, values_only=True)] == [first.code, second.code]
    assert validation.formula1 == "Lists!$A$2:$A$3"
    instructions = list(workbook["Instructions"].iter_rows(values_only=True))
    explained = {row[0]: row[2] for row in instructions if row and row[0] in headers}
    assert set(explained) == set(headers) and all(explained.values())


def test_a_liaison_gets_only_his_bodys_codes_and_others_none(client, people, make_indicator, bodies):
    make_indicator("TPL-MIA")
    make_indicator("TPL-MOD", responsible=bodies["mod"])
    lists = _download(client, people["liaison_mod"])["Lists"]
    assert [row[0] for row in lists.iter_rows(min_row=2, values_only=True)] == ["TPL-MOD"]
    client.force_login(people["auditor"])
    assert client.get(reverse("strategy:import-template")).status_code == 404


def test_the_filled_template_imports_and_a_forgotten_example_is_refused(client, people, make_indicator):
    indicator = make_indicator("TPL-3")
    workbook = _download(client, people["analyst"])
    data = workbook["Data"]
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(tabular.ImportRejected) as refused:
        importing.import_file(buffer.getvalue(), actor=people["analyst"], filename="template.xlsx")
    assert (refused.value.errors[0].row, refused.value.errors[0].column) == (2, "indicator")
    for column, value in zip("ABC", [indicator.code, "2023-01-01", 123.5], strict=True):
        data[f"{column}2"] = value
    data.append([indicator.code, "2024-01-01", "130,5"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = importing.import_file(buffer.getvalue(), actor=people["analyst"], filename="template.xlsx")
    assert result["rows"] == 2 and result["created"] == 2
    assert sorted(Measurement.objects.filter(indicator=indicator).values_list("value", flat=True)) == [123.5, 130.5]


def test_the_template_carries_the_marking_of_the_codes_it_lists(client, people, make_indicator):
    """The codes of a secret indicator make the template a secret document: stamped like every export."""
    from kenes.core.classification import Classification
    from kenes.reports import documents

    make_indicator("TPL-P")
    public = _download(client, people["analyst"])
    make_indicator("TPL-S", classification=Classification.SECRET)
    secret = _download(client, people["analyst"])
    stamp = documents.marking(Classification.SECRET)
    assert all(sheet.oddHeader.center.text == stamp for sheet in secret.worksheets)
    assert secret["Instructions"]["A1"].value == stamp
    assert public["Instructions"]["A1"].value != stamp


def test_the_instructions_are_in_the_readers_language(client, people):
    client.force_login(people["analyst"])
    for language, word in (("ru", "Столбец"), ("en", "Column")):
        client.post(reverse("set_language"), {"language": language, "next": "/"})
        response = client.get(reverse("strategy:import-template"))
        sheet = load_workbook(io.BytesIO(response.content))["Instructions"]
        assert word in [row[0] for row in sheet.iter_rows(values_only=True)], language
    with translation.override("en"):
        assert importing.TEMPLATE.headers == ["indicator", "period", "value"]


def test_a_template_that_drifts_from_its_importer_is_refused():
    with pytest.raises(ValueError, match="exactly the columns"):
        import_template.Template(
            title="x",
            columns=importing.COLUMNS,
            explanations={"indicator": "a", "period": "b"},
            examples={"indicator": "a", "period": "b", "value": 1},
        )


def test_hostile_codes_never_become_formulas(client, people, make_indicator):
    content = import_template.build(importing.TEMPLATE, codes={"indicator": ['=HYPERLINK("x")', "+1"]})
    lists = load_workbook(io.BytesIO(content))["Lists"]
    cells = [row[0] for row in lists.iter_rows(min_row=2, values_only=True)]
    assert all(not str(cell).startswith(("=", "+")) for cell in cells), cells
