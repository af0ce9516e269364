"""Draw the wordmark (static/img/wordmark.svg) from the site's own font, as outlines.

The mark: a yellow square holding a black « V » cut like a tick, then VICTOIRES in
Barlow Condensed Bold (SIL Open Font License). Outlines, so no font is needed to show it; the header includes it inline (its letters take
the text colour) beside the organisation's name for screen readers;
fills are presentation attributes (the content policy forbids style attributes).
Usage: .venv/bin/python scripts/build_wordmark.py
"""

from pathlib import Path

from fontTools.pens.svgPathPen import SVGPathPen
from fontTools.pens.transformPen import TransformPen
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
FONT = ROOT / "core" / "fonts" / "barlow-condensed-700.ttf"
TEXT = "VICTOIRES"
HEIGHT = 48  # the mark's side, in SVG units
CAP = 34  # the letters' cap height


def main() -> None:
    font = TTFont(FONT)
    glyphs = font.getGlyphSet()
    cmap = font.getBestCmap()
    cap_height = font["OS/2"].sCapHeight or 700
    scale = CAP / cap_height
    x = HEIGHT + 12.0
    baseline = HEIGHT - (HEIGHT - CAP) / 2
    pen = SVGPathPen(glyphs, ntos=lambda v: f"{v:.1f}".rstrip("0").rstrip("."))
    for char in TEXT:
        name = cmap[ord(char)]
        glyph = glyphs[name]
        glyph.draw(TransformPen(pen, (scale, 0, 0, -scale, x, baseline)))
        x += glyph.width * scale + 1.2  # a little tracking, as capitals want
    width = round(x)
    # The « V » tick: two strokes meeting low, the right one longer (a check mark).
    mark = (
        f'<rect width="{HEIGHT}" height="{HEIGHT}" fill="#ffd400"/>'
        '<path d="M10 22 L20 36 L38 10" fill="none" stroke="#111111" stroke-width="7" '
        'stroke-linecap="square" stroke-linejoin="miter"/>'
    )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {HEIGHT}" '
        f'width="{width}" height="{HEIGHT}" class="wordmark" aria-hidden="true" focusable="false">'
        f'{mark}<path d="{pen.getCommands()}" fill="currentColor"/></svg>\n'
    )
    (ROOT / "templates" / "includes" / "_wordmark.svg").write_text(svg)
    print(f"templates/includes/_wordmark.svg: {width}×{HEIGHT}, {len(svg)} bytes")


if __name__ == "__main__":
    main()
