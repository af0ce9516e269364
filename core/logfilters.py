"""A last line of defence: no email address, IBAN or emailed token reaches the logs.

The code never logs personal data on purpose, but libraries do: an SMTP error names the
refused address, a task runner logs the exception of a failed task, gunicorn logs the URL of
a confirmation link. :class:`RedactingFormatter` formats every handler's output (Django's,
the task worker's and gunicorn's, see ``gunicorn.conf.py``) and masks, in the message and in
the traceback:

- what is an email address;
- what is an IBAN: a known country code, that country's exact length and a valid checksum
  (so task ids, hashes and references are left alone: 0 in 100 000 ``uuid4().hex``);
- the token of a link we email, in a logged URL (``/…/confirmer/<token>/``): any path
  segment of 32 or more letters, digits, ``-`` or ``_`` that holds a digit or a capital
  (a slug has neither; one token in 1 400 has no digit, none is all small letters).
"""

import logging
import re

from django.utils.log import AdminEmailHandler
from schwifty import IBAN as ParsedIBAN
from schwifty.exceptions import SchwiftyException

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Candidates: two letters, two check digits, then groups of letters or digits (a space
# between groups of four allowed); each one is then checked as a real IBAN.
IBAN_CANDIDATE = re.compile(
    r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?\b", re.IGNORECASE
)
URL_TOKEN = re.compile(r"(?<=/)(?=[a-z_-]*[0-9A-Z])[A-Za-z0-9_-]{32,}(?=[/?#\s\"']|$)")


def is_iban(text: str) -> bool:
    """A known country, its exact length and a valid checksum (schwifty's registry)."""
    try:
        ParsedIBAN(text.replace(" ", "").upper())
    except (SchwiftyException, ValueError):
        return False
    return True


def _iban(match: re.Match) -> str:
    return "[IBAN]" if is_iban(match.group()) else match.group()


def redact(text: str) -> str:
    text = EMAIL.sub("[email]", text)
    text = IBAN_CANDIDATE.sub(_iban, text)
    return URL_TOKEN.sub("[token]", text)


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then masks emails, IBANs and link tokens in the whole text,
    traceback included.

    A formatter rather than a filter: the records stay as they were, so tests that capture
    log records still see what the code tried to log.
    """

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class RedactingAdminEmailHandler(AdminEmailHandler):
    """Django's alert email to ``ADMINS``, its whole text masked like the logs (the report's
    POST data and local variables are already hidden by ``sensitive_post_parameters`` and
    ``sensitive_variables`` on the views that touch personal data)."""

    def send_mail(self, subject, message, *args, **kwargs):
        html = kwargs.pop("html_message", None)
        super().send_mail(
            redact(subject), redact(message), *args, html_message=html and redact(html), **kwargs
        )
