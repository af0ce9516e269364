"""A last line of defence: no email address or IBAN reaches the logs.

The code never logs personal data on purpose, but libraries do: an SMTP error names the
refused address, a task runner logs the exception of a failed task, a debug log prints SQL
parameters. :class:`RedactPersonalData` sits on every handler and masks both in the message
and in the traceback.
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


class RedactPersonalData(logging.Filter):
    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to the handler's own error path
            return True
        record.msg, record.args = redact(message), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
