"""The decision and the minutes exported as the Council's documents (issue 12): its name above the title, the
number, date and place, the signature block, and the draft mark on drafts only; one spelling of the
classification stamp in PDF, DOCX and XLSX; Kazakh letters rendered; evaluation tables that do not break."""

import datetime as dt
import io
import logging
import re

import docx
import openpyxl
import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone, translation

from kenes.core import texts
from kenes.core.classification import Classification
from kenes.council import exports, services
from kenes.council.choices import ItemKind
from kenes.reports import documents
from tests.council.conftest import vote_all

LANGUAGES = ("kk", "ru", "en")
PLACE = "Ақорда, Астана"
TITLE = "Су қауіпсіздігі туралы: ӘҒҚҢӨҰҮҺІ әғқңөұүһі"


def _pdf(data: bytes) -> tuple[str, str]:
    """The text of the PDF's pages, and the raw drawing of its first page."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text(extraction_mode="layout") for page in reader.pages)
    return text, reader.pages[0].get_contents().get_data().decode("latin-1")


def _docx(data: bytes) -> tuple[str, str]:
    """The body text of the DOCX (paragraphs and tables), and the text of its page header."""
    word = docx.Document(io.BytesIO(data))
    body = [p.text for p in word.paragraphs] + [c.text for t in word.tables for r in t.rows for c in r.cells]
    return "\n".join(body), "\n".join(p.text for p in word.sections[0].header.paragraphs)


def _session(users):
    secretary = users["secretary"]
    meeting = services.create_meeting(
        actor=secretary, title="Session", date=timezone.localdate() - dt.timedelta(days=2), place=PLACE
    )
    item = services.add_agenda_item(meeting, actor=secretary, title="Water", kind=ItemKind.OTHER)
    services.advance_meeting(meeting, "agenda_approved", actor=secretary)
    decision = services.draft_decision(actor=secretary, title=TITLE, text="1. Су қоймалары.", agenda_item=item)
    return meeting, decision


def _is_rotated(drawing: str) -> bool:
    """Whether the page draws something turned (the diagonal watermark): a matrix with a sine part."""
    matrices = re.findall(r"[-\d.]+ ([-\d.]+) ([-\d.]+) [-\d.]+ [-\d.]+ [-\d.]+ cm", drawing)
    return any(abs(float(b)) > 0.1 and abs(float(c)) > 0.1 for b, c in matrices)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_draft_decision_is_marked_draft_and_the_adopted_one_signed(users, client, language, caplog):
    caplog.set_level(logging.WARNING, logger="fpdf")
    _meeting, decision = _session(users)
    client.force_login(users["secretary"])
    with translation.override(language):
        url = reverse("council:decision-export", args=[decision.pk, "pdf"])
        heading, draft, chairman = exports.council_name(), documents.draft_mark(), users["chair"].display_name
        role = str(translation.gettext("Chairman of the Security Council"))
        pdf_text, drawing = _pdf(b"".join(client.get(url, HTTP_ACCEPT_LANGUAGE=language)))
        body, header = _docx(b"".join(client.get(url.replace(".pdf", ".docx"), HTTP_ACCEPT_LANGUAGE=language)))
    for text in (pdf_text, body):
        assert heading in text and PLACE in text and role in text and documents.SIGNATURE_LINE in text
        assert chairman not in text
    assert "ӘҒҚҢӨҰҮҺІ әғқңөұүһі" in pdf_text and "ӘҒҚҢӨҰҮҺІ әғқңөұүһі" in body
    assert draft in pdf_text and _is_rotated(drawing) and draft in header
    assert not [record for record in caplog.records if "missing" in record.getMessage()]

    vote_all(decision, users)
    decision = services.adopt_decision(decision, actor=users["chair"])
    with translation.override(language):
        pdf_text, drawing = _pdf(b"".join(client.get(url, HTTP_ACCEPT_LANGUAGE=language)))
        body, header = _docx(b"".join(client.get(url.replace(".pdf", ".docx"), HTTP_ACCEPT_LANGUAGE=language)))
    adopted_on = timezone.localtime(decision.adopted_at).strftime("%Y-%m-%d")
    for text in (pdf_text, body):
        assert decision.number in text and adopted_on in text and chairman in text and heading in text
        assert documents.SIGNATURE_LINE not in text
    assert draft not in pdf_text and not _is_rotated(drawing) and draft not in header


def test_minutes_are_a_draft_until_signed(users):
    meeting, decision = _session(users)
    vote_all(decision, users)
    services.adopt_decision(decision, actor=users["chair"])
    services.advance_meeting(meeting, "held", actor=users["secretary"])
    minutes = services.draft_minutes(meeting, actor=users["secretary"])
    with translation.override("ru"):
        document = exports.minutes_document(minutes, users["secretary"])
        pdf_text, drawing = _pdf(documents.to_pdf(document))
        body, header = _docx(documents.to_docx(document))
        draft = documents.draft_mark()
        heading = exports.council_name()
    assert heading == "Совет Безопасности Республики Казахстан"
    for text in (pdf_text, body):
        assert heading in text
        assert meeting.date.isoformat() in text and PLACE in text and documents.SIGNATURE_LINE in text
    assert draft in pdf_text and draft in header and _is_rotated(drawing)
    minutes = services.sign_minutes(minutes, actor=users["secretary"])
    with translation.override("ru"):
        document = exports.minutes_document(minutes, users["secretary"])
        pdf_text, drawing = _pdf(documents.to_pdf(document))
        body, header = _docx(documents.to_docx(document))
    for text in (pdf_text, body):
        assert users["secretary"].display_name in text and documents.SIGNATURE_LINE not in text
    assert draft not in pdf_text and draft not in header and not _is_rotated(drawing)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_classification_stamp_is_spelled_one_way_in_pdf_docx_and_xlsx(language):
    with translation.override(language):
        for level in Classification:
            stamp = documents.marking(level)
            document = documents.Document(title="T", marking=stamp, blocks=[documents.Paragraph("x")])
            pdf_text, _drawing = _pdf(documents.to_pdf(document))
            _body, header = _docx(documents.to_docx(document))
            # the label as pages show it (what the list exports pass), or the level itself
            for given in (str(level.label), int(level)):
                sheet = openpyxl.load_workbook(io.BytesIO(documents.to_xlsx([("S", ["a"], [[1]])], marking=given)))
                assert sheet.worksheets[0]["A1"].value == stamp
                assert sheet.worksheets[0].oddHeader.center.text == stamp
            assert pdf_text.strip().splitlines()[0].strip() == stamp and header.splitlines()[0] == stamp
            assert stamp == stamp.upper()


def test_numbers_keep_one_number_of_decimals_a_column_and_shares_one():
    with translation.override("en"):
        assert documents.fixed_column([1, 2.5, 3.14159, None, "x", float("nan")]) == [
            "1.00",
            "2.50",
            "3.14",
            "—",
            "—",
            "—",
        ]
        assert documents.fixed_column([10, 20.0]) == ["10", "20"]
        assert documents.fixed_column([1e40, 0.5])[1] == "0.5"
        assert documents.percent(0.45678) == "45.7%" and documents.percent(None) == "—"
    with translation.override("ru"):
        assert documents.fixed_column([1.5, 2]) == ["1,5", "2,0"] and documents.percent(1) == "100,0%"
    with translation.override("kk"):  # Django has no Kazakh formats: Kenes' own, as in its generated texts
        assert documents.fixed_column([1234.5, 2])[1] == "2,0" and documents.percent(0.5) == "50,0%"
        assert documents.fixed_column([1234.5])[0].replace("\xa0", " ") == texts.number(1234.5).replace("\xa0", " ")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_evaluation_table_headers_do_not_break_inside_a_word(language):
    from django.utils.translation import gettext as _

    with translation.override(language):
        header = [_("Code"), _("Indicator"), _("Actual"), _("Target"), _("Achievement"), _("Status"), _("Forecast")]
        header = [str(h) for h in header]
        rows = [["IND-001", "Доля " * 12, "12.35", "15.00", "82.3%", str(_("On track")), "14.10"]] * 3
        for landscape in (False, True):
            document = documents.Document(
                title="R", marking="S", blocks=[documents.Table(header, rows)], landscape=landscape
            )
            text, _drawing = _pdf(documents.to_pdf(document))
            for word in " ".join(header).split():
                assert word in text, (word, landscape)
