"""Reading uploaded tables (CSV or XLSX) for imports that are all or nothing.

Every import of Kenes reads its file here, so every import refuses the same bad files with the same
clear words: a file that is neither UTF-8 CSV nor XLSX (decided by content, never by its name), an
empty one, one without a header row or a required column, merged cells, formulas, or more rows than
allowed. Each error names the row (as the user's spreadsheet numbers it, the header being row 1) and
the column. The cell converters add their errors to one ``ImportErrors`` collector, so a file's
every bad cell is reported at once and nothing is written until there is none.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import math
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kenes.core import bounds, periods, texts

MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009_]+")


@dataclass(frozen=True)
class Column:
    """A column an import reads: its key, and the header texts (in any language) that name it."""

    key: str
    headers: tuple[str, ...]
    required: bool = True


@dataclass(frozen=True)
class RowError:
    """An error of a row (0: of the file). ``message`` is a text of :mod:`kenes.core.texts`, stored as
    its code and parameters so that it is shown in the reader's language (and as written, in the
    worker's, for the record); a plain string is shown as it is."""

    row: int
    column: str
    message: str | texts.Text

    def as_dict(self) -> dict[str, object]:
        stored: dict[str, object] = {"row": self.row, "column": self.column, "message": str(self.message)}
        if isinstance(self.message, texts.Text):
            stored.update(self.message.as_dict())
        return stored


def shown(error: dict[str, Any]) -> dict[str, Any]:
    """A stored error as the reader reads it: its text in the active language, its row number in the
    reader's number format (``row_shown``; empty for the file as a whole)."""
    row = error.get("row") or 0
    return {
        **error,
        "message": texts.render_stored(error, fallback=str(error.get("message", ""))),
        "row_shown": texts.number(row) if isinstance(row, int) and row else "",
    }


class ImportRejected(Exception):
    """The file was refused; ``errors`` are the first of them, ``total`` how many there were."""

    def __init__(self, errors: list[RowError], total: int | None = None) -> None:
        self.errors = errors
        self.total = total if total is not None else len(errors)
        super().__init__(str(self))

    def __str__(self) -> str:
        if not self.errors:
            return _("The file was refused.")
        first = self.errors[0]
        where = _("row %(row)s") % {"row": first.row} if first.row else _("the file")
        if first.column:
            where = _("%(where)s, column “%(column)s”") % {"where": where, "column": first.column}
        more = self.total - 1
        text = f"{where}: {first.message}"
        if more > 0:
            text += " " + _("(and %(count)s more errors)") % {"count": more}
        return text


class ImportErrors:
    """Collects the errors of one file; keeps the first ``limit`` of them and counts the rest."""

    def __init__(self, limit: int = 200) -> None:
        self.limit = limit
        self.errors: list[RowError] = []
        self.total = 0

    def add(self, row: int, column: str, message: str | texts.Text) -> None:
        self.total += 1
        if len(self.errors) < self.limit:
            self.errors.append(RowError(row, column, message))

    def __bool__(self) -> bool:
        return self.total > 0

    def raise_if_any(self) -> None:
        if self.total:
            raise ImportRejected(self.errors, self.total)


@dataclass
class Row:
    number: int
    values: dict[str, object]


@dataclass
class Table:
    headers: list[str]
    rows: list[Row] = field(default_factory=list)
    sha256: str = ""


def _refuse(message: str | texts.Text, row: int = 0, column: str = "") -> ImportRejected:
    return ImportRejected([RowError(row, column, message)])


def _normal(header: object) -> str:
    return _SPACES.sub(" ", str(header if header is not None else "")).strip().casefold()


def read_table(
    data: bytes,
    *,
    filename: str,
    columns: Sequence[Column],
    max_rows: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Table:
    """The rows of an uploaded CSV or XLSX file, keyed by ``columns``; ``ImportRejected`` if the file
    itself is unusable. ``filename`` is only for messages: the type is decided by the content."""
    if not data or not data.strip():
        raise _refuse(texts.text("import.empty"))
    if data.startswith(b"PK\x03\x04"):
        raw_rows = _xlsx_rows(data)
    elif data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _refuse(texts.text("import.old_excel"))
    else:
        raw_rows = _csv_rows(data)
    header_row = next(raw_rows, None)
    while header_row is not None and not any(_normal(cell) for cell in header_row[1]):
        header_row = next(raw_rows, None)
    if header_row is None:
        raise _refuse(texts.text("import.no_header"))
    header_number, header_cells = header_row
    headers = [str(cell).strip() if cell is not None else "" for cell in header_cells]
    positions = _match_columns(headers, columns, header_number)
    table = Table(headers=headers, sha256=hashlib.sha256(data).hexdigest())
    width = len(headers)
    for number, cells in raw_rows:
        if not any(cell not in (None, "") and not (isinstance(cell, str) and not cell.strip()) for cell in cells):
            continue
        if max_rows is not None and len(table.rows) >= max_rows:
            raise _refuse(
                texts.text("import.too_many_rows", max=max_rows),
                row=number,
            )
        if len(cells) < width:
            cells = list(cells) + [None] * (width - len(cells))
        table.rows.append(Row(number, {key: cells[index] for key, index in positions.items()}))
    if progress is not None:
        progress(len(table.rows), len(table.rows))
    return table


def _match_columns(headers: list[str], columns: Sequence[Column], row: int) -> dict[str, int]:
    normal = [_normal(header) for header in headers]
    positions: dict[str, int] = {}
    errors = ImportErrors()
    for column in columns:
        names = {_normal(name) for name in (column.key, *column.headers)}
        found = [index for index, header in enumerate(normal) if header in names]
        if len(found) > 1:
            errors.add(row, headers[found[1]], texts.text("import.column_twice"))
        elif found:
            positions[column.key] = found[0]
        elif column.required:
            errors.add(
                row,
                column.headers[0] if column.headers else column.key,
                texts.text("import.column_missing"),
            )
    errors.raise_if_any()
    return positions


def _csv_rows(data: bytes):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise _refuse(texts.text("import.not_tabular"), row=line) from None
    if "\x00" in text:
        raise _refuse(texts.text("import.not_tabular"))
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        for cells in reader:
            yield reader.line_num, cells
    except csv.Error as error:
        raise _refuse(texts.text("import.csv_malformed", error=str(error)[:200]), row=reader.line_num) from None


def _xlsx_rows(data: bytes):
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
        unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        raise _refuse(texts.text("import.not_tabular")) from None
    if "xl/workbook.xml" not in names:
        raise _refuse(texts.text("import.not_tabular"))
    if unpacked > MAX_UNPACKED_BYTES:
        raise _refuse(texts.text("import.too_large_unpacked"))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
    except Exception:  # openpyxl raises many kinds on a damaged workbook
        raise _refuse(texts.text("import.damaged")) from None
    sheet_path = getattr(sheet, "_worksheet_path", None)
    merged = _first_merged_range(archive, sheet_path.lstrip("/")) if sheet_path else None
    if merged:
        raise _refuse(texts.text("import.merged_cells", range=merged))
    try:
        for number, row in enumerate(sheet.iter_rows(), start=1):
            cells = []
            for index, cell in enumerate(row):
                if getattr(cell, "data_type", None) == "f":  # a formula, an array formula included
                    raise _refuse(
                        texts.text("import.formula"),
                        row=number,
                        column=get_column_letter(index + 1),
                    )
                cells.append(getattr(cell, "value", None))
            yield number, cells
    finally:
        workbook.close()


def _first_merged_range(archive: zipfile.ZipFile, path: str) -> str | None:
    """The first merged range of a sheet, read in chunks (the sheet is never unpacked whole)."""
    pattern = re.compile(rb'<(?:\w+:)?mergeCell ref="([A-Z0-9:]+)"')
    tail = b""
    try:
        with archive.open(path) as sheet_xml:
            while chunk := sheet_xml.read(1 << 20):
                found = pattern.search(tail + chunk)
                if found:
                    return found.group(1).decode()
                tail = chunk[-200:]
    except (KeyError, zipfile.BadZipFile, OSError, EOFError):
        raise _refuse(texts.text("import.damaged")) from None
    return None


def to_number(
    value: object,
    row: int,
    column: str,
    errors: ImportErrors,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
) -> float | None:
    """A finite number from a cell (``1 234,5`` and ``1234.5`` both read as 1234.5), within bounds."""
    number: float | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        text = _SPACES.sub("", value.strip())
        if "," in text and "." in text:  # the later mark is the decimal one: 1.234,5 and 1,234.5
            thousands = "." if text.rindex(",") > text.rindex(".") else ","
            text = text.replace(thousands, "").replace(",", ".")
        elif "," in text:
            text = text.replace(",", ".")
        try:
            number = float(text) if text else None
        except ValueError:
            number = None
    if number is None:
        shown = "" if value is None else str(value)[:40]
        errors.add(row, column, texts.text("import.not_a_number", value=shown))
        return None
    if not math.isfinite(number):
        errors.add(row, column, texts.text("import.not_finite"))
        return None
    if minimum is not None and number < minimum:
        errors.add(row, column, texts.text("import.below_minimum", value=number, min=minimum))
        return None
    if maximum is not None and number > maximum:
        errors.add(row, column, texts.text("import.above_maximum", value=number, max=maximum))
        return None
    return number


def to_period(value: object, frequency: str, row: int, column: str, errors: ImportErrors) -> dt.date | None:
    """A period (the first day of its frequency's period) from a date cell or a ``YYYY-MM-DD`` text."""
    if isinstance(value, dt.datetime) and value.time() != dt.time(0):
        errors.add(row, column, texts.text("import.date_with_time"))
        return None
    try:
        return periods.parse(value, frequency, field=column)
    except ValidationError as error:
        said = " ".join(error.message_dict.get(column, error.messages))
        errors.add(row, column, _period_error(value, frequency) or said)
        return None


def _period_error(value: object, frequency: str) -> texts.Text | None:
    """Why ``value`` is not a period of ``frequency``, as a text shown in the reader's language (or
    ``None``: the reason is the calendar's bounds, said as ``periods`` says it)."""
    day: dt.date | None = None
    shown = ""
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    else:
        shown = str(value).strip()[:40] if isinstance(value, str | int | float) else ""
        try:
            day = dt.date.fromisoformat(shown) if len(shown) == 10 else None
        except ValueError:
            day = None
    if day is None:
        return texts.text("import.bad_date", value=shown)
    try:
        bounds.check_date(day, field="period")
    except ValidationError:
        return None
    start = periods.floor(day, frequency)
    if start != day:
        return texts.text(
            "import.not_period_start",
            day=texts.date(day),
            frequency=texts.label(f"frequency.{frequency}"),
            start=texts.date(start),
        )
    return None


def to_text(value: object, row: int, column: str, errors: ImportErrors, *, max_length: int) -> str | None:
    """Non-empty text of at most ``max_length`` characters (whole numbers read without ``.0``)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = "" if value is None else str(value).strip()
    if not text:
        errors.add(row, column, texts.text("import.empty_cell"))
        return None
    if len(text) > max_length:
        errors.add(row, column, texts.text("import.text_too_long", max=max_length))
        return None
    return text
