"""The one PDF builder: « ma feuille de route » and « la fiche territoire », printable and offline.

Why fpdf2: a small, maintained, pure-Python library from PyPI; no browser on the server.
The font (DejaVu Sans, shipped inside matplotlib's package) is embedded, subset to the
characters used, so the file reads the same everywhere. French typography is applied to
every sentence (:func:`typo`: no-break spaces before « ; : ! ? » and inside guillemets);
numbers come from :mod:`components.wording` (decimal comma, thin space between thousands).
Addresses (URLs) are printed as they are, never « corrected ».
"""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from components import html

FONT_DIR = Path(matplotlib.__file__).parent / "mpl-data" / "fonts" / "ttf"
FONT = "DejaVu"
INK, GREY, ACCENT = (33, 33, 33), (90, 90, 90), (31, 111, 178)
APP_NAME = "Carte des alliances"

_BEFORE_TALL = re.compile(r"(?<=[\w»)%]) ?([;!?])(?=\s|$)")
_BEFORE_COLON = re.compile(r"(?<=[\w»)%]) ?:(?=\s|$)")


def typo(text: str) -> str:
    """French typography for a sentence (not for addresses).

    >>> typo("Objectif : agir ; ensemble ! « Oui »") == (
    ...     "Objectif\\u00a0: agir\\u202f; ensemble\\u202f! «\\u00a0Oui\\u00a0»")
    True
    """
    text = _BEFORE_TALL.sub("\u202f\\1", text)
    text = _BEFORE_COLON.sub("\u00a0:", text)
    text = re.sub(r"« ?", "«\u00a0", text)
    return re.sub(r" ?»", "\u00a0»", text)


class Document(FPDF):
    """An A4 document with the app's header line, page numbers and helpers for our blocks."""

    def __init__(self, title: str, subtitle: str):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_lang("fr")
        self.set_title(title)
        self.set_author(APP_NAME)
        self.set_creator(APP_NAME)
        self.set_margins(15, 14, 15)
        self.set_auto_page_break(True, margin=14)
        self._subtitle = subtitle
        self.add_page()
        self.set_font(FONT, "B", 16)
        self.set_text_color(*INK)
        self.multi_cell(0, 8, typo(title), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, "", 9)
        self.set_text_color(*GREY)
        self.multi_cell(0, 5, typo(subtitle), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font(FONT, "", 7)
        self.set_text_color(*GREY)
        self.cell(0, 4, f"{APP_NAME} — page {self.page_no()}/{{nb}}", align="C")

    def heading(self, text: str) -> None:
        self.ln(1.5)
        self.set_font(FONT, "B", 11)
        self.set_text_color(*ACCENT)
        self.multi_cell(0, 6, typo(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*INK)

    def paragraph(self, text: str, size: float = 9, *, bold: bool = False, color=INK) -> None:
        self.set_font(FONT, "B" if bold else "", size)
        self.set_text_color(*color)
        self.multi_cell(0, size * 0.5, typo(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*INK)

    def bullet(self, text: str, size: float = 8.5, *, detail: str = "", link: str = "") -> None:
        """A list item: sentence, then an optional grey detail and an address."""
        self.set_font(FONT, "", size)
        self.set_x(self.l_margin + 2)
        self.multi_cell(0, size * 0.48, "• " + typo(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if detail:
            self.set_x(self.l_margin + 5)
            self.set_font(FONT, "", size - 1)
            self.set_text_color(*GREY)
            self.multi_cell(0, size * 0.45, typo(detail), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.set_text_color(*INK)
        if link:
            self.set_x(self.l_margin + 5)
            self.set_font(FONT, "", size - 1.5)
            self.set_text_color(*ACCENT)
            target = html.safe_url(link) or ""  # clickable only when it is a plain http(s) address
            self.multi_cell(0, size * 0.45, link, link=target, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.set_text_color(*INK)

    def grid(self, header: tuple[str, ...], rows: list[tuple[str, ...]], widths: tuple[float, ...]) -> None:
        """A small table (header in bold)."""
        self.set_font(FONT, "", 8)
        options = {"col_widths": widths, "text_align": "LEFT", "line_height": 4.2}
        with self.table(first_row_as_headings=True, **options) as t:
            for values in (header, *rows):
                row = t.row()
                for value in values:
                    row.cell(typo(value))

    def picture(self, png: bytes, width: float) -> None:
        self.image(png, x=(self.w - width) / 2, w=width)

    def bytes(self) -> bytes:
        return bytes(self.output())
