"""The pure rules of monthly gifts: the tax cost, the mandate reference, the debit dates,
the IBAN's SEPA checks and its masking.

No Django import: these functions are tested directly.
"""

import re
import secrets
import string
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from dateutil.easter import easter
from schwifty import IBAN, registry
from schwifty.exceptions import SchwiftyException

CENT = Decimal("0.01")

# --- The tax cost (Code général des impôts, art. 200) -----------------------------------


def net_cost(amount: Decimal, rate: Decimal) -> Decimal:
    """What a gift costs a taxable household once the reduction is taken off.

    ``amount − round_half_up(amount × rate)`` to the cent: 15 € at 66 % costs 5,10 €.
    """
    amount = Decimal(amount)
    reduction = (amount * Decimal(rate)).quantize(CENT, rounding=ROUND_HALF_UP)
    return (amount - reduction).quantize(CENT)


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


# --- Debit dates (TARGET2 business days) -------------------------------------------------

PRENOTIFICATION_DAYS = 14


def target2_holidays(year: int) -> set[date]:
    """The days TARGET2 is closed besides weekends: 1 Jan, Good Friday, Easter Monday,
    1 May, 25 and 26 December."""
    easter_sunday = easter(year)
    return {
        date(year, 1, 1),
        easter_sunday - timedelta(days=2),
        easter_sunday + timedelta(days=1),
        date(year, 5, 1),
        date(year, 12, 25),
        date(year, 12, 26),
    }


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in target2_holidays(day.year)


def next_business_day(day: date) -> date:
    """``day`` itself when TARGET2 is open, else the next day it is."""
    while not is_business_day(day):
        day += timedelta(days=1)
    return day


def _add_month(day: date, debit_day: int) -> date:
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return date(year, month, debit_day)


def first_debit_date(confirmed_on: date, debit_day: int) -> date:
    """The first debit: on ``debit_day`` of the month, at least 14 days after the
    confirmation (the pre-notification delay), moved to the next TARGET2 business day."""
    if not 1 <= debit_day <= 28:
        raise ValueError("debit_day must be between 1 and 28")
    earliest = confirmed_on + timedelta(days=PRENOTIFICATION_DAYS)
    nominal = date(earliest.year, earliest.month, debit_day)
    if nominal < earliest:
        nominal = _add_month(nominal, debit_day)
    return next_business_day(nominal)


def debit_dates(start: date, debit_day: int, count: int) -> list[date]:
    """``count`` monthly debit dates from the first one, each moved to a business day."""
    dates = [start]
    nominal = date(start.year, start.month, debit_day)
    while len(dates) < count:
        nominal = _add_month(nominal, debit_day)
        dates.append(next_business_day(nominal))
    return dates


# --- IBAN -------------------------------------------------------------------------------

# SEPA countries inside the EEA (EU, Iceland, Liechtenstein, Norway, and the French and
# other outermost regions that use their own ISO code in an IBAN).
SEPA_EEA = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
        "IS",
        "LI",
        "NO",
        "AX",
        "GF",
        "GP",
        "MQ",
        "RE",
        "YT",
        "MF",
    ]
)
# SEPA countries outside the EEA: the BIC and the debtor's address are required.
SEPA_NON_EEA = frozenset(["CH", "GB", "MC", "SM", "AD", "VA", "GI", "GG", "JE", "IM", "PM", "BL"])
SEPA_COUNTRIES = SEPA_EEA | SEPA_NON_EEA
# French territories of the Pacific (CFP franc) are outside SEPA, although some registries
# list them with France: refused, both by their own code and by their banks' codes.
OUTSIDE_SEPA_TERRITORIES = frozenset({"NC", "PF", "WF", "TF"})


class IBANProblem(ValueError):
    """Why an IBAN is refused; ``code`` is one of the keys of ``IBAN_PROBLEMS``."""

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

    Spaces and lower case are accepted. Checks the country (SEPA only), the country's
    length, the ISO 7064 mod 97 checksum, and refuses accounts held in the French Pacific
    territories even under an ``FR`` code.
    """
    value = iban_normalise(raw)
    if not re.fullmatch(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}", value):
        raise IBANProblem("format")
    country = value[:2]
    if country in OUTSIDE_SEPA_TERRITORIES or country not in SEPA_COUNTRIES:
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
    return iban[:2] in SEPA_NON_EEA


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


# --- The creditor identifier (ICS) --------------------------------------------------------


def ics_is_valid(ics: str) -> bool:
    """A French creditor identifier: ``FR``, two check digits, a 3-character business code
    and 6 digits; the check digits are ISO 7064 mod 97 over the national identifier
    followed by ``FR00`` (the business code is left out)."""
    if not re.fullmatch(r"FR[0-9]{2}[A-Z0-9]{3}[0-9]{6}", ics or ""):
        return False
    digits = "".join(str(int(ch, 36)) for ch in ics[7:] + "FR" + ics[2:4])
    return int(digits) % 97 == 1
