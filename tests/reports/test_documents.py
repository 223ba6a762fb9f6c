"""The document builder: markings on every page, Kazakh text, no formula injection, hostile text renders."""

import io
import logging
import re
import shutil
import zipfile
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import docx
import openpyxl
import pypdf
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH

from kenes.reports import documents

KAZAKH = "Қауіпсіздік Кеңесінің шешімі — Әә Ғғ Ққ Ңң Өө Ұұ Үү Һһ Іі"
KAZAKH_LETTERS = "ӘәҒғҚқҢңӨөҰұҮүҺһІі"
RUSSIAN = "Протокол заседания Совета Безопасности — ЁёЩщЪъЫыЭэЮюЯя"
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'
CONTROL = "a\x00b\x01c\x07d\x0be\x0cf\x1bg\x7fh\x85i\ud800j\ufffek"
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
BIG = "x" * 100_000


def sample(marking: str = "ҚҰПИЯ", paragraphs: int = 0) -> documents.Document:
    blocks = [
        documents.Heading("Күн тәртібі", level=1),
        documents.Paragraph(KAZAKH),
        documents.Paragraph("first line\nsecond line", bold=True),
        documents.Paragraph(RUSSIAN),
        documents.Paragraph(XSS),
        documents.Heading("Шешімдер", level=2),
        documents.Table(
            ["№", "Шешім", "Жауапты"],
            [["1", "Ұсынысты қабылдау", "Ішкі істер министрлігі"], ["2", "short"], ["3", "a", "b", "dropped"]],
        ),
    ]
    blocks += [documents.Paragraph(f"{number}. " + "Қауіпсіздік Кеңесі " * 40) for number in range(paragraphs)]
    return documents.Document(
        title="Отырыс хаттамасы № 7",
        marking=marking,
        blocks=blocks,
        subtitle="Астана, 2026",
        language="kk",
        footer_note="Kenes · printed 2026-11-25 by analyst",
    )


def pdf_pages(data: bytes, tmp_path) -> list[str]:
    """The text of each page in visual order (pypdf's layout mode, top to bottom)."""
    return [page.extract_text(extraction_mode="layout") for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def docx_text(word) -> str:
    texts = [paragraph.text for paragraph in word.paragraphs]
    texts += [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    return "\n".join(texts)


# DOCX


def test_docx_marking_is_bold_and_centred_in_header_and_footer():
    word = docx.Document(io.BytesIO(documents.to_docx(sample("СЕКРЕТНО"))))
    section = word.sections[0]
    for part in (section.header, section.footer):
        marked = [paragraph for paragraph in part.paragraphs if paragraph.text == "СЕКРЕТНО"]
        assert len(marked) == 1
        assert marked[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert all(run.bold for run in marked[0].runs)
    footer_xml = section.footer._element.xml
    assert 'w:instr="PAGE"' in footer_xml
    assert 'w:instr="NUMPAGES"' in footer_xml
    assert "Kenes · printed 2026-11-25 by analyst" in "".join(p.text for p in section.footer.paragraphs)
    assert section.footer.paragraphs[-1].text == "СЕКРЕТНО"  # the marking is the bottom line


def test_docx_content_styles_and_metadata():
    word = docx.Document(io.BytesIO(documents.to_docx(sample())))
    paragraphs = {paragraph.text: paragraph for paragraph in word.paragraphs}
    assert paragraphs["Отырыс хаттамасы № 7"].style.name == "Title"
    assert paragraphs["Астана, 2026"].style.name == "Subtitle"
    assert paragraphs["Күн тәртібі"].style.name == "Heading 1"
    assert paragraphs["Шешімдер"].style.name == "Heading 2"
    assert KAZAKH in paragraphs
    assert RUSSIAN in paragraphs
    two_lines = paragraphs["first line\nsecond line"]
    assert two_lines._p.xml.count("<w:br/>") == 1
    assert all(run.bold for run in two_lines.runs)
    assert word.core_properties.title == "Отырыс хаттамасы № 7"
    assert word.core_properties.language == "kk-KZ"
    assert word.core_properties.author == "Kenes"


def test_docx_table_has_bold_repeating_header_grid_style_and_rows_fitted_to_header():
    word = docx.Document(io.BytesIO(documents.to_docx(sample())))
    (table,) = word.tables
    assert table.style.name == "Table Grid"
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    assert cells == [
        ["№", "Шешім", "Жауапты"],
        ["1", "Ұсынысты қабылдау", "Ішкі істер министрлігі"],
        ["2", "short", ""],
        ["3", "a", "b"],
    ]
    header = table.rows[0]
    assert all(run.bold for cell in header.cells for run in cell.paragraphs[0].runs)
    assert "w:tblHeader" in header._tr.xml
    assert not any(run.bold for cell in table.rows[1].cells for run in cell.paragraphs[0].runs)


def test_docx_keeps_html_as_literal_text():
    data = documents.to_docx(sample())
    word = docx.Document(io.BytesIO(data))
    assert XSS in [paragraph.text for paragraph in word.paragraphs]
    body = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert "&lt;script&gt;" in body
    assert "<script>" not in body


# PDF


def test_pdf_marking_top_and_bottom_of_every_page_with_page_numbers(tmp_path, caplog):
    caplog.set_level(logging.WARNING, logger="fpdf")
    data = documents.to_pdf(sample("ҚҰПИЯ", paragraphs=40))
    assert data.startswith(b"%PDF")
    pages = pdf_pages(data, tmp_path)
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        assert lines[0] == "ҚҰПИЯ", f"page {number} does not start with the marking"
        assert lines[-1] == "ҚҰПИЯ", f"page {number} does not end with the marking"
        assert page.count("ҚҰПИЯ") == 2
        assert re.search(rf"\b{number}\s*/\s*{len(pages)}\b", page)
        assert "Kenes · printed 2026-11-25 by analyst" in page
    assert not [record for record in caplog.records if "missing" in record.getMessage()]


def test_pdf_renders_every_kazakh_and_russian_letter(tmp_path, caplog):
    caplog.set_level(logging.WARNING, logger="fpdf")
    data = documents.to_pdf(sample())
    text = "".join(pdf_pages(data, tmp_path))
    assert KAZAKH in text
    assert RUSSIAN in text
    assert all(letter in text for letter in KAZAKH_LETTERS)
    assert "Ұсынысты қабылдау" in text
    assert XSS in text.replace("\n", "")
    assert not [record for record in caplog.records if "missing" in record.getMessage()]


def test_pdf_glyph_check_detects_a_missing_glyph(caplog):
    """The "no missing glyph" assertions above can fail: DejaVu Sans has no Chinese characters."""
    caplog.set_level(logging.WARNING, logger="fpdf")
    documents.to_pdf(documents.Document("T", "S", [documents.Paragraph("漢字")]))
    assert [record for record in caplog.records if "missing" in record.getMessage()]


def test_pdf_metadata_has_title_and_language():
    data = documents.to_pdf(documents.Document("Session minutes", "SECRET", [], language="ru"))
    assert b"/Title (Session minutes)" in data
    assert b"/Lang (ru-RU)" in data


def test_pdf_body_text_never_becomes_the_page_total(tmp_path):
    data = documents.to_pdf(documents.Document("T", "SECRET", [documents.Paragraph("literal {nb} text")]))
    (page,) = pdf_pages(data, tmp_path)
    assert "literal {nb} text" in page
    assert re.search(r"\b1\s*/\s*1\b", page)


def test_pdf_wide_table_is_split_into_column_groups(tmp_path):
    header = [f"col{number}" for number in range(20)]
    rows = [[f"r{row}c{column}" for column in range(20)] for row in range(3)]
    data = documents.to_pdf(documents.Document("Wide", "SECRET", [documents.Table(header, rows)]))
    text = "".join(pdf_pages(data, tmp_path))
    assert all(name in text for name in header)
    assert all(f"r2c{column}" in text for column in range(20))
    assert text.count("col0") == 3  # the first column is repeated in each group


def test_pdf_prefers_the_npm_fonts(settings, tmp_path):
    npm_folder = tmp_path / "node_modules" / "dejavu-fonts-ttf" / "ttf"
    npm_folder.mkdir(parents=True)
    for name in documents.FONT_FILES.values():
        shutil.copy(documents._font_directory() / name, npm_folder / name)
    settings.BASE_DIR = tmp_path
    assert documents._font_directory() == npm_folder
    assert documents.to_pdf(sample()).startswith(b"%PDF")


def test_pdf_without_fonts_raises_a_clear_error(settings, tmp_path, monkeypatch):
    settings.BASE_DIR = tmp_path
    monkeypatch.setattr(documents, "SYSTEM_FONT_DIR", tmp_path / "no-fonts")
    with pytest.raises(RuntimeError) as raised:
        documents.to_pdf(sample())
    message = str(raised.value)
    assert str(tmp_path / "node_modules" / "dejavu-fonts-ttf" / "ttf") in message
    assert str(tmp_path / "no-fonts") in message
    assert "DejaVuSans.ttf" in message


# XLSX


def read_xlsx(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def test_xlsx_neutralises_formulas_and_keeps_numbers():
    values = ['=HYPERLINK("http://x","y")', "+1", "-2", "@SUM(A1)", "\t=1", "  =1+1", "\r=1", "plain", "a=b"]
    numbers = [42, 3.5, Decimal("1.25"), True, None, date(2026, 11, 25)]
    data = documents.to_xlsx([("Data", ["text", "more"], [[value] for value in values] + [numbers])], marking="S")
    sheet = read_xlsx(data)["Data"]
    read = [sheet.cell(row=3 + index, column=1).value for index in range(len(values))]
    assert read[0] == '\'=HYPERLINK("http://x","y")'
    assert read[1:4] == ["'+1", "'-2", "'@SUM(A1)"]
    assert read[4:7] == ["'\t=1", "'  =1+1", "'\r=1"]
    assert read[7:] == ["plain", "a=b"]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    last = [cell.value for cell in sheet[3 + len(values)]]
    assert last[:3] == [42, 3.5, 1.25]
    assert last[3] is True
    assert last[4] is None
    assert last[5].date() == date(2026, 11, 25)


def test_xlsx_marking_in_first_row_and_print_header_and_footer():
    data = documents.to_xlsx([("Decisions", ["№", "Шешім", "Күні"], [[1, KAZAKH, "2026"]])], marking="ҚҰПИЯ")
    sheet = read_xlsx(data)["Decisions"]
    assert sheet["A1"].value == "ҚҰПИЯ"
    assert sheet["A1"].font.bold
    assert "A1:C1" in {str(merged) for merged in sheet.merged_cells.ranges}
    assert [cell.value for cell in sheet[2]] == ["№", "Шешім", "Күні"]
    assert all(cell.font.bold for cell in sheet[2])
    assert sheet["B3"].value == KAZAKH
    assert sheet.oddHeader.center.text == "ҚҰПИЯ"
    assert sheet.oddFooter.center.text == "ҚҰПИЯ"
    assert sheet.freeze_panes == "A3"
    assert sheet.column_dimensions["B"].width > sheet.column_dimensions["A"].width


def test_xlsx_sheet_names_are_valid_and_unique():
    names = ["Decisions", "decisions", "a[b]:c*d?e/f\\g", "x" * 40, "x" * 40, "", "History", "'quoted'", "Tab\there"]
    data = documents.to_xlsx([(name, ["h"], [["v"]]) for name in names], marking="SECRET")
    titles = read_xlsx(data).sheetnames
    assert len(titles) == len(names)
    assert len({title.casefold() for title in titles}) == len(titles)
    for title in titles:
        assert 1 <= len(title) <= 31
        assert not set(title) & set("[]:*?/\\")
        assert not title.startswith("'")
        assert not title.endswith("'")
        assert title.casefold() != "history"
    assert titles[0] == "Decisions"
    assert titles[2] == "abcdefg"


def test_xlsx_without_sheets_still_carries_the_marking():
    workbook = read_xlsx(documents.to_xlsx([], marking="СЕКРЕТНО"))
    (sheet,) = workbook.worksheets
    assert sheet["A1"].value == "СЕКРЕТНО"
    assert sheet.oddFooter.center.text == "СЕКРЕТНО"


def test_xlsx_escapes_ampersands_in_the_print_header():
    sheet = read_xlsx(documents.to_xlsx([("S", ["h"], [])], marking="A&B"))["S"]
    assert sheet.oddHeader.center.text == "A&&B"  # Excel prints "&&" as one "&"
    assert sheet["A1"].value == "A&B"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        (" \n =1", "' \n =1"),
        ("", ""),
        ("safe - text", "safe - text"),
        ("a\x00b\x1bc\x7fd\ud800e", "abcde"),
        ("=\x00cmd", "'=cmd"),
        ("\x00=cmd", "'=cmd"),
        ("line\nnext\ttab\r", "line\nnext\ttab\r"),
        (12, 12),
        (-2, -2),
        (1.5, 1.5),
        (Decimal("-3.10"), Decimal("-3.10")),
        (None, None),
        (date(2026, 1, 2), date(2026, 1, 2)),
        (datetime(2026, 1, 2, 3, 4), datetime(2026, 1, 2, 3, 4)),
        (time(3, 4), time(3, 4)),
        (timedelta(hours=2), timedelta(hours=2)),
        (float("nan"), "nan"),
        (float("-inf"), "'-inf"),
        (["=x"], "['=x']"),
    ],
)
def test_safe_cell(value, expected):
    result = documents.safe_cell(value)
    assert result == expected
    assert type(result) is type(expected)


def test_safe_cell_keeps_bools_as_bools():
    assert documents.safe_cell(True) is True
    assert documents.safe_cell(False) is False


def test_safe_cell_turns_objects_into_neutralised_text():
    class Payload:
        def __str__(self):
            return "=cmd|' /C calc'!A0"

    assert documents.safe_cell(Payload()) == "'=cmd|' /C calc'!A0"


def test_safe_cell_makes_aware_datetimes_naive_in_the_current_time_zone(settings):
    settings.TIME_ZONE = "Asia/Almaty"
    result = documents.safe_cell(datetime(2026, 1, 2, 0, 0, tzinfo=UTC))
    assert result.tzinfo is None
    assert result == datetime(2026, 1, 2, 5, 0)


def test_safe_cell_cuts_text_to_the_excel_cell_limit():
    result = documents.safe_cell("=" + BIG)
    assert len(result) == documents.EXCEL_MAX_CELL_CHARS
    assert result.startswith("'=")


# Hostile input


def hostile_document() -> documents.Document:
    return documents.Document(
        title=CONTROL + XSS + BIG,
        marking=CONTROL + "SECRET\n\t" + BIG,
        subtitle=CONTROL + BIG,
        footer_note=CONTROL + "{nb}" + BIG,
        language="ru",
        blocks=[
            documents.Heading(CONTROL, level=0),
            documents.Heading(BIG, level=99),
            documents.Paragraph(CONTROL + "\r\n" + XSS, bold=True),
            documents.Paragraph(BIG),
            documents.Paragraph("слово " * 5_000 + "https://example.invalid/" + "a" * 5_000),
            documents.Paragraph(""),
            documents.Table([], []),
            documents.Table(["only header"], []),
            documents.Table([], [["no", "header"], [], ["x"]]),
            documents.Table([CONTROL, BIG], [[BIG, CONTROL], [CONTROL]]),
        ],
    )


def test_hostile_text_in_docx():
    word = docx.Document(io.BytesIO(documents.to_docx(hostile_document())))
    text = docx_text(word)
    assert not CONTROL_CHARACTERS.search(text)
    assert "abcdefghijk" in text
    assert XSS in text
    assert BIG in text
    header = word.sections[0].header.paragraphs[0].text
    assert header.startswith("abcdefghijkSECRET x")
    assert len(header) <= documents.MAX_MARKING_CHARS


def test_hostile_text_in_pdf(tmp_path, caplog):
    caplog.set_level(logging.WARNING, logger="fpdf")
    data = documents.to_pdf(hostile_document())
    assert data.startswith(b"%PDF")
    pages = pdf_pages(data, tmp_path)
    assert len(pages) > 10
    assert all("abcdefghijkSECRET" in page for page in pages)
    assert not CONTROL_CHARACTERS.search("".join(pages).replace("\f", ""))
    assert not [record for record in caplog.records if "missing" in record.getMessage()]


def test_hostile_text_in_xlsx():
    rows = [[CONTROL, BIG, XSS, "=" + CONTROL], [], [1, 2, 3, 4, 5, 6]]
    data = documents.to_xlsx([(CONTROL + BIG, [CONTROL, BIG], rows)], marking=CONTROL + BIG)
    sheet = read_xlsx(data).worksheets[0]
    assert sheet["A3"].value == "abcdefghijk"
    assert len(sheet["B3"].value) == documents.EXCEL_MAX_CELL_CHARS
    assert sheet["C3"].value == XSS
    assert sheet["D3"].value == "'=abcdefghijk"
    assert [cell.value for cell in sheet[5]] == [1, 2, 3, 4, 5, 6]  # rows longer than the header keep their values
    assert sheet["A1"].value.startswith("abcdefghijkx")


@pytest.mark.parametrize("render", [documents.to_docx, documents.to_pdf])
def test_empty_document(render):
    assert render(documents.Document(title="", marking="", blocks=[]))


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="de"):
        documents.to_docx(documents.Document("T", "S", [], language="de"))
