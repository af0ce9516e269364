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


def test_no_task_id_is_ever_taken_for_an_iban():
    import uuid

    masked = [text for text in (uuid.uuid4().hex for _ in range(100_000)) if redact(text) != text]
    assert masked == []


@pytest.mark.parametrize(
    "text",
    [
        "FR7630006000011234567890180",  # wrong checksum
        "FR763000600001123456789018",  # one character short for France
        "ZZ7630006000011234567890189",  # no such country
        "DE89370400440532013000AB",  # too long for Germany
    ],
)
def test_what_only_looks_like_an_iban_is_kept(text):
    assert redact(text) == text


def test_the_token_of_an_emailed_link_is_masked_in_a_logged_url():
    token = "Zq3-Fh8_kP2mN7xR4tY6wB9cD1eG5jL0sV3uA8nM2pQ"
    line = f'"GET /petitions/confirmer/{token}/?x=1 HTTP/1.1" 200'
    assert redact(line) == '"GET /petitions/confirmer/[token]/?x=1 HTTP/1.1" 200'
    hexdigest = "3f2a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a"
    assert redact(f"/don/merci/{hexdigest}/") == "/don/merci/[token]/"
    slug = "/victoires/liberez-ana-exemple-la-journaliste-emprisonnee/"
    assert redact(slug) == slug
    # One token in some 1 400 holds no digit (43 characters of 64, 10 of them digits).
    without_digit = "ZqF-Fh_kPmNxRtYwBcDeGjLsVuAnMpQabcdefghijk"
    assert redact(f"/don/confirmer/{without_digit}/") == "/don/confirmer/[token]/"


def test_gunicorns_own_logs_go_through_the_masking(tmp_path):
    """The committed gunicorn.conf.py, a real gunicorn: access and error lines masked."""
    import contextlib
    import os
    import random
    import subprocess
    import sys
    import time
    import urllib.request
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    port = random.randint(21050, 21099)
    env = {**os.environ, "DJANGO_DEBUG": "1", "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.pop("DATABASE_URL", None)
    log = tmp_path / "gunicorn.log"
    with log.open("w") as stderr:
        server = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "-b", f"127.0.0.1:{port}",
             "-w", "1", "config.wsgi"],
            cwd=root, env=env, stdout=stderr, stderr=stderr,
        )  # fmt: skip
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(  # noqa: S310
                        f"http://127.0.0.1:{port}/nulle-part/?email=ana.exemple@exemple.fr",
                        timeout=2,
                    )
                except urllib.error.HTTPError:
                    break
                except OSError:
                    time.sleep(0.2)
            token = "Zq3-Fh8_kP2mN7xR4tY6wB9cD1eG5jL0sV3uA8nM2pQ"
            with contextlib.suppress(urllib.error.HTTPError):
                urllib.request.urlopen(f"http://127.0.0.1:{port}/don/merci/{token}/", timeout=5)  # noqa: S310
        finally:
            server.terminate()
            server.wait(timeout=30)
    output = log.read_text()
    assert "/nulle-part/?email=[email]" in output, output
    assert "/don/merci/[token]/" in output
    assert "ana.exemple@exemple.fr" not in output and token not in output
    assert "Booting worker" in output  # gunicorn's error log, through the same handler
