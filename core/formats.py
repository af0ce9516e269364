"""French and English formatting of numbers, money and dates, as the site prints them.

Pure functions with no Django import: the thousands separator of French is the no-break
space U+00A0 (as Django's own French formats write it), the decimal separator a comma.
"""

import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

NBSP = "\u00a0"

MONTHS = {
    "fr": [
        "janvier", "février", "mars", "avril", "mai", "juin",
        "juillet", "août", "septembre", "octobre", "novembre", "décembre",
    ],
    "en": [
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ],
}  # fmt: skip


def _lang(language: str | None) -> str:
    return "en" if (language or "fr").lower().startswith("en") else "fr"


def _group(digits: str, sep: str) -> str:
    parts = []
    while len(digits) > 3:
        parts.insert(0, digits[-3:])
        digits = digits[:-3]
    parts.insert(0, digits)
    return sep.join(parts)


def format_int(value: int, language: str = "fr") -> str:
    """594400 -> '594 400' (U+00A0) in French, '594,400' in English."""
    value = int(value)
    sign = "-" if value < 0 else ""
    sep = NBSP if _lang(language) == "fr" else ","
    return sign + _group(str(abs(value)), sep)


def format_money(amount: Decimal | int | str, language: str = "fr") -> str:
    """Decimal('5.1') -> '5,10 €' in French, '€5.10' in English; always two decimals."""
    amount = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    units, cents = f"{abs(amount):.2f}".split(".")
    if _lang(language) == "fr":
        return f"{sign}{_group(units, NBSP)},{cents}{NBSP}€"
    return f"{sign}€{_group(units, ',')}.{cents}"


def format_date(value: date, precision: str = "day", language: str = "fr") -> str:
    """A date known to the day, the month or the year, written as a person would.

    French: '1er août 2024', '24 mars 2022', 'avril 2016', '2023'.
    English: 'August 1, 2024', 'April 2016', '2023'.
    """
    lang = _lang(language)
    month = MONTHS[lang][value.month - 1]
    if precision == "year":
        return str(value.year)
    if precision == "month":
        return f"{month} {value.year}"
    if lang == "fr":
        day = "1er" if value.day == 1 else str(value.day)
        return f"{day} {month} {value.year}"
    return f"{month} {value.day}, {value.year}"


def format_moment(value: datetime, language: str = "fr") -> str:
    """A local date and time: '1er août 2024 à 09:05', 'August 1, 2024 at 09:05'."""
    at = "à" if _lang(language) == "fr" else "at"
    return f"{format_date(value.date(), 'day', language)} {at} {value:%H:%M}"


def curly_apostrophes(text: str) -> str:
    """« l'appel » -> « l’appel »: only between a letter and a letter (or « d’« »), so the
    quotes around an HTML attribute's value are never touched."""
    return re.sub(r"(?<=[^\W\d_])'(?=[^\W\d_]|«)", "\u2019", text)


def french_typography(text: str, *, apostrophes: bool = True) -> str:
    """Curly apostrophes (’) and no-break spaces before ; : ! ? » and % (after a number)
    and after «, as French typesetting wants.

    Only spaces already typed become no-break spaces (a URL's ':' is left alone);
    guillemets get theirs even when the editor typed none.
    """
    if apostrophes:
        text = curly_apostrophes(text)
    text = re.sub(r" ([;:!?»])", NBSP + r"\1", text)
    text = re.sub(r"(?<=\d) %", NBSP + "%", text)
    text = re.sub(r"« ", "«" + NBSP, text)
    text = re.sub(r"«(?=[^\s\u00a0])", "«" + NBSP, text)
    text = re.sub(r"(?<=[^\s\u00a0])»", NBSP + "»", text)
    return text


def is_plural(count: int, language: str = "fr") -> bool:
    """Whether a count takes the plural: from 2 in French (« 0 signature »), all but 1 in
    English (« 0 signatures »)."""
    if language.startswith("fr"):
        return abs(count) >= 2
    return abs(count) != 1
