"""Build the site's self-hosted fonts from the npm @fontsource packages (run by `make fonts`).

The .woff2 files this writes are committed, with the OFL licence, so `make run` needs no npm.
Fontsource ships each weight split by script; this merges the Latin and Latin Extended
files and keeps only those two ranges (plus the punctuation French needs), so one file per
weight holds « é », « œ », « ’ », « € » and the « ı » of Kılıç (U+0131).

Usage: .venv/bin/python scripts/build_fonts.py node_modules/@fontsource/barlow-condensed
"""

import shutil
import sys
import tempfile
from pathlib import Path

from fontTools import subset
from fontTools.merge import Merger
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
STATIC_FONTS = ROOT / "static" / "fonts"
# The server draws share cards and demo illustrations with the same face (Pillow reads TTF).
DRAWING_FONTS = ROOT / "core" / "fonts"
FAMILY = "barlow-condensed"
WEIGHTS = ["700"]
# Basic Latin, Latin-1, Latin Extended-A and -B, Latin Extended Additional, general
# punctuation (’ « » – — … no-break spaces), superscripts, €, ™, arrows, minus.
UNICODES = "U+0000-024F,U+0259,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+1E00-1EFF,U+2000-206F,U+2070-209F,U+20AC,U+2122,U+2190-2193,U+2212"


def build(package: Path) -> None:
    STATIC_FONTS.mkdir(parents=True, exist_ok=True)
    DRAWING_FONTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for weight in WEIGHTS:
            parts = []
            for script in ("latin", "latin-ext"):
                source = package / "files" / f"{FAMILY}-{script}-{weight}-normal.woff2"
                font = TTFont(source)
                font.flavor = None
                target = Path(tmp) / f"{script}.ttf"
                font.save(target)
                parts.append(str(target))
            merged = Merger().merge(parts)
            merged_path = Path(tmp) / "merged.ttf"
            merged.save(merged_path)
            for flavor, out in (
                ("woff2", STATIC_FONTS / f"{FAMILY}-{weight}.woff2"),
                (None, DRAWING_FONTS / f"{FAMILY}-{weight}.ttf"),
            ):
                args = [
                    str(merged_path),
                    f"--unicodes={UNICODES}",
                    "--layout-features=kern,liga,calt,ccmp,locl,mark,mkmk",
                    "--no-hinting",
                    "--desubroutinize",
                    f"--output-file={out}",
                ]
                if flavor:
                    args.append(f"--flavor={flavor}")
                subset.main(args)
                print(f"{out.relative_to(ROOT)}: {out.stat().st_size} bytes")
    shutil.copy(package / "LICENSE", STATIC_FONTS / "OFL.txt")
    shutil.copy(package / "LICENSE", DRAWING_FONTS / "OFL.txt")


if __name__ == "__main__":
    build(Path(sys.argv[1]))
