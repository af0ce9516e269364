"""The demo's images, drawn by our code (Pillow): never a photograph, never a person.

We hold no licensed photograph of the people of the demo, and an invented image must never
pass for a photograph of a real person. So the demo draws abstract scenes that echo a story
(a river, a mountain, price labels, a field of signatures), credits them « Illustration de
démonstration », and staff upload the real, credited photographs.

Deterministic: the same drawing gives the same bytes, so loading the demo twice changes nothing.
"""

import io
import math
import random

from PIL import Image, ImageDraw

INK = (17, 17, 17)
YELLOW = (255, 212, 0)
PAPER = (245, 242, 234)
WHITE = (255, 255, 255)
CREDIT = "Illustration de démonstration"


def _jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82, optimize=True, progressive=True)
    return buffer.getvalue()


def signatures_field(size=(2000, 1100)) -> bytes:
    """Thousands of dots, like so many signatures, gathering into a rising wave."""
    width, height = size
    image = Image.new("RGB", size, INK)
    draw = ImageDraw.Draw(image)
    rng = random.Random(1210)
    step = 22
    for x in range(0, width + step, step):
        crest = height * (0.62 - 0.28 * math.sin(math.pi * x / width * 0.9))
        for y in range(0, height + step, step):
            jitter_x = x + rng.uniform(-4, 4)
            jitter_y = y + rng.uniform(-4, 4)
            if y < crest:
                if rng.random() < 0.05:
                    draw.ellipse(
                        [jitter_x - 2, jitter_y - 2, jitter_x + 2, jitter_y + 2], fill=(90, 90, 90)
                    )
                continue
            depth = min(1.0, (y - crest) / (height * 0.35))
            radius = 3 + 5 * depth
            colour = WHITE if rng.random() < 0.04 else YELLOW
            draw.ellipse(
                [jitter_x - radius, jitter_y - radius, jitter_x + radius, jitter_y + radius],
                fill=colour,
            )
    return _jpeg(image)


def river(size=(1600, 1200)) -> bytes:
    """Blue bands flowing under a yellow sun: a river someone defended."""
    width, height = size
    image = Image.new("RGB", size, PAPER)
    draw = ImageDraw.Draw(image)
    draw.ellipse(
        [width * 0.62, height * 0.08, width * 0.9, height * 0.08 + width * 0.28], fill=YELLOW
    )
    blues = [(10, 74, 150), (30, 110, 170), (12, 52, 104), (80, 150, 190), (17, 17, 17)]
    for index, colour in enumerate(blues):
        top = height * (0.45 + index * 0.11)
        points = [
            (x, top + 38 * math.sin((x / width) * 2 * math.pi * 1.3 + index * 0.9))
            for x in range(0, width + 20, 20)
        ]
        draw.polygon([*points, (width, height), (0, height)], fill=colour)
    return _jpeg(image)


def mountain(size=(1600, 1200)) -> bytes:
    """Layered ridges over a yellow field: land someone refused to give up."""
    width, height = size
    image = Image.new("RGB", size, PAPER)
    draw = ImageDraw.Draw(image)
    ridges = [
        ((120, 140, 110), 0.38, [(0.0, 0.62), (0.3, 0.3), (0.55, 0.5), (0.8, 0.22), (1.0, 0.45)]),
        ((40, 80, 50), 0.55, [(0.0, 0.7), (0.2, 0.48), (0.45, 0.66), (0.7, 0.42), (1.0, 0.62)]),
        (INK, 0.7, [(0.0, 0.8), (0.35, 0.6), (0.6, 0.76), (1.0, 0.58)]),
    ]
    for colour, _base, shape in ridges:
        points = [(x * width, y * height) for x, y in shape]
        draw.polygon([*points, (width, height), (0, height)], fill=colour)
    draw.rectangle([0, height * 0.86, width, height], fill=YELLOW)
    for x in range(0, width, 48):
        draw.line([(x, height * 0.86), (x + 30, height)], fill=(230, 190, 0), width=6)
    return _jpeg(image)


def labels(size=(1600, 1200)) -> bytes:
    """Small white price labels scattered on yellow, each bearing a few lines of words."""
    width, height = size
    image = Image.new("RGB", size, YELLOW)
    rng = random.Random(2022)
    for _ in range(14):
        label_w, label_h = rng.randint(260, 380), rng.randint(150, 210)
        x, y = rng.uniform(-60, width - 200), rng.uniform(-40, height - 120)
        tag = Image.new("RGBA", (label_w, label_h), (*WHITE, 255))
        tag_draw = ImageDraw.Draw(tag)
        tag_draw.rectangle([0, 0, label_w - 1, 26], fill=INK)
        for line in range(3):
            line_y = 52 + line * 40
            tag_draw.rectangle(
                [24, line_y, 24 + rng.randint(120, label_w - 48), line_y + 14], fill=INK
            )
        tag = tag.rotate(rng.uniform(-14, 14), expand=True, resample=Image.Resampling.BICUBIC)
        image.paste(tag, (int(x), int(y)), tag)
    return _jpeg(image)
