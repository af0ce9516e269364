"""The one way every PDF of the site starts: A4, the committed Unicode font embedded.

DejaVu Sans 2.37 (Bitstream Vera licence, free; ``core/fonts/LICENSE-DejaVu.txt``), copied
from Debian's ``fonts-dejavu-core`` into the repository so that a PDF never depends on
what the server has installed. fpdf2 embeds only the glyphs a document uses (a subset), so
Kılıç, Łukasz or Dvořák print as written, in a file of a few tens of kilobytes.
"""

from pathlib import Path

from fpdf import FPDF

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FAMILY = "DejaVu"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}


def pdf_document(*, title: str = "", author: str = "", compress: bool = True) -> FPDF:
    """A new A4 document with the site's font registered (``FONT_FAMILY``, regular and
    bold) and selected; add pages and text, then ``bytes(pdf.output())``."""
    pdf = FPDF(format="A4")
    for style, name in FONT_FILES.items():
        pdf.add_font(FONT_FAMILY, style, str(FONT_DIR / name))
    pdf.set_font(FONT_FAMILY, "", 10)
    pdf.set_compression(compress)
    if title:
        pdf.set_title(title)
    if author:
        pdf.set_author(author)
    return pdf
