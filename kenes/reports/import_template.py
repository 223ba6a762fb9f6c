"""Downloadable XLSX templates of the imports: one definition per import, so the template cannot drift
from what the importer reads.

A :class:`Template` is built from the importer's own ``tabular.Column`` list: the header row is their
keys (the exact names the importer matches), in their order; each column carries its explanation and
its example, and a :class:`Template` refuses an explanation or an example for a column the importer does
not read, or a column without them. The workbook has

* the sheet the importer reads (the first one): the header row, then an example row (in grey italics,
  with a code that no record has, so that a forgotten example is refused with its row and column and
  never imported as data), and a list to choose from in the columns that take codes (data validation
  pointing at a hidden sheet of the codes the reader may use);
* a sheet "Instructions" explaining each column in the reader's language (the language active when
  the template is built).

Every cell goes through ``documents.safe_cell``: a code can never become a formula. openpyxl loads with
the first template, not with Kenes.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from kenes.core import tabular
from kenes.reports.documents import marking, safe_cell

DATA_ROWS = 5000  # rows below the header that get the lists to choose from
MAX_CODES = 20_000
EXAMPLE_CODE = "EXAMPLE-CODE"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Template:
    """An import's template: the importer's columns, and for each of them an explanation and an example."""

    title: Any
    columns: Sequence[tabular.Column]
    explanations: Mapping[str, Any]
    examples: Mapping[str, Any]
    notes: Sequence[Any] = ()

    def __post_init__(self) -> None:
        keys = [column.key for column in self.columns]
        for name, given in (("explanations", self.explanations), ("examples", self.examples)):
            if sorted(given) != sorted(keys):
                raise ValueError(f"{name} of the template {self.title!s} must name exactly the columns {keys}")

    @property
    def headers(self) -> list[str]:
        """The header row: the keys the importer matches, in its order."""
        return [column.key for column in self.columns]


def build(template: Template, *, codes: Mapping[str, Sequence[str]] | None = None, level: int = 0) -> bytes:
    """The XLSX template; ``codes`` maps a column to the codes its cells may take (a list to choose from).

    ``level`` is the highest classification of the records whose codes it lists: its marking is printed
    in the header and footer of every sheet and heads the instructions, as on every export."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    codes = {key: list(values)[:MAX_CODES] for key, values in (codes or {}).items() if key in template.headers}
    workbook = Workbook()
    data = workbook.active
    data.title = "Data"
    data.append(template.headers)
    data.append([safe_cell(template.examples[key]) for key in template.headers])
    for cell in data[1]:
        cell.font = Font(bold=True)
    for cell in data[2]:
        cell.font = Font(italic=True, color="808080")
    data.freeze_panes = "A2"
    lists = workbook.create_sheet("Lists") if codes else None
    for index, key in enumerate(template.headers, start=1):
        letter = get_column_letter(index)
        data.column_dimensions[letter].width = max(14, len(key) + 4)
        if lists is None or not codes.get(key):
            continue
        lists.cell(row=1, column=index, value=key)
        for row, code in enumerate(codes[key], start=2):
            lists.cell(row=row, column=index, value=safe_cell(code))
        choice = DataValidation(
            type="list",
            formula1=f"Lists!${letter}$2:${letter}${len(codes[key]) + 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=_("Unknown code"),
            error=_("Choose one of the codes in the list."),
        )
        data.add_data_validation(choice)
        choice.add(f"{letter}2:{letter}{DATA_ROWS + 1}")
    if lists is not None:
        lists.sheet_state = "hidden"
    instructions = workbook.create_sheet("Instructions")
    instructions.append([safe_cell(marking(level))])
    instructions["A1"].font = Font(bold=True)
    _instructions(instructions, template, codes, Font, Alignment)
    printed = marking(level).replace("&", "&&")  # "&" starts a code in Excel's header and footer syntax
    for sheet in workbook.worksheets:
        sheet.oddHeader.center.text = sheet.oddFooter.center.text = printed
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _instructions(sheet: Any, template: Template, codes: Mapping[str, Any], font: Any, alignment: Any) -> None:
    sheet.append([safe_cell(str(template.title))])
    sheet.cell(row=sheet.max_row, column=1).font = font(bold=True, size=14)
    general = [
        _("Fill the sheet “Data”: one row per value, below the header row (row 1), which must stay as it is."),
        _("Row 2 is an example in grey: overwrite it with your first row or delete it before importing."),
        _(
            "The file is imported whole or not at all: every row is checked first, and each error is shown "
            "with its row and column."
        ),
        _("Enter values, not formulas; do not merge cells. Dates as YYYY-MM-DD."),
        *[str(note) for note in template.notes],
    ]
    for line in general:
        sheet.append([safe_cell(line)])
    sheet.append([])
    sheet.append([_("Column"), _("Required"), _("What to enter"), _("Example")])
    for cell in sheet[sheet.max_row]:
        cell.font = font(bold=True)
    for column in template.columns:
        explanation = str(template.explanations[column.key])
        if codes.get(column.key):
            explanation += " " + _("Choose from the list in the cell (the codes you may use).")
        sheet.append(
            [
                column.key,
                _("yes") if column.required else _("no"),
                safe_cell(explanation),
                safe_cell(template.examples[column.key]),
            ]
        )
        sheet.cell(row=sheet.max_row, column=3).alignment = alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 12
    sheet.column_dimensions["C"].width = 80
    sheet.column_dimensions["D"].width = 16
