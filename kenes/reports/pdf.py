"""The PDF page of an export: fpdf2's document with the marking and the page footer (see documents.to_pdf).

Its own module because fpdf2 takes seconds to import: :mod:`kenes.reports.documents` imports it with the first
PDF export, not with every process.
"""

import math

from fpdf import FPDF
from fpdf.enums import WrapMode, XPos, YPos

from kenes.reports.documents import _FONT, _PAGE_ALIAS


class MarkedPDF(FPDF):
    """A4 pages with the marking at the top and bottom, and the note and "N / total" at the bottom of each; a
    watermark (the draft mark) is printed diagonally across each page, under the text."""

    def __init__(self, marking: str, note: str, *, watermark: str = "", landscape: bool = False) -> None:
        super().__init__(orientation="L" if landscape else "P", unit="mm", format="A4")
        self.marking = marking
        self.note = note
        self.watermark = watermark

    def header(self) -> None:
        # The total-pages alias is live only while the footer's page number is written ("" turns it off), so that
        # a "{nb}" in the body text stays literal. fpdf2 substitutes it at output(), after the last footer has
        # turned it back on.
        self.alias_nb_pages("")
        if self.watermark:
            self.draw_watermark()
        self.set_y(8)
        self.set_font(_FONT, "B", 9)
        self.cell(0, 5, self.fit(self.marking, self.epw), align="C")
        if self.watermark:
            self.set_y(13)
            self.set_text_color(192, 28, 28)
            self.cell(0, 5, self.fit(self.watermark, self.epw), align="C")
            self.set_text_color(0, 0, 0)
        self.set_y(self.t_margin)

    def draw_watermark(self) -> None:
        """The watermark in large light letters, across the page from bottom left to top right."""
        self.set_font(_FONT, "B", 72)
        text = self.fit(self.watermark, (self.w**2 + self.h**2) ** 0.5 * 0.8)
        width = self.get_string_width(text)
        centre_x, centre_y = self.w / 2, self.h / 2
        self.set_text_color(215, 215, 215)
        with self.rotation(angle=math.degrees(math.atan2(self.h, self.w)), x=centre_x, y=centre_y):
            self.text(centre_x - width / 2, centre_y + 10, text)
        self.set_text_color(0, 0, 0)

    def footer(self) -> None:
        self.alias_nb_pages("")
        self.set_font(_FONT, "", 8)
        number_width = self.get_string_width(f"{self.page_no()} / 0000") + 2
        self.set_y(-17)
        self.cell(self.epw - number_width, 5, self.fit(self.note, self.epw - number_width - 2))
        self.set_y(-12)
        self.set_font(_FONT, "B", 9)
        self.cell(0, 5, self.fit(self.marking, self.epw), align="C")
        self.set_xy(self.l_margin + self.epw - number_width, -17)
        self.set_font(_FONT, "", 8)
        self.alias_nb_pages(_PAGE_ALIAS)
        self.cell(number_width, 5, f"{self.page_no()} / {_PAGE_ALIAS}", align="R")

    def fit(self, text: str, width: float) -> str:
        """``text``, cut with an ellipsis to fit on one line of ``width`` in the current font."""
        if self.get_string_width(text) <= width:
            return text
        low, high = 0, len(text)
        while low < high:
            middle = (low + high + 1) // 2
            if self.get_string_width(text[:middle] + "…") <= width:
                low = middle
            else:
                high = middle - 1
        return text[:low] + "…"

    def paragraph(self, text: str, line_height: float, align: str = "L") -> None:
        """A wrapped paragraph across the page; a word longer than the line is broken where it must be."""
        self.multi_cell(0, line_height, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT, wrapmode=WrapMode.WORD)
