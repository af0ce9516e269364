import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_check(**env_vars):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "CACHE_URL", "FIELD_ENCRYPTION_KEY"))
    }
    env.update(env_vars)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_bad_database_url_stops_the_start_with_one_line_naming_it():
    result = run_check(DJANGO_DEBUG="1", DATABASE_URL="mysqlish://nowhere/db")
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Configuration error: DATABASE_URL")


def test_production_without_a_secret_key_refuses_to_start():
    result = run_check(DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert result.stderr.strip() == (
        "Configuration error: DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off"
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [("DJANGO_DEBUG", "maybe"), ("CACHE_URL", "nosuchcache://x"), ("TRUSTED_PROXIES", "two")],
)
def test_a_malformed_value_is_named(name, value):
    result = run_check(**{"DJANGO_DEBUG": "1", name: value})
    assert result.returncode != 0
    assert result.stderr.strip().startswith(f"Configuration error: {name}")


def test_debug_is_off_unless_asked_for():
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.DEBUG)"],
        cwd=ROOT,
        env={
            "PATH": os.environ["PATH"],
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_SECRET_KEY": "x" * 50,
            "FIELD_ENCRYPTION_KEY": "k" * 44,
            "SEPA_CREDITOR_NAME": "Association",
            "SEPA_CREDITOR_ADDRESS": "1 rue de Paris, 75001 Paris",
            "SEPA_CREDITOR_ID": "FR72ZZZ123456",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "False", result.stderr
