import os
import re
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
    [
        ("DJANGO_DEBUG", "maybe"),
        ("CACHE_URL", "nosuchcache://x"),
        ("CACHE_URL", "redis://"),
        ("TRUSTED_PROXIES", "two"),
        ("TRUSTED_PROXIES", "-1"),
        ("DATABASE_URL", "garbage"),
        ("DATABASE_URL", "postgres://"),
        ("CSRF_TRUSTED_ORIGINS", "victoires.example"),
        ("SITE_URL", "victoires.example"),
        ("SITE_URL", "https://victoires.example/chemin/"),
        ("EMAIL_BACKEND", "no.such.EmailBackend"),
        ("EMAIL_PORT", "vingt-cinq"),
        ("DEFAULT_FROM_EMAIL", "Victoires"),
        ("TASKS_BACKEND", "django_taks.backends.immediate.ImmediateBackend"),
        ("FIELD_ENCRYPTION_KEY", "trop-courte"),
        ("FIELD_ENCRYPTION_KEYS_OLD", "trop-courte"),
        ("SEPA_CREDITOR_ID", "FR00ZZZ123456"),
        ("SEPA_CREDITOR_ID", "FR34ZZZ8A1B2C"),
        ("SEPA_CREDITOR_ID", "DE98ZZZ09999999999"),
        ("DJANGO_SECURE_HSTS_SECONDS", "an"),
        ("PETITION_MIN_FILL_SECONDS", "abc"),
        ("PETITION_MIN_FILL_SECONDS", "nan"),
        ("PETITION_MIN_FILL_SECONDS", "-1"),
        ("LOG_LEVEL", "BAVARD"),
        ("ORGANISATION_NAME", " "),
        ("ADMIN_URL", "/admin"),
        ("OTP_SKIP_DEMO_ACCOUNTS", "peut-etre"),
    ],
)
def test_a_malformed_value_stops_the_start_with_one_line_naming_it(name, value):
    result = run_check(**{"DJANGO_DEBUG": "1", name: value})
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Configuration error: {name}")


def test_a_creditor_identifier_with_letters_starts_the_site():
    result = run_check(DJANGO_DEBUG="1", SEPA_CREDITOR_ID="FR33ZZZ8A1B2C")
    assert result.returncode == 0, result.stderr


def test_smtp_with_both_tls_and_ssl_is_refused_at_start():
    result = run_check(DJANGO_DEBUG="1", EMAIL_USE_TLS="1", EMAIL_USE_SSL="1")
    assert result.stderr.strip() == (
        "Configuration error: EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on (choose one)"
    )


PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "p" * 60,
    "DJANGO_ALLOWED_HOSTS": "victoires.example",
    "FIELD_ENCRYPTION_KEY": "dGVzdHMtb25seS1rZXktMzItYnl0ZXMtbG9uZy4uLi4=",
    "SEPA_CREDITOR_NAME": "Association",
    "SEPA_CREDITOR_ADDRESS": "1 rue de Paris, 75001 Paris",
    "SEPA_CREDITOR_ID": "FR72ZZZ123456",
    "SEPA_CREDITOR_IBAN": "FR1420041010050500013M02606",
    "SEPA_CREDITOR_BIC": "PSSTFRPPPAR",
    "ORGANISATION_ADDRESS": "1 rue de Paris, 75001 Paris",
    "ORGANISATION_PHONE": "01 23 45 67 89",
    "ORGANISATION_OBJECT": "Défendre les droits humains",
    "ORGANISATION_STATUS": "Association loi 1901 reconnue d’utilité publique",
    "ORGANISATION_REGISTRATION": "RNA W751000000",
    "ORGANISATION_SIGNER_NAME": "Camille Martin",
    "ORGANISATION_SIGNER_ROLE": "Trésorière",
    "ORGANISATION_PUBLICATION_DIRECTOR": "Camille Martin, présidente",
    "HOST_NAME": "Hébergeur SAS",
    "HOST_ADDRESS": "2 rue de Lille, 59000 Lille",
    "HOST_PHONE": "03 20 00 00 00",
}


def test_production_values_start():
    result = run_check(**PRODUCTION)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DJANGO_ALLOWED_HOSTS", "", "DJANGO_ALLOWED_HOSTS is required when DJANGO_DEBUG is off"),
        (
            "DJANGO_SECRET_KEY",
            "court",
            "DJANGO_SECRET_KEY must be at least 50 characters when DJANGO_DEBUG is off",
        ),
        ("FIELD_ENCRYPTION_KEY", "", "FIELD_ENCRYPTION_KEY is required when DJANGO_DEBUG is off"),
        ("SEPA_CREDITOR_NAME", "", "SEPA_CREDITOR_NAME is required when DJANGO_DEBUG is off"),
        ("SEPA_CREDITOR_ADDRESS", "", "SEPA_CREDITOR_ADDRESS is required when DJANGO_DEBUG is off"),
        ("SEPA_CREDITOR_ID", "", "SEPA_CREDITOR_ID is required when DJANGO_DEBUG is off"),
        ("SEPA_CREDITOR_IBAN", "", "SEPA_CREDITOR_IBAN is required when DJANGO_DEBUG is off"),
        ("SEPA_CREDITOR_BIC", "", "SEPA_CREDITOR_BIC is required when DJANGO_DEBUG is off"),
        (
            "SEPA_CREDITOR_IBAN",
            "FR1420041010050500013M02607",
            "SEPA_CREDITOR_IBAN is not a valid SEPA account (checksum)",
        ),
        ("SEPA_CREDITOR_BIC", "PSST", "SEPA_CREDITOR_BIC is not a valid SEPA account (bic)"),
        (
            "SEPA_PAIN008_VERSION",
            "pain.008.001.05",
            "SEPA_PAIN008_VERSION must be pain.008.001.02 or pain.008.001.08",
        ),
        ("SEPA_SUBMISSION_DAYS", "0", "SEPA_SUBMISSION_DAYS must be 1 or more TARGET2 days"),
        ("ORGANISATION_ADDRESS", "", "ORGANISATION_ADDRESS is required when DJANGO_DEBUG is off"),
        (
            "ORGANISATION_REGISTRATION",
            " ",
            "ORGANISATION_REGISTRATION is required when DJANGO_DEBUG is off",
        ),
        ("HOST_NAME", "", "HOST_NAME is required when DJANGO_DEBUG is off"),
    ],
)
def test_production_refuses_to_start_without_a_required_value(name, value, message):
    result = run_check(**{**PRODUCTION, name: value})
    assert result.returncode != 0
    assert result.stderr.strip() == f"Configuration error: {message}"


def test_the_wsgi_application_stops_with_one_line_and_gunicorns_boot_error_code():
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", DJANGO_DEBUG="1", SITE_URL="nulle-part")
    result = subprocess.run(
        [sys.executable, "-c", "import config.wsgi"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 3
    assert result.stderr.strip() == (
        "Configuration error: SITE_URL must be a scheme and a host, like "
        "https://victoires.example (got 'nulle-part')"
    )


def test_every_variable_read_by_the_settings_is_in_the_configuration_table():
    settings_text = (ROOT / "config" / "settings.py").read_text()
    names = set(re.findall(r'_read\(\s*"([A-Z_]+)"', settings_text))
    names |= set(re.findall(r'_required_in_production\(\s*"([A-Z_]+)"', settings_text))
    table = (ROOT / "docs" / "configuration.md").read_text()
    documented = set(re.findall(r"`([A-Z_]+)`", table))
    assert len(names) > 25
    assert names - documented == set()


def test_debug_is_off_unless_asked_for():
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.DEBUG)"],
        cwd=ROOT,
        env={
            "PATH": os.environ["PATH"],
            "DJANGO_SETTINGS_MODULE": "config.settings",
            **{key: value for key, value in PRODUCTION.items() if key != "DJANGO_DEBUG"},
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "False", result.stderr


MEDIA_PROBE = """
from django.core.files.storage import default_storage, storages
from django.conf import settings
storage = storages["default"]
print(type(storage).__module__ + "." + type(storage).__name__)
print(storage.bucket_name, storage.endpoint_url, storage.region_name, storage.location)
print(storage.querystring_auth, storage.file_overwrite)
print(storage.url("photos/victoires/ana.jpg"))
"""


def run_media_probe(**env_vars):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "AWS_", "MEDIA_"))
    }
    env.update(DJANGO_SETTINGS_MODULE="config.settings", DJANGO_DEBUG="1", **env_vars)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + MEDIA_PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_media_storage_s3_selects_django_storages_with_the_bucket_options():
    result = run_media_probe(
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="victoires-media",
        AWS_S3_ENDPOINT_URL="https://s3.fr-par.scw.example",
        AWS_S3_REGION_NAME="fr-par",
        AWS_LOCATION="/media/",
        AWS_ACCESS_KEY_ID="test-key-id",
        AWS_SECRET_ACCESS_KEY="test-secret",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "storages.backends.s3.S3Storage",
        "victoires-media https://s3.fr-par.scw.example fr-par media",
        "False False",
        # A plain public URL built locally (no request is made, no signature in it).
        "https://s3.fr-par.scw.example/victoires-media/media/photos/victoires/ana.jpg",
    ]


def test_media_storage_s3_with_a_public_domain_links_to_it():
    result = run_media_probe(
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="victoires-media",
        AWS_S3_CUSTOM_DOMAIN="media.victoires.example",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == (
        "https://media.victoires.example/photos/victoires/ana.jpg"
    )


def test_media_stays_on_the_disk_by_default():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup()\n"
            "from django.core.files.storage import storages\n"
            "print(type(storages['default']).__name__)",
        ],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "MEDIA_"))},
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_DEBUG": "1",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "FileSystemStorage", result.stderr


@pytest.mark.parametrize(
    ("env_vars", "message"),
    [
        ({"MEDIA_STORAGE": "s3"}, "AWS_STORAGE_BUCKET_NAME is required when MEDIA_STORAGE is s3"),
        ({"MEDIA_STORAGE": "ftp"}, "MEDIA_STORAGE must be filesystem or s3 (got 'ftp')"),
        (
            {"MEDIA_STORAGE": "s3", "AWS_STORAGE_BUCKET_NAME": "b", "AWS_QUERYSTRING_AUTH": "si"},
            "AWS_QUERYSTRING_AUTH is malformed",
        ),
    ],
)
def test_a_bad_media_storage_stops_the_start_with_one_line(env_vars, message):
    result = run_check(DJANGO_DEBUG="1", **env_vars)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Configuration error: {message}")
