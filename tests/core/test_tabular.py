"""Reading uploaded tables: every bad file is refused with its row and column, by content not name."""

import datetime as dt
import io
import zipfile

import pytest
from openpyxl import Workbook

from kenes.core import tabular

COLUMNS = [
    tabular.Column("code", ("Indicator", "Көрсеткіш", "Показатель")),
    tabular.Column("period", ("Period",)),
    tabular.Column("value", ("Value",)),
    tabular.Column("note", ("Note",), required=False),
]


def xlsx(rows, merge=None) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rejected(data: bytes, **kwargs) -> tabular.ImportRejected:
    with pytest.raises(tabular.ImportRejected) as error:
        tabular.read_table(data, filename="upload", columns=COLUMNS, **kwargs)
    return error.value


def test_csv_with_bom_semicolons_and_headers_in_any_language():
    data = "\ufeffКөрсеткіш; period ;VALUE\nGDP;2026-01-01;1 234,5\n\n;;\nINF;2026-02-01;7\n".encode()
    table = tabular.read_table(data, filename="x.csv", columns=COLUMNS)
    assert [row.number for row in table.rows] == [2, 5]
    assert table.rows[0].values == {"code": "GDP", "period": "2026-01-01", "value": "1 234,5"}
    assert len(table.sha256) == 64


def test_xlsx_keeps_cell_types_and_row_numbers():
    data = xlsx([["Indicator", "Period", "Value", "Note"], ["GDP", dt.datetime(2026, 1, 1), 12.5, None]])
    table = tabular.read_table(data, filename="whatever.csv", columns=COLUMNS)
    assert table.rows[0].number == 2
    assert table.rows[0].values == {"code": "GDP", "period": dt.datetime(2026, 1, 1), "value": 12.5, "note": None}


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a spreadsheet"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls"),
        (b"PK\x03\x04garbage", "not a spreadsheet"),
    ],
)
def test_files_that_are_not_tables_are_refused(data, fragment):
    assert fragment in str(rejected(data))


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    assert "not a spreadsheet" in str(rejected(buffer.getvalue()))


def test_wrong_encoding_names_the_line():
    data = "Indicator,Period,Value\nВВП,2026-01-01,1\n".encode("cp1251")
    error = rejected(data)
    assert error.errors[0].row == 2
    assert "UTF-8" in str(error.errors[0].message)


def test_missing_and_doubled_columns_are_named_on_the_header_row():
    error = rejected(b"Indicator,Value,Value\nA,1,2\n")
    found = {(e.row, e.column) for e in error.errors}
    assert (1, "Value") in found
    assert (1, "Period") in found


def test_formulas_are_refused_with_their_cell():
    error = rejected(xlsx([["Indicator", "Period", "Value"], ["A", "2026-01-01", "=1+1"]]))
    assert (error.errors[0].row, error.errors[0].column) == (2, "C")
    assert "formula" in str(error.errors[0].message)


def test_merged_cells_are_refused():
    error = rejected(xlsx([["Indicator", "Period", "Value"], ["A", "2026-01-01", 1], ["B", None, 2]], merge="B2:B3"))
    assert "B2:B3" in str(error)


def test_too_many_rows_is_refused_naming_the_first_row_over():
    data = ("Indicator,Period,Value\n" + "A,2026-01-01,1\n" * 11).encode()
    error = rejected(data, max_rows=10)
    assert error.errors[0].row == 12
    assert "10" in str(error.errors[0].message)


def test_malformed_csv_quotes_name_the_line():
    error = rejected(b'Indicator,Period,Value\n"A,2026-01-01,1\n')
    assert error.errors[0].row >= 2


def test_the_collector_keeps_the_first_errors_and_counts_all():
    errors = tabular.ImportErrors(limit=3)
    for row in range(2, 12):
        tabular.to_number("x", row, "value", errors)
    with pytest.raises(tabular.ImportRejected) as error:
        errors.raise_if_any()
    assert len(error.value.errors) == 3 and error.value.total == 10
    assert "9 more" in str(error.value)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (" 1 234,5 ", 1234.5),
        ("1,234.5", 1234.5),
        ("1.234,5", 1234.5),
        ("0,5", 0.5),
        ("-3", -3.0),
        (7, 7.0),
        (2.5, 2.5),
        ("1e3", 1000.0),
    ],
)
def test_numbers_in_the_ways_people_write_them(raw, expected):
    errors = tabular.ImportErrors()
    assert tabular.to_number(raw, 2, "value", errors) == expected
    assert not errors


@pytest.mark.parametrize("raw", ["abc", "", None, True, "nan", "inf", float("nan"), "1e400", "=1+1"])
def test_things_that_are_not_finite_numbers_are_errors(raw):
    errors = tabular.ImportErrors()
    assert tabular.to_number(raw, 4, "value", errors) is None
    assert errors.errors[0].row == 4 and errors.errors[0].column == "value"


def test_bounds_on_numbers():
    errors = tabular.ImportErrors()
    assert tabular.to_number("-1", 2, "value", errors, minimum=0) is None
    assert tabular.to_number("1e16", 3, "value", errors, maximum=1e15) is None
    assert [e.row for e in errors.errors] == [2, 3]


def test_periods_and_texts():
    errors = tabular.ImportErrors()
    assert tabular.to_period("2026-04-01", "quarterly", 2, "period", errors) == dt.date(2026, 4, 1)
    assert tabular.to_period(dt.datetime(2026, 4, 1, 13, 0), "monthly", 3, "period", errors) is None
    assert tabular.to_period("2026-02-30", "monthly", 4, "period", errors) is None
    assert tabular.to_period("2026-05-01", "quarterly", 5, "period", errors) is None
    assert tabular.to_text(12.0, 6, "code", errors, max_length=10) == "12"
    assert tabular.to_text("  ", 7, "code", errors, max_length=10) is None
    assert tabular.to_text("x" * 11, 8, "code", errors, max_length=10) is None
    assert [e.row for e in errors.errors] == [3, 4, 5, 7, 8]


def test_text_that_merely_starts_with_an_equals_sign_is_not_a_formula():
    book = Workbook()
    sheet = book.active
    sheet.append(["Indicator", "Period", "Value"])
    sheet.append(["A", "2026-01-01", 1])
    sheet["A2"].value = "=not a formula"
    sheet["A2"].data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    table = tabular.read_table(buffer.getvalue(), filename="x.xlsx", columns=COLUMNS)
    assert table.rows[0].values["code"] == "=not a formula"


def test_a_damaged_sheet_part_is_refused_in_words():
    data = xlsx([["Indicator", "Period", "Value"], ["A", "2026-01-01", 1]])
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as damaged:
        for item in source.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                damaged.writestr(item, source.read(item))
    assert "damaged" in str(rejected(buffer.getvalue()))
