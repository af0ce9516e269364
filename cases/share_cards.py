"""A share card per victory: the 1 200 × 630 image a link shows on social networks
(``og:image``), drawn in the brand with Pillow and the committed Barlow Condensed.

Yellow, like the typographic card of a case without a photograph: the wordmark, the outcome
set large, the name, the country, and the mobilisation's figure on an ink band; the photo,
when there is one, cropped around its focal point on the right. One card per language,
made by a task (``cases.tasks.share_card_make``) whenever the case, its outcomes or its
figures change, and kept (JPEG without any metadata, ``core.images``).
"""

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

from cases import rules
from core import images

WIDTH, HEIGHT = 1200, 630
# Bump to draw every card again (a new layout).
VERSION = "1"
FOLDER = "share"
FONT = Path(settings.BASE_DIR) / "core" / "fonts" / "barlow-condensed-700.ttf"
INK = (17, 17, 17)
YELLOW = (255, 212, 0)
WHITE = (255, 255, 255)
MARGIN = 64
PHOTO_WIDTH = 430
BAND_HEIGHT = 150


@dataclass(frozen=True)
class CardText:
    outcome: str
    name: str
    country: str
    figure: str
    figure_label: str


def card_text(case, language: str) -> CardText:
    """What the card says, in ``language`` (events and figures prefetched or not)."""
    with translation.override(language):
        number, label = rules.card_figure([f.as_rule() for f in case.figures.all()], language)
        return CardText(
            outcome=case.outcome_headline(),
            name=case.name,
            country=str(case.country.name),
            figure=number,
            figure_label=label,
        )


def card_alt(text: CardText, language: str) -> str:
    """The card's alternative text: what it says, in sentences."""
    with translation.override(language):
        if text.outcome:
            alt = _("%(name)s, %(country)s : %(outcome)s.") % {
                "name": text.name,
                "country": text.country,
                "outcome": text.outcome.lower(),
            }
        else:
            alt = f"{text.name}, {text.country}."
        if text.figure:
            alt += f" {text.figure[:1].upper()}{text.figure[1:]} {text.figure_label}."
    return alt


def card_key(case) -> str:
    """Changes when anything the cards show changes (texts, photo, focal point, layout)."""
    texts = {language: asdict(card_text(case, language)) for language, _ in settings.LANGUAGES}
    photo = [case.photo.name, case.photo_focal_x, case.photo_focal_y] if case.photo else []
    payload = json.dumps([VERSION, texts, photo], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()[:12]


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT), size)


def _lines(draw, text: str, font, width: int) -> list[str]:
    """Greedy word wrap within ``width`` pixels."""
    lines, current = [], ""
    for word in text.split():
        attempt = f"{current} {word}".strip()
        if draw.textlength(attempt, font=font) <= width or not current:
            current = attempt
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def _fit(draw, text: str, width: int, sizes, max_lines: int, max_height=None, leading=1.0):
    """The largest size whose wrapped text fits ``max_lines`` lines of ``width`` (and
    ``max_height`` pixels, lines ``leading`` × the size apart)."""
    for size in sizes:
        font = _font(size)
        lines = _lines(draw, text, font, width)
        fits = len(lines) <= max_lines and all(
            draw.textlength(line, font=font) <= width for line in lines
        )
        if fits and (max_height is None or len(lines) * size * leading <= max_height):
            return font, lines
    font = _font(sizes[-1])
    return font, _lines(draw, text, font, width)[:max_lines]


def _wordmark(draw, x: int, y: int) -> None:
    draw.rectangle([x, y, x + 52, y + 52], fill=INK)
    draw.line([(x + 11, y + 27), (x + 22, y + 39), (x + 42, y + 13)], fill=YELLOW, width=8)
    draw.text((x + 66, y - 6), "VICTOIRES", font=_font(58), fill=INK)


def card_draw(text: CardText, photo: Image.Image | None = None, focal=(0.5, 0.5)) -> bytes:
    """The card as JPEG bytes (no metadata). The outcome under the wordmark, the name and
    the country just above the ink band of the figure, as on the typographic card."""
    card = Image.new("RGB", (WIDTH, HEIGHT), YELLOW)
    draw = ImageDraw.Draw(card)
    text_right = WIDTH - MARGIN
    if photo is not None:
        box = images.crop_box(photo.width, photo.height, (PHOTO_WIDTH, HEIGHT), *focal)
        panel = photo.crop(box).convert("RGB").resize((PHOTO_WIDTH, HEIGHT), Image.LANCZOS)
        card.paste(panel, (WIDTH - PHOTO_WIDTH, 0))
        draw.rectangle([WIDTH - PHOTO_WIDTH - 10, 0, WIDTH - PHOTO_WIDTH, HEIGHT], fill=INK)
        text_right = WIDTH - PHOTO_WIDTH - 10 - 48
    text_width = text_right - MARGIN
    band_top = HEIGHT - BAND_HEIGHT

    _wordmark(draw, MARGIN, 48)

    # From the band up: the country, then the name.
    country_font = _font(34)
    country_top = band_top - 32 - 34
    draw.text((MARGIN, country_top - 6), text.country.upper(), font=country_font, fill=INK)
    name_font, name_lines = _fit(draw, text.name, text_width, range(68, 36, -4), 2)
    name_step = round(name_font.size * 1.02)
    name_top = country_top - 8 - name_step * len(name_lines)
    for index, line in enumerate(name_lines):
        draw.text((MARGIN, name_top + index * name_step - 10), line, font=name_font, fill=INK)

    # Between the wordmark and the name: the outcome, as large as the room allows.
    if text.outcome:
        room_top, room_bottom = 136, name_top - 24
        font, lines = _fit(
            draw,
            text.outcome.upper(),
            text_width,
            range(150, 50, -4),
            3,
            max_height=room_bottom - room_top,
            leading=0.9,
        )
        step = round(font.size * 0.9)
        y = room_bottom - step * len(lines)
        for line in lines:
            draw.text((MARGIN - 4, y - round(font.size * 0.12)), line, font=font, fill=INK)
            y += step

    draw.rectangle([0, band_top, text_right + 48 if photo else WIDTH, HEIGHT], fill=INK)
    if text.figure:
        font, (line, *_rest) = _fit(draw, text.figure.upper(), text_width, range(72, 36, -4), 1)
        draw.text((MARGIN, band_top + 14), line, font=font, fill=YELLOW)
        label_font, label_lines = _fit(draw, text.figure_label, text_width, range(34, 22, -2), 1)
        draw.text((MARGIN, band_top + 14 + font.size), label_lines[0], font=label_font, fill=WHITE)
    return images.image_encode(card, "JPEG", quality=86)
