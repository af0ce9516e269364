import io
import logging
import smtplib

import pytest

from core.logfilters import RedactingFormatter, redact


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("refused: camille.martin+pet@exemple.fr", "refused: [email]"),
        ("IBAN FR7630006000011234567890189 invalid", "IBAN [IBAN] invalid"),
        ("iban fr76 3000 6000 0112 3456 7890 189.", "iban [IBAN]."),
        ("DE89 3704 0044 0532 0130 00", "[IBAN]"),
        ("NO9386011117947", "[IBAN]"),
    ],
)
def test_emails_and_ibans_are_masked(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "FR76 **** **** **** **** **** 189",
        "RUM DON-00000004-3OY9ELWD",
        "ICS FR72ZZZ123456",
        "GET /petitions/liberez-ana/ 200 in 15 ms",
    ],
)
def test_what_is_not_personal_data_is_kept(text):
    assert redact(text) == text


@pytest.fixture
def console():
    """The configured console handler, writing into a string for the test."""
    handler = next(
        h for h in logging.getLogger().handlers if isinstance(h.formatter, RedactingFormatter)
    )
    stream = io.StringIO()
    previous = handler.setStream(stream)
    # db_worker sets its loggers' levels by its verbosity (a worker test may have run first).
    levels = {name: logging.getLogger(name).level for name in ("django_tasks", "django_tasks_db")}
    for name in levels:
        logging.getLogger(name).setLevel(logging.NOTSET)
    yield stream
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)
    handler.setStream(previous)


def test_a_failed_task_logs_no_email_address(console):
    try:
        raise smtplib.SMTPRecipientsRefused({"ana@exemple.fr": (550, b"no such user")})
    except smtplib.SMTPRecipientsRefused:
        logging.getLogger("django_tasks").exception("Task %s failed for %s", 12, "ana@exemple.fr")
    output = console.getvalue()
    assert "Task 12 failed for [email]" in output
    assert "SMTPRecipientsRefused: {'[email]': (550, b'no such user')}" in output
    assert "ana@exemple.fr" not in output


def test_djangos_own_loggers_go_through_the_filter(console):
    logging.getLogger("django.request").warning("Bad Request: iban=FR7630006000011234567890189")
    assert console.getvalue().strip() == "Bad Request: iban=[IBAN]"
