"""French typesetting of the interface strings.

The msgids are French as typed in code and templates, with ordinary spaces. The French
catalogue (``locale/fr``) carries the typeset version of every string that needs one:
no-break spaces before ``: ; ! ? »`` and after ``«`` (see ``core.formats.french_typography``),
so every French page gets them without code or templates having to type U+00A0.
``manage.py typeset_french`` (run by ``make messages``) keeps the catalogue in step.
"""

from core.formats import french_typography

# French apostrophes are curled (’) in the catalogue, as in editors' texts and the demo.
APOSTROPHES = True

HAND_WRITTEN = "django-admin wording"


def _typeset_hand_written(entry) -> int:
    changed = 0
    if entry.msgid_plural:
        for index, text in list(entry.msgstr_plural.items()):
            if text and french_typography(text, apostrophes=APOSTROPHES) != text:
                entry.msgstr_plural[index] = french_typography(text, apostrophes=APOSTROPHES)
                changed += 1
    elif entry.msgstr and french_typography(entry.msgstr, apostrophes=APOSTROPHES) != entry.msgstr:
        entry.msgstr = french_typography(entry.msgstr, apostrophes=APOSTROPHES)
        changed += 1
    return changed


def typeset_catalogue(po) -> int:
    """Set the French msgstr of every entry of a polib catalogue; returns how many changed."""
    changed = 0
    for entry in po:
        if entry.obsolete or not entry.msgid:
            continue
        if HAND_WRITTEN in (entry.comment or ""):
            # Django's English messages reworded by hand (core/admin_wording.py).
            changed += _typeset_hand_written(entry)
            continue
        if entry.msgid_plural:
            for index in list(entry.msgstr_plural) or [0, 1]:
                source = entry.msgid if index == 0 else entry.msgid_plural
                # Always written out: an empty plural falls back to English's rule, which
                # puts 0 in the plural (« 0 victoires » instead of « 0 victoire »).
                wanted = french_typography(source, apostrophes=APOSTROPHES)
                if entry.msgstr_plural.get(index, "") != wanted:
                    entry.msgstr_plural[index] = wanted
                    changed += 1
        else:
            wanted = french_typography(entry.msgid, apostrophes=APOSTROPHES)
            wanted = wanted if wanted != entry.msgid else ""
            if entry.msgstr != wanted:
                entry.msgstr = wanted
                changed += 1
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            changed += 1
    return changed
