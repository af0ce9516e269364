"""The pure rules of debits: their reference, the text on the donor's statement, their
dates, what a failure does to the mandate, and when a mandate lapses.

No Django import: these functions are tested directly.
"""

import hashlib
from datetime import date, timedelta

from donations.debit_calendar import is_business_day, next_business_day

MONTHS_FR = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)

END_TO_END_MAX_LENGTH = 35


def month_of(day: date) -> date:
    """The first day of ``day``'s month: a debit's ``month``."""
    return day.replace(day=1)


def next_month(month: date) -> date:
    """The first day of the month after ``month``'s."""
    return date(month.year + 1, 1, 1) if month.month == 12 else date(month.year, month.month + 1, 1)


def end_to_end_id(rum: str, month: date) -> str:
    """The debit's end-to-end id: the mandate's reference and the month
    (``DON-00000042-7QK2M9XA-202612``). A mandate has one debit a month and a reference is
    never reused, so it is unique; at most 35 characters (a longer reference is hashed)."""
    suffix = f"-{month:%Y%m}"
    if len(rum) + len(suffix) > END_TO_END_MAX_LENGTH:
        rum = hashlib.sha256(rum.encode()).hexdigest()[: END_TO_END_MAX_LENGTH - len(suffix)]
    return rum + suffix


def remittance_text(organisation: str, due_on: date) -> str:
    """« Don mensuel <organisation> décembre 2026 », what the donor reads on the statement
    (at most 140 characters, the field's limit in pain.008)."""
    tail = f" {MONTHS_FR[due_on.month - 1]} {due_on.year}"
    head = "Don mensuel "
    return head + organisation[: 140 - len(head) - len(tail)] + tail


def due_date(month: date, debit_day: int) -> date:
    """The due date of a month's debit: the debit day, moved to the next TARGET2 day."""
    return next_business_day(month.replace(day=debit_day))


def months_between(start: date, end: date) -> list[date]:
    """The first days of the months from ``start``'s to ``end``'s, both included."""
    months, current = [], month_of(start)
    while current <= end:
        months.append(current)
        current = next_month(current)
    return months


# --- Failures -----------------------------------------------------------------------------

# Reason codes that end the mandate at once: closed account, debtor deceased.
ENDING_CODES = frozenset({"AC04", "MD07"})
# "No mandate" ends it too when the debtor's bank gives it on a refund (unauthorised debit).
ENDING_ON_REFUND_CODES = frozenset({"MD01"})
# Codes that suspend the mandate when two debits in a row fail with them.
SUSPENDING_CODES = frozenset({"AM04", "AC06", "MS02", "MS03"})

END = "end"
SUSPEND = "suspend"

REASON_CODES = {
    "AC01": "Numéro de compte incorrect",
    "AC04": "Compte clôturé",
    "AC06": "Compte bloqué",
    "AC13": "Compte de débiteur non valide (consommateur)",
    "AG01": "Prélèvement interdit sur ce compte",
    "AG02": "Code opération incorrect",
    "AM04": "Provision insuffisante",
    "AM05": "Opération en double",
    "BE05": "Créancier non reconnu",
    "CNOR": "Banque du créancier non joignable",
    "DNOR": "Banque du débiteur non joignable",
    "FF01": "Format du fichier invalide",
    "MD01": "Pas de mandat",
    "MD02": "Données du mandat manquantes ou erronées",
    "MD06": "Remboursement demandé par le débiteur",
    "MD07": "Débiteur décédé",
    "MS02": "Refus du débiteur",
    "MS03": "Raison non communiquée",
    "RC01": "BIC incorrect",
    "RR01": "Identification du compte du débiteur manquante",
    "RR02": "Nom ou adresse du débiteur manquant",
    "RR03": "Nom ou adresse du créancier manquant",
    "RR04": "Motif réglementaire",
    "SL01": "Service spécifique de la banque du débiteur",
}


def reason_label(code: str) -> str:
    return REASON_CODES.get(code, code)


def failure_outcome(code: str, *, refund: bool, previous_code: str | None) -> str | None:
    """What a failed debit does to its mandate: ``END``, ``SUSPEND`` or nothing.

    AC04 and MD07, and MD01 on a refund, end it at once. AM04, AC06, MS02 or MS03 suspend
    it when the debit sent before it (``previous_code``: its reason code if it failed too)
    failed with one of them: twice in a row. Nothing is ever re-presented.
    """
    if code in ENDING_CODES or (refund and code in ENDING_ON_REFUND_CODES):
        return END
    if code in SUSPENDING_CODES and previous_code in SUSPENDING_CODES:
        return SUSPEND
    return None


# --- Lapse --------------------------------------------------------------------------------

LAPSE_MONTHS = 36


def lapse_date(last_presented: date) -> date:
    """The day a mandate lapses when no debit has been presented since ``last_presented``
    (the due date of the last debit sent in a bank file, whatever its outcome, or the
    signature when none was ever sent): 36 months later."""
    index = last_presented.year * 12 + last_presented.month - 1 + LAPSE_MONTHS
    year, month = index // 12, index % 12 + 1
    try:
        return date(year, month, last_presented.day)
    except ValueError:  # 29 February
        return date(year, month, 28)


def lapse_cutoff(today: date) -> date:
    """The latest last-presentation date for which a mandate has lapsed by ``today``."""
    index = today.year * 12 + today.month - 1 - LAPSE_MONTHS
    year, month = index // 12, index % 12 + 1
    try:
        return date(year, month, today.day)
    except ValueError:
        return date(year, month, 28)


def business_days_between(start: date, end: date) -> int:
    """TARGET2 days after ``start`` up to ``end`` included (0 when ``end`` is not later)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += is_business_day(day)
    return count


# --- Returns and refunds --------------------------------------------------------------------

# The debtor's bank returns a debit within 5 TARGET2 days of settlement (SEPA Core rulebook,
# R-transactions); later, money taken back is a refund (8 weeks, MD06, or 13 months for an
# unauthorised debit, MD01).
RETURN_DAYS = 5
REFUND_CODES = frozenset({"MD06"})
RETURN = "return"
REFUND = "refund"


def return_or_refund(code: str, *, return_type: str, due_on: date, booked_on: date) -> str:
    """Whether money taken back after settlement is a return or a refund: the bank's own
    word when it gives one (``/RTYP/RTRN`` or ``/RTYP/RFND``); else MD06 (refund asked by
    the debtor) is a refund; else a refund when booked more than 5 TARGET2 days after the
    due date (a return comes sooner), a return otherwise."""
    if return_type == "RFND":
        return REFUND
    if return_type == "RTRN":
        return RETURN
    if code in REFUND_CODES:
        return REFUND
    return REFUND if business_days_between(due_on, booked_on) > RETURN_DAYS else RETURN
