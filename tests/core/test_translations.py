"""The English catalogue is complete: every French msgid has its English and none is fuzzy
(gettext ignores fuzzy entries: the page would show the French). Uses gettext's own tools,
which the project needs anyway."""

import re
import subprocess
from pathlib import Path

PO = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES" / "django.po"


def gettext_tool(*args):
    return subprocess.run(args, capture_output=True, text=True, timeout=60, check=True)


def test_every_english_translation_is_there_and_none_is_fuzzy():
    statistics = gettext_tool("msgfmt", "--statistics", "-o", "/dev/null", str(PO)).stderr
    incomplete = (
        gettext_tool("msgattrib", "--no-obsolete", "--only-fuzzy", "--no-wrap", str(PO)).stdout
        + gettext_tool("msgattrib", "--no-obsolete", "--untranslated", "--no-wrap", str(PO)).stdout
    )
    assert re.fullmatch(r"\d+ translated messages\.", statistics.strip()), (
        statistics + "\n" + "\n".join(re.findall(r"^msgid .+$", incomplete, re.M)[1:])
    )
    assert int(statistics.split()[0]) > 400


def test_the_french_catalogue_carries_every_typeset_string():
    from django.core.management import call_command

    call_command("typeset_french", check=True)


def test_french_pages_get_no_break_spaces_before_colons(client, db):
    html = client.get("/donnees-personnelles/").content.decode()
    assert "Signatures non confirmées\u00a0: 7 jours après la signature" in html
    english = client.get("/en/personal-data/").content.decode()
    assert "Unconfirmed signatures: 7 days after signing" in english
