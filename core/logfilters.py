"""A last line of defence: no email address or IBAN reaches the logs.

The code never logs personal data on purpose, but libraries do: an SMTP error names the
refused address, a task runner logs the exception of a failed task, a debug log prints SQL
parameters. :class:`RedactingFormatter` formats every handler's output and masks both in
the message and in the traceback.
"""

import logging
import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Two letters, two check digits, then groups of four letters or digits (a space between
# groups allowed), the last group shorter: 15 to 34 characters in all.
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?\b", re.IGNORECASE)


def _iban(match: re.Match) -> str:
    # Shorter than Norway's 15 characters: a creditor identifier (ICS) or a reference.
    return "[IBAN]" if len(match.group().replace(" ", "")) >= 15 else match.group()


def redact(text: str) -> str:
    return IBAN.sub(_iban, EMAIL.sub("[email]", text))


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then masks emails and IBANs in the whole text, traceback included.

    A formatter rather than a filter: the records stay as they were, so tests that capture
    log records still see what the code tried to log.
    """

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))
