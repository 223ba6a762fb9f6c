"""Export classified records (session minutes, decisions, reports) to DOCX, PDF and XLSX.

Exported files leave Kenes: they are printed, forwarded and archived where the system's access checks no longer
apply, so each format guarantees the same things:

* the classification marking is on every page, at the top and at the bottom (section header and footer in DOCX,
  page header and footer in PDF, the first row and the print header and footer in XLSX);
* text is only ever text: HTML stays literal, and characters that XML forbids (control characters other than tab,
  newline and carriage return, lone surrogates) are removed, because python-docx and openpyxl refuse them and a
  PDF has no glyph for them;
* spreadsheet cells go through :func:`safe_cell`, so an exported value can never become a formula;
* hostile input renders instead of raising: 100,000-character strings and words, an empty document, tables whose
  rows are shorter or longer than their header (padded or trimmed to it), tables too wide or rows too tall for a
  PDF page (split into column groups and continuation rows).

A :class:`Document` is deliberately small: a title, a marking and a flat list of :class:`Heading`,
:class:`Paragraph` and :class:`Table` blocks. The files are built by python-docx, fpdf2 and openpyxl; the PDF uses
the DejaVu Sans fonts, which have every Kazakh and Russian letter.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from kenes.core.classification import Classification
from kenes.core.http import download

# python-docx, fpdf2 and openpyxl take seconds to import: they load with the first export of their format, not
# with every process that imports this module (tests/test_startup.py).
if TYPE_CHECKING:
    from kenes.reports.pdf import MarkedPDF

#: BCP 47 tags of the languages a document may be in, written to the DOCX and PDF metadata.
LANGUAGE_TAGS = {"kk": "kk-KZ", "ru": "ru-RU", "en": "en-US"}
#: Debian's DejaVu fonts (package fonts-dejavu-core), used when the npm package is not installed.
SYSTEM_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
MAX_MARKING_CHARS = 120
MAX_NOTE_CHARS = 200
EXCEL_MAX_CELL_CHARS = 32_767
EXCEL_MAX_SHEET_TITLE = 31
SIGNATURE_LINE = "_" * 24

_APPLICATION = "Kenes"
_FONT = "DejaVu"
_PAGE_ALIAS = "{nb}"
_ILLEGAL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_TABLE_FONT_SIZE = 9
_TABLE_LINE_HEIGHT = 4.5
_TABLE_PADDING = 1.2
_TABLE_MAX_COLUMNS = 8
_TABLE_MAX_ROW_LINES = 30
_TABLE_MAX_HEADER_LINES = 6


@dataclass
class Heading:
    """A section heading; ``level`` 1 is the largest (DOCX styles Heading 1–9, levels outside are clamped)."""

    text: str
    level: int = 1


@dataclass
class Paragraph:
    """A paragraph of plain text; a newline in ``text`` is a line break."""

    text: str
    bold: bool = False


@dataclass
class Table:
    """A table; rows shorter than the header are padded with empty cells, longer ones trimmed to it.

    In a PDF each column is at least as wide as the longest word of its header (so no header breaks inside a
    word when the page allows it), and the rest of the width goes to the columns with the most text."""

    header: list[str]
    rows: list[list[str]]


@dataclass
class Signature:
    """The signature block of an official document: the signer's role, and his name and the date once
    signed; an unsigned one leaves lines to sign on."""

    role: str
    name: str = ""
    date: str = ""

    def lines(self) -> list[str]:
        if self.name:
            return [self.role, f"{self.name}    {self.date}".strip()]
        return [self.role, f"{SIGNATURE_LINE}    {_('(signature)')}", f"{SIGNATURE_LINE}    {_('(name, date)')}"]


@dataclass
class Document:
    """A record to export: ``marking`` is printed at the top and bottom of every page, ``language`` is kk, ru
    or en, ``footer_note`` (who printed it, when) is printed on every page next to the page number.
    """

    title: str
    marking: str
    blocks: list[Heading | Paragraph | Table]
    subtitle: str = ""
    language: str = "en"
    footer_note: str = ""
    #: The issuer printed above the title (the Council's name on its decisions and minutes).
    letterhead: str = ""
    #: Lines under the title, centred: the number, date and place of an official document.
    particulars: list[str] = field(default_factory=list)
    #: Printed across every page (PDF: diagonally; DOCX: in the page header) — :func:`draft_mark` on drafts.
    watermark: str = ""
    signatures: list[Signature] = field(default_factory=list)
    landscape: bool = False


def _strip_illegal(text: str) -> str:
    """The text without the characters that XML 1.0 forbids and the C0/C1 controls other than tab, LF and CR."""
    return _ILLEGAL_CHARACTERS.sub("", text)


def _text(value: object) -> str:
    """Body text for DOCX and PDF: str() of the value, line endings as LF, illegal characters removed."""
    return _strip_illegal(str(value)).replace("\r\n", "\n").replace("\r", "\n")


def _one_line(value: object, limit: int) -> str:
    """A marking or footer note: one line with its whitespace collapsed, cut to ``limit`` characters."""
    line = " ".join(_strip_illegal(str(value)).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _language_tag(language: str) -> str:
    try:
        return LANGUAGE_TAGS[language]
    except KeyError:
        raise ValueError(
            f"Unsupported document language {language!r}; expected one of {sorted(LANGUAGE_TAGS)}"
        ) from None


def _grid(table: Table) -> tuple[list[str], list[list[str]]]:
    """The header and rows as text, every row padded or trimmed to the header's width.

    A table without a header is as wide as its longest row; one with neither header nor rows has no columns.
    """
    header = [_text(cell) for cell in table.header]
    rows = [list(row) for row in table.rows]
    width = len(header) or max((len(row) for row in rows), default=0)
    return header, [[_text(cell) for cell in row[:width]] + [""] * (width - len(row)) for row in rows]


# DOCX


def to_docx(document: Document) -> bytes:
    """Render ``document`` as a Word file.

    The marking is a bold, centred paragraph of the section header and of the section footer, so Word repeats it
    on every page; the footer also carries the footer note and "page / pages" fields. The title uses the Title
    style, headings the Heading 1–9 styles, tables the Table Grid style with a bold header row that repeats on
    each page. The language is written to the core properties and as the default proofing language.
    """
    import docx

    tag = _language_tag(document.language)
    marking = _one_line(stamp(document.marking), MAX_MARKING_CHARS)
    word = docx.Document()
    _docx_metadata(word, document, tag, marking)
    section = word.sections[0]
    if document.landscape:
        _docx_landscape(section)
    _docx_marking(section.header.paragraphs[0], marking)
    if document.watermark:
        _docx_watermark(section.header.add_paragraph(), _one_line(document.watermark, MAX_MARKING_CHARS))
    _docx_page_numbers(section.footer.paragraphs[0], _one_line(document.footer_note, MAX_NOTE_CHARS))
    _docx_marking(section.footer.add_paragraph(), marking)

    if document.letterhead:
        _docx_centred(word.add_paragraph(), _text(document.letterhead), bold=True)
    word.add_heading(_text(document.title), level=0)
    if document.subtitle:
        word.add_paragraph(_text(document.subtitle), style="Subtitle")
    for line in document.particulars:
        _docx_centred(word.add_paragraph(), _text(line))
    for block in document.blocks:
        if isinstance(block, Heading):
            word.add_heading(_text(block.text), level=min(max(int(block.level), 1), 9))
        elif isinstance(block, Paragraph):
            word.add_paragraph().add_run(_text(block.text)).bold = bool(block.bold)
        elif isinstance(block, Table):
            _docx_table(word, block)
        else:
            raise TypeError(f"Unsupported document block {type(block).__name__}")
    for signature in document.signatures:
        paragraph = word.add_paragraph()
        for number, line in enumerate(signature.lines()):
            run = paragraph.add_run(_text(line))
            run.bold = number == 0
            if number < len(signature.lines()) - 1:
                run.add_break()
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _docx_metadata(word, document: Document, tag: str, marking: str) -> None:
    """Core properties of our own (the template's say "python-docx", 2013) and the default proofing language."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    now = datetime.now(UTC).replace(tzinfo=None)
    properties = word.core_properties
    properties.title = _one_line(document.title, 255)
    properties.subject = _one_line(document.subtitle, 255)
    properties.category = marking
    properties.language = tag
    properties.author = properties.last_modified_by = _APPLICATION
    properties.comments = ""
    properties.created = properties.modified = now
    properties.revision = 1
    for run_properties in word.styles.element.xpath("w:docDefaults/w:rPrDefault/w:rPr"):
        language = run_properties.find(qn("w:lang"))
        if language is None:
            language = OxmlElement("w:lang")
            run_properties.append(language)
        language.set(qn("w:val"), tag)


def _docx_marking(paragraph, marking: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run(marking).bold = True


def _docx_centred(paragraph, text: str, *, bold: bool = False) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run(text).bold = bold


def _docx_watermark(paragraph, text: str) -> None:
    """The draft mark in the page header: large, red and centred, on every page."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = True
    run.font.size = Pt(20)
    run.font.color.rgb = RGBColor(0xC0, 0x1C, 0x1C)


def _docx_landscape(section) -> None:
    from docx.enum.section import WD_ORIENT

    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width


def _docx_page_numbers(paragraph, note: str) -> None:
    """The footer line: the note, then "N / M" from Word's PAGE and NUMPAGES fields."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if note:
        paragraph.add_run(note + "    ").font.size = Pt(8)
    _docx_field(paragraph, "PAGE")
    paragraph.add_run(" / ").font.size = Pt(8)
    _docx_field(paragraph, "NUMPAGES")


def _docx_field(paragraph, instruction: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    simple = OxmlElement("w:fldSimple")
    simple.set(qn("w:instr"), instruction)
    run = paragraph.add_run("1")
    run.font.size = Pt(8)
    simple.append(run._r)
    paragraph._p.append(simple)


def _docx_table(word, block: Table) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    header, rows = _grid(block)
    width = len(header) or (len(rows[0]) if rows else 0)
    if not width:
        return
    table = word.add_table(rows=0, cols=width)
    table.style = "Table Grid"
    if header:
        row = table.add_row()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        row._tr.get_or_add_trPr().append(repeat)
        for cell, text in zip(row.cells, header, strict=True):
            cell.paragraphs[0].add_run(text).bold = True
    for values in rows:
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.paragraphs[0].add_run(text)
    word.add_paragraph()  # Word merges two tables that touch; an empty paragraph keeps them apart.


# PDF


def _font_directory() -> Path:
    """The first folder that has both DejaVu Sans fonts: the npm package, then Debian's fonts-dejavu-core."""
    candidates = [Path(settings.BASE_DIR) / "node_modules" / "dejavu-fonts-ttf" / "ttf", SYSTEM_FONT_DIR]
    for folder in candidates:
        if all((folder / name).is_file() for name in FONT_FILES.values()):
            return folder
    raise RuntimeError(
        f"PDF export needs the DejaVu Sans fonts ({', '.join(FONT_FILES.values())}) and found them in neither "
        f"{candidates[0]} (npm package dejavu-fonts-ttf: run npm install) nor {candidates[1]} "
        "(Debian package fonts-dejavu-core)."
    )


def to_pdf(document: Document) -> bytes:
    """Render ``document`` as a PDF in DejaVu Sans, which has every Kazakh and Russian letter.

    Every page has the marking at its top and bottom, and the footer note and "page / pages" at the bottom. Text
    wraps and breaks onto new pages by itself; tables wrap their cells, repeat their header on each page, are split
    into groups of at most eight columns (each repeating the first) and split rows too tall for one page into
    continuation rows. The title and language are written to the PDF metadata, the marking as its subject.
    Raises RuntimeError when the fonts are missing.
    """
    from kenes.reports.pdf import MarkedPDF

    tag = _language_tag(document.language)
    marking = _one_line(stamp(document.marking), MAX_MARKING_CHARS)
    pdf = MarkedPDF(
        marking,
        _one_line(document.footer_note, MAX_NOTE_CHARS),
        watermark=_one_line(document.watermark, MAX_MARKING_CHARS),
        landscape=document.landscape,
    )
    folder = _font_directory()
    for style, name in FONT_FILES.items():
        pdf.add_font(_FONT, style, str(folder / name))
    pdf.set_title(_one_line(document.title, 1000))
    pdf.set_subject(marking)
    pdf.set_lang(tag)
    pdf.set_creator(_APPLICATION)
    pdf.set_margins(18, 20, 18)
    pdf.set_auto_page_break(True, margin=22)
    pdf.add_page()
    _pdf_front(pdf, document)
    for block in document.blocks:
        _pdf_block(pdf, block)
    for signature in document.signatures:
        if pdf.will_page_break(25):
            pdf.add_page()
        pdf.ln(6)
        for number, line in enumerate(signature.lines()):
            pdf.set_font(_FONT, "B" if number == 0 else "", 10)
            pdf.paragraph(_pdf_text(line), 6)
    return bytes(pdf.output())


def _pdf_front(pdf: MarkedPDF, document: Document) -> None:
    """The issuer, the title and subtitle, and the particulars (number, date, place), centred."""
    if document.letterhead:
        pdf.set_font(_FONT, "B", 12)
        pdf.paragraph(_pdf_text(document.letterhead), 6, align="C")
        pdf.ln(3)
    pdf.set_font(_FONT, "B", 18)
    pdf.paragraph(_pdf_text(document.title), 9, align="C")
    if document.subtitle:
        pdf.set_font(_FONT, "", 12)
        pdf.paragraph(_pdf_text(document.subtitle), 6, align="C")
    pdf.set_font(_FONT, "", 10)
    for line in document.particulars:
        pdf.paragraph(_pdf_text(line), 5, align="C")
    pdf.ln(4)


def _pdf_block(pdf: MarkedPDF, block: Heading | Paragraph | Table) -> None:
    if isinstance(block, Heading):
        size = {1: 15, 2: 13}.get(int(block.level), 11)
        if pdf.will_page_break(25):
            pdf.add_page()
        pdf.ln(2)
        pdf.set_font(_FONT, "B", size)
        pdf.paragraph(_pdf_text(block.text), size * 0.5)
        pdf.ln(1)
    elif isinstance(block, Paragraph):
        pdf.set_font(_FONT, "B" if block.bold else "", 10)
        pdf.paragraph(_pdf_text(block.text), 5)
        pdf.ln(2)
    elif isinstance(block, Table):
        _pdf_table(pdf, block)
    else:
        raise TypeError(f"Unsupported document block {type(block).__name__}")


def _pdf_text(value: object) -> str:
    """Body text for the PDF: tabs as spaces, since DejaVu has no glyph for a tab."""
    return _text(value).replace("\t", "    ")


def _pdf_table(pdf: MarkedPDF, block: Table) -> None:
    header, rows = _grid(block)
    width = len(header) or (len(rows[0]) if rows else 0)
    for columns in _column_groups(width):
        _pdf_table_part(
            pdf,
            [_pdf_text(header[index]) for index in columns] if header else [],
            [[_pdf_text(row[index]) for index in columns] for row in rows],
            len(columns),
        )


def _column_groups(width: int) -> list[list[int]]:
    """Column indexes of each part of a table: all of them, or groups of eight that repeat the first column."""
    if width <= _TABLE_MAX_COLUMNS:
        return [list(range(width))] if width else []
    groups = [list(range(_TABLE_MAX_COLUMNS))]
    for start in range(_TABLE_MAX_COLUMNS, width, _TABLE_MAX_COLUMNS - 1):
        groups.append([0, *range(start, min(start + _TABLE_MAX_COLUMNS - 1, width))])
    return groups


def _pdf_table_part(pdf: MarkedPDF, header: list[str], rows: list[list[str]], width: int) -> None:
    from fpdf.enums import WrapMode
    from fpdf.fonts import FontFace

    widths = _pdf_column_widths(pdf, header, rows, width)
    pdf.set_font(_FONT, "B", _TABLE_FONT_SIZE)
    heading = [
        _pdf_cut(_pdf_lines(pdf, text, widths[index]), _TABLE_MAX_HEADER_LINES) for index, text in enumerate(header)
    ]
    pdf.set_font(_FONT, "", _TABLE_FONT_SIZE)
    with pdf.table(
        width=pdf.epw,
        col_widths=tuple(widths),
        line_height=_TABLE_LINE_HEIGHT,
        padding=_TABLE_PADDING,
        first_row_as_headings=bool(heading),
        headings_style=FontFace(emphasis="BOLD", fill_color=(230, 230, 230)),
        text_align="LEFT",
        wrapmode=WrapMode.WORD,
    ) as table:
        if heading:
            table.row(heading)
        for row in rows:
            for part in _pdf_row_parts(pdf, row, widths):
                table.row(part)
    pdf.ln(3)


def _pdf_column_widths(pdf: MarkedPDF, header: list[str], rows: list[list[str]], width: int) -> list[float]:
    """Widths (mm) of the columns: each at least its longest header word (bold) and its longest short cell
    word, so that neither breaks inside a word; what is left goes to the columns by the length of their text.
    Equal widths when the words cannot all fit."""
    if not width:
        return []
    equal = [pdf.epw / width] * width
    padding = 2 * _TABLE_PADDING + 1
    pdf.set_font(_FONT, "B", _TABLE_FONT_SIZE)
    least = [max((pdf.get_string_width(w) for w in text.split()), default=0) + padding for text in header]
    least += [padding] * (width - len(least))
    pdf.set_font(_FONT, "", _TABLE_FONT_SIZE)
    weight = [1.0] * width
    for row in rows[:200]:
        for index, text in enumerate(row):
            words = [pdf.get_string_width(w) for w in text.split() if len(w) <= 20]
            least[index] = max(least[index], max(words, default=0) + padding)
            weight[index] += min(len(text), 200)
    if sum(least) > pdf.epw:
        return equal
    spare = pdf.epw - sum(least)
    total = sum(weight)
    return [least[index] + spare * weight[index] / total for index in range(width)]


def _pdf_lines(pdf: MarkedPDF, text: str, column_width: float) -> list[str]:
    """The lines that a table cell of ``column_width`` wraps ``text`` into, in the current font."""
    from fpdf.enums import MethodReturnValue, WrapMode
    from fpdf.util import Padding

    lines = pdf.multi_cell(
        w=column_width,
        h=_TABLE_LINE_HEIGHT,
        text=text,
        padding=Padding.new(_TABLE_PADDING),
        wrapmode=WrapMode.WORD,
        dry_run=True,
        output=MethodReturnValue.LINES,
    )
    assert isinstance(lines, list)
    return lines or [""]


def _pdf_cut(lines: list[str], limit: int) -> str:
    return "\n".join(lines) if len(lines) <= limit else "\n".join(lines[:limit]) + "…"


def _pdf_row_parts(pdf: MarkedPDF, row: list[str], widths: list[float]) -> Iterable[list[str]]:
    """The row, or continuation rows of at most 30 lines each where it is too tall for a page.

    fpdf2 refuses a table row taller than a page. Text of at most 30 characters cannot wrap into more lines.
    """
    if all(len(text) <= _TABLE_MAX_ROW_LINES for text in row):
        return [row]
    lines = [_pdf_lines(pdf, text, widths[index]) for index, text in enumerate(row)]
    height = max(len(cell) for cell in lines)
    if height <= _TABLE_MAX_ROW_LINES:
        return [row]
    return [
        ["\n".join(cell[start : start + _TABLE_MAX_ROW_LINES]) for cell in lines]
        for start in range(0, height, _TABLE_MAX_ROW_LINES)
    ]


# XLSX


def safe_cell(value: object) -> object:
    """A value that is safe to write into a spreadsheet cell: it is shown as data and never run as a formula.

    Text that starts with ``= + - @``, a tab or a carriage return (also after leading whitespace) gets a leading
    apostrophe, so Excel and LibreOffice show it instead of evaluating it (formula or CSV injection). Characters
    that XML forbids are removed (openpyxl raises IllegalCharacterError on them), and text is cut to Excel's
    32,767 characters a cell. None, bools, numbers, dates and times pass through unchanged, except what Excel cannot
    store: aware datetimes become naive in Django's current time zone, aware times lose their zone, and infinite or
    NaN numbers become text. Any other object is converted with str() and treated as text.
    """
    if value is None or isinstance(value, bool | int | timedelta):
        return value
    if isinstance(value, datetime):
        return timezone.make_naive(value) if timezone.is_aware(value) else value
    if isinstance(value, date):
        return value
    if isinstance(value, time):
        return value.replace(tzinfo=None)
    if isinstance(value, float) and math.isfinite(value):
        return value
    if isinstance(value, Decimal) and value.is_finite() and math.isfinite(float(value)):
        return value
    text = _strip_illegal(value if isinstance(value, str) else str(value))
    if text[:1] in _FORMULA_PREFIXES or text.lstrip()[:1] in _FORMULA_PREFIXES:
        text = "'" + text
    if len(text) > EXCEL_MAX_CELL_CHARS:
        text = text[: EXCEL_MAX_CELL_CHARS - 1] + "…"
    return text


def to_xlsx(sheets: list[tuple[str, list[str], list[list[object]]]], *, marking: str | int) -> bytes:
    """Render ``(name, header, rows)`` sheets as an Excel workbook, every value passed through :func:`safe_cell`.

    Each sheet has the marking in its first row (merged across the columns) and in its print header and footer,
    the bold header in the second row, the rows below it, frozen panes under the header and roughly fitted column
    widths. Sheet names are cleaned to Excel's rules (31 characters, none of ``[]:*?/\\``, no leading or trailing
    apostrophe, not "History") and made unique. Rows keep all their values, also past the header's width. With no
    sheets, the workbook has one empty sheet that still carries the marking.
    """
    import openpyxl

    marking = _one_line(stamp(marking), MAX_MARKING_CHARS)
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    workbook.properties.creator = workbook.properties.lastModifiedBy = _APPLICATION
    used = {"history"}
    for name, header, rows in sheets or [("Sheet", [], [])]:
        _xlsx_sheet(workbook.create_sheet(_sheet_title(name, used)), marking, header, rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(name: object, used: set[str]) -> str:
    """A valid sheet name not yet in ``used`` (compared case-insensitively, as Excel does), added to it."""
    base = _SHEET_TITLE_FORBIDDEN.sub("", " ".join(_strip_illegal(str(name)).split())).strip(" '")
    base = base[:EXCEL_MAX_SHEET_TITLE].rstrip(" '") or "Sheet"
    title, number = base, 1
    while title.casefold() in used:
        number += 1
        suffix = f" ({number})"
        title = base[: EXCEL_MAX_SHEET_TITLE - len(suffix)].rstrip(" '") + suffix
    used.add(title.casefold())
    return title


def _xlsx_sheet(sheet, marking: str, header: Sequence[object], rows: Iterable[Sequence[object]]) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    widths: dict[int, int] = {}
    marking_cell = sheet.cell(row=1, column=1, value=safe_cell(marking))
    marking_cell.font = bold
    marking_cell.alignment = Alignment(horizontal="center")
    for column, value in enumerate(header, start=1):
        cell = sheet.cell(row=2, column=column, value=safe_cell(value))
        cell.font = bold
        widths[column] = max(widths.get(column, 0), _display_width(cell.value))
    for row_number, row in enumerate(rows, start=3):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column, value=safe_cell(value))
            widths[column] = max(widths.get(column, 0), _display_width(cell.value))
    last_column = max(widths, default=1)
    if last_column > 1:
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last_column)
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, 10), 60)
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "1:2"
    printed = marking.replace("&", "&&")  # "&" starts a code in Excel's header and footer syntax
    sheet.oddHeader.center.text = printed
    sheet.oddFooter.center.text = printed
    sheet.oddFooter.right.text = "&P / &N"


def _display_width(value: object) -> int:
    if value is None:
        return 0
    return max(len(line) for line in str(value).split("\n"))


# ---------------------------------------------------------------------------------------------------
# Downloads

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
"""The formats a record is exported in, by the name a URL gives them."""


def marking(level: int) -> str:
    """The classification marking printed on every page of an export: the level's name, in capitals.

    The one spelling of the stamp in every format: PDF and DOCX documents are given it, and :func:`to_xlsx`
    writes it however a caller names the level (its label as shown on pages, or the level itself)."""
    return str(Classification(level).label).upper()


def stamp(value: str | int) -> str:
    """The marking for ``value``: a level (an int), or a level's label in any case, as :func:`marking`
    spells it; any other text as it is."""
    if isinstance(value, int) and value in Classification.values:
        return marking(value)
    text = str(value)
    if len(text) <= MAX_MARKING_CHARS:
        name = " ".join(_strip_illegal(text).split()).casefold()
        for level in Classification:
            if name == str(level.label).casefold():
                return marking(level)
    return text


def fixed_column(values: Iterable[object], *, most: int = 2) -> list[str]:
    """A column of numbers as text with one number of decimals for all of them: as many as the most precise
    needs, rounded to at most ``most``, in the reader's number format; a missing or non-numeric one is "—"."""
    from kenes.core.texts import grouped

    numbers: list[Decimal | None] = []
    for value in values:
        try:
            number = Decimal(str(value)) if value is not None and not isinstance(value, bool) else None
        except ArithmeticError:
            number = None
        numbers.append(number if number is not None and number.is_finite() else None)
    places = 0
    for number in numbers:
        try:
            exponent = number.quantize(Decimal(1).scaleb(-most)).normalize().as_tuple().exponent if number else 0
        except ArithmeticError:  # more digits than a Decimal holds: printed whole
            exponent = 0
        places = max(places, -exponent if isinstance(exponent, int) and exponent < 0 else 0)
    return ["—" if number is None else grouped(_rounded(number, places), decimal_pos=places) for number in numbers]


def _rounded(number: Decimal, places: int) -> Decimal:
    """``number`` rounded half up to ``places`` decimals (Django's number_format cuts off instead), or as it is
    when it has more digits than a Decimal holds."""
    from decimal import ROUND_HALF_UP

    try:
        return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    except ArithmeticError:
        return number


def percent(value: object) -> str:
    """A share (0.456) as a percentage with one decimal (45.6 %), in the reader's number format; "—" if none."""
    from kenes.core.texts import grouped

    try:
        number = Decimal(str(value)) if value is not None and not isinstance(value, bool) else None
    except ArithmeticError:
        number = None
    if number is None or not number.is_finite():
        return "—"
    return f"{grouped(_rounded(number * 100, 1), decimal_pos=1)}%"


def draft_mark() -> str:
    """The mark across the pages of a document not adopted or not signed yet, in the reader's language."""
    return str(_("Draft")).upper()


def footer(user: Any) -> str:
    """Who printed an export and when, in the reader's language."""
    return _("Kenes · printed %(time)s by %(user)s") % {
        "time": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        "user": user.username,
    }


def respond(document: Document, fmt: str, name: str, *, user: Any, about: Any) -> HttpResponse:
    """``document`` as a DOCX or PDF download named ``name``; its export of ``about`` (the record or
    records it composes) is written to the audit log by :func:`kenes.core.http.download`. An unknown
    format is a 404."""
    if fmt not in ("docx", "pdf"):
        raise Http404
    content = to_docx(document) if fmt == "docx" else to_pdf(document)
    return download(content, content_type=CONTENT_TYPES[fmt], filename=f"{name}.{fmt}", user=user, about=about)
