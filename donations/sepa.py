"""The SEPA direct-debit rules: the countries of the scheme, the IBAN and BIC checks, the
mandate reference (RUM), the creditor identifier (ICS) and the characters a bank accepts.

No Django import: ``config/settings.py`` checks the creditor identifier with this module
before Django starts, and the tests call it directly.
"""

import re
import secrets
import string
from datetime import date

from schwifty import IBAN, registry
from schwifty.exceptions import SchwiftyException
from stdnum.eu import at_02
from text_unidecode import unidecode

# --- The countries of the scheme --------------------------------------------------------

EEA = "eea"
NON_EEA = "non-eea"

# The 41 countries of the SEPA schemes, and whether they are in the European Economic Area
# (outside it, the BIC and the debtor's address go with every debit).
# Source: European Payments Council, "EPC list of countries and territories of the SEPA
# schemes" (EPC409-09), as updated for Serbia's accession (in force 5 May 2025); read on
# 2 December 2026. Albania and Montenegro joined in November 2024, Moldova and North
# Macedonia in March 2025, Serbia in May 2025.
# fmt: off
SEPA_COUNTRIES = {
    # European Union (27)
    "AT": EEA, "BE": EEA, "BG": EEA, "CY": EEA, "CZ": EEA, "DE": EEA, "DK": EEA,
    "EE": EEA, "ES": EEA, "FI": EEA, "FR": EEA, "GR": EEA, "HR": EEA, "HU": EEA,
    "IE": EEA, "IT": EEA, "LT": EEA, "LU": EEA, "LV": EEA, "MT": EEA, "NL": EEA,
    "PL": EEA, "PT": EEA, "RO": EEA, "SE": EEA, "SI": EEA, "SK": EEA,
    # The rest of the EEA (3)
    "IS": EEA, "LI": EEA, "NO": EEA,
    # Outside the EEA (11)
    "AD": NON_EEA, "CH": NON_EEA, "GB": NON_EEA, "MC": NON_EEA, "SM": NON_EEA,
    "VA": NON_EEA,
    "AL": NON_EEA, "ME": NON_EEA, "MD": NON_EEA, "MK": NON_EEA, "RS": NON_EEA,
}
# Territories that use their own ISO code in an IBAN and belong to a country above (same
# source): Åland (FI); French Guiana, Guadeloupe, Martinique, Réunion, Mayotte and
# Saint-Martin (FR, in the EEA); Saint-Pierre-et-Miquelon and Saint-Barthélemy (FR, outside
# it); Gibraltar, Guernsey, Jersey and the Isle of Man (GB).
SEPA_TERRITORIES = {
    "AX": EEA, "GF": EEA, "GP": EEA, "MQ": EEA, "RE": EEA, "YT": EEA, "MF": EEA,
    "PM": NON_EEA, "BL": NON_EEA, "GI": NON_EEA, "GG": NON_EEA, "JE": NON_EEA,
    "IM": NON_EEA,
}
# fmt: on
_AREA = {**SEPA_COUNTRIES, **SEPA_TERRITORIES}
SEPA_EEA = frozenset(code for code, area in _AREA.items() if area == EEA)
SEPA_NON_EEA = frozenset(code for code, area in _AREA.items() if area == NON_EEA)

# Members whose banks may not take SEPA debits yet (joining the scheme is not the same as
# every bank being ready: Serbia's earliest operational date is May 2026): the month each
# joined, for the warning staff see on such a mandate.
RECENT_MEMBERS = {
    "AL": date(2024, 11, 1),
    "ME": date(2024, 11, 1),
    "MD": date(2025, 3, 1),
    "MK": date(2025, 3, 1),
    "RS": date(2025, 5, 1),
}

# French territories of the Pacific (CFP franc) are outside SEPA, although some registries
# list them with France: refused, both by their own code and by their banks' codes.
OUTSIDE_SEPA_TERRITORIES = frozenset({"NC", "PF", "WF", "TF"})


# --- IBAN and BIC -----------------------------------------------------------------------


class IBANProblem(ValueError):
    """Why an IBAN is refused; ``code`` is one of ``IBAN_PROBLEMS``."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


IBAN_PROBLEMS = ("format", "country", "length", "checksum", "outside_sepa", "bic_required", "bic")


def iban_normalise(raw: str) -> str:
    return re.sub(r"[\s\-.]", "", raw or "").upper()


def _bank_country(iban: IBAN) -> str | None:
    """The country of the account's bank, from its BIC when the registry knows it."""
    try:
        banks = registry.get_banks_by_code(iban.country_code, iban.bank_code)
    except (SchwiftyException, KeyError, ValueError):
        return None
    for bank in banks:
        if bank.bic and len(bank.bic) >= 6:
            return bank.bic[4:6]
    return None


def iban_check(raw: str) -> str:
    """The IBAN in its electronic form if it can be debited by SEPA, else ``IBANProblem``.

    Spaces and lower case are accepted. Checks the country (``SEPA_COUNTRIES`` and
    ``SEPA_TERRITORIES`` only), the country's length, the ISO 7064 mod 97 checksum, and
    refuses accounts held in the French Pacific territories even under an ``FR`` code.
    """
    value = iban_normalise(raw)
    if not re.fullmatch(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}", value):
        raise IBANProblem("format")
    country = value[:2]
    if country in OUTSIDE_SEPA_TERRITORIES or country not in _AREA:
        raise IBANProblem("outside_sepa")
    try:
        spec = registry.get_iban_spec(country)
    except (SchwiftyException, KeyError):
        raise IBANProblem("country") from None
    if len(value) != spec.iban_length:
        raise IBANProblem("length")
    try:
        iban = IBAN(value, validate_bban=False)
    except SchwiftyException as exc:
        name = exc.__class__.__name__
        raise IBANProblem("checksum" if "Checksum" in name else "format") from None
    if _bank_country(iban) in OUTSIDE_SEPA_TERRITORIES:
        raise IBANProblem("outside_sepa")
    return value


def iban_bank_code(iban: str) -> str:
    """The bank's code inside an IBAN (FR: the 5-digit "code banque"), to tell a change of
    bank from a change of account at the same bank; "" when the country's layout is unknown."""
    try:
        return IBAN(iban_normalise(iban), validate_bban=False).bank_code or ""
    except SchwiftyException:
        return ""


def bic_required(iban: str) -> bool:
    """Outside the EEA the BIC (and the debtor's address) go with every debit."""
    return iban[:2] in SEPA_NON_EEA


def recent_member(iban: str) -> date | None:
    """When the account's country joined SEPA, if its banks may not take debits yet."""
    return RECENT_MEMBERS.get((iban or "")[:2])


def bic_check(raw: str) -> str:
    """A BIC of 8 or 11 characters, normalised; ``IBANProblem('bic')`` otherwise."""
    value = re.sub(r"\s", "", raw or "").upper()
    if not re.fullmatch(r"[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?", value):
        raise IBANProblem("bic")
    return value


def iban_mask(iban: str) -> str:
    """``FR76 **** **** **** **** **** 189``: the country, the check digits and the last
    three characters, grouped by four as an IBAN is printed."""
    value = iban_normalise(iban)
    if len(value) < 8:
        return "*" * len(value)
    masked = value[:4] + "*" * (len(value) - 7) + value[-3:]
    return " ".join(masked[i : i + 4] for i in range(0, len(masked), 4))


def iban_format(iban: str) -> str:
    """The IBAN grouped by four, as printed on paper."""
    value = iban_normalise(iban)
    return " ".join(value[i : i + 4] for i in range(0, len(value), 4))


# --- The mandate reference (RUM / UMR) --------------------------------------------------

RUM_MAX_LENGTH = 35
RUM_PATTERN = re.compile(r"[A-Za-z0-9/\-?:().,'+]{1,35}")
RUM_PREFIX = "DON"
_RUM_ALPHABET = string.ascii_uppercase + string.digits


def rum_new(*, pk: int, prefix: str = RUM_PREFIX) -> str:
    """A new mandate reference: prefix, the mandate's id and a random part.

    ``DON-00000042-7QK2M9XA`` (21 characters for ids below 10^8). The id makes it unique
    among live mandates, the random part keeps a reference from ever coming back even if a
    database reuses the id of a deleted row; ``services.mandate_reference_issue`` records
    every reference given, and a unique constraint there refuses one given before.
    """
    random_part = "".join(secrets.choice(_RUM_ALPHABET) for _ in range(8))
    rum = f"{prefix}-{pk:08d}-{random_part}"
    if not rum_is_valid(rum):
        raise ValueError("The mandate reference would not fit the SEPA rules")
    return rum


def rum_is_valid(rum: str) -> bool:
    """At most 35 characters of ``A-Z a-z 0-9 / - ? : ( ) . , ' +``, no space."""
    return bool(RUM_PATTERN.fullmatch(rum or ""))


# --- The creditor identifier (ICS) --------------------------------------------------------


def ics_is_valid(ics: str) -> bool:
    """A French SEPA creditor identifier, exactly as it must be written: 13 characters,
    ``FR``, two check digits, a 3-character business code (``ZZZ`` by default) and a
    6-character national part that may hold letters (``FR33ZZZ8A1B2C``). The check digits
    (ISO 7064 mod 97-10 over the national part) are python-stdnum's ``eu.at_02`` check."""
    if not isinstance(ics, str) or not re.fullmatch(r"FR[0-9]{2}[A-Z0-9]{9}", ics):
        return False
    return at_02.is_valid(ics)


# --- The characters a bank accepts ------------------------------------------------------

SEPA_CHARACTERS = re.compile(r"[A-Za-z0-9/\-?:().,'+ ]")
# What the EPC's conversion best practices (EPC217-08) and the French banks' guides make
# of the few signs that transliteration alone gets wrong.
_SIGNS = {"&": "+", "_": "-", "@": "(at)", "«": "'", "»": "'", '"': "'", "\u2019": "'"}


def sepa_text(text: str, max_length: int | None = None) -> str:
    """``text`` in the EPC basic Latin set (``A-Z a-z 0-9 / - ? : ( ) . , ' +`` and space),
    for every text that goes to the bank (names, addresses, the remittance text):
    letters lose their accents (``Kılıç`` → ``Kilic``, ``Łukasz`` → ``Lukasz``, ``ß`` →
    ``ss``), ``&`` becomes ``+``, typographic apostrophes and dashes plain ones, anything
    else a full stop; spaces are collapsed, and the result cut at ``max_length``."""
    out = []
    for char in text or "":
        if SEPA_CHARACTERS.fullmatch(char):
            out.append(char)
            continue
        if char.isspace():
            out.append(" ")
            continue
        converted = _SIGNS.get(char, unidecode(char))
        if converted and all(SEPA_CHARACTERS.fullmatch(c) for c in converted):
            out.append(converted)
        else:
            out.append(".")
    result = re.sub(r" {2,}", " ", "".join(out)).strip()
    if max_length is not None:
        result = result[:max_length].rstrip()
    return result
