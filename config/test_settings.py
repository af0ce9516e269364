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
