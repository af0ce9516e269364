"""The few values tests override; everything else comes from config.settings.

The database and the cache are the ones DATABASE_URL and CACHE_URL name (PostgreSQL and
Redis in CI); the defaults are SQLite and local memory.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-secret-key-" + "x" * 40)
os.environ.setdefault("FIELD_ENCRYPTION_KEY", "dGVzdHMtb25seS1rZXktMzItYnl0ZXMtbG9uZy4uLi4=")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SITE_URL", "http://testserver")
os.environ.setdefault("SEPA_CREDITOR_NAME", "Victoires — section française (DÉMO)")
os.environ.setdefault("SEPA_CREDITOR_ADDRESS", "1 rue de l'Exemple, 75000 Paris, France")
os.environ.setdefault("SEPA_CREDITOR_ID", "FR72ZZZ123456")
os.environ.setdefault("SEPA_CREDITOR_IBAN", "FR1420041010050500013M02606")
os.environ.setdefault("SEPA_CREDITOR_BIC", "PSSTFRPPPAR")
for _name, _value in {
    "ORGANISATION_ADDRESS": "1 rue de l'Exemple, 75000 Paris, France",
    "ORGANISATION_PHONE": "01 23 45 67 89",
    "ORGANISATION_OBJECT": "Défendre les droits humains",
    "ORGANISATION_STATUS": "Association loi 1901",
    "ORGANISATION_REGISTRATION": "RNA W751000000",
    "ORGANISATION_SIGNER_NAME": "Camille Martin",
    "ORGANISATION_SIGNER_ROLE": "Trésorière",
    "ORGANISATION_PUBLICATION_DIRECTOR": "Camille Martin, présidente",
    "HOST_NAME": "Hébergeur SAS",
    "HOST_ADDRESS": "2 rue de Lille, 59000 Lille, France",
    "HOST_PHONE": "03 20 00 00 00",
}.items():
    os.environ.setdefault(_name, _value)

from config.settings import *  # noqa: E402, F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

if CACHES["default"]["BACKEND"] == "core.redis_cache.ResilientRedisCache":  # noqa: F405
    # Production gives Redis 100 ms; a test run on a loaded machine can wait longer than
    # that and would count rate limits half in Redis, half in the process. The tests of the
    # timeouts build their own backend, with the production values.
    CACHES["default"]["OPTIONS"] = {"socket_timeout": 1.0, "socket_connect_timeout": 1.0}  # noqa: F405

# Tests clear the cache to see a page rendered again; a process's memory of its pages
# (read again at most every second in production) would hide that. The tests of that
# memory turn it on.
PAGE_CACHE_LOCAL_SECONDS = 0
