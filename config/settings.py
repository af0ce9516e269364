"""Settings of the victoires site, every value read from the environment.

Fail closed: debug is off unless ``DJANGO_DEBUG`` says otherwise, and a production
start without ``DJANGO_SECRET_KEY`` stops with a one-line message naming the variable.
docs/configuration.md lists every variable.
"""

import importlib.util
import math
import warnings
from datetime import timedelta
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()


class SettingError(ImproperlyConfigured):
    """A missing or malformed environment variable, named in one line."""


def _read(name, parse, **kwargs):
    try:
        with warnings.catch_warnings():
            # django-environ warns (several lines) before failing on an unknown scheme.
            warnings.simplefilter("ignore")
            return parse(name, **kwargs)
    except ImproperlyConfigured as exc:
        raise SettingError(f"{name}: {exc}") from None
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise SettingError(f"{name} is malformed ({exc.__class__.__name__}: {exc})") from None


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _strict_bool(name, default=False):
    raw = env.str(name, default="1" if default else "0").strip().lower()
    if raw not in _TRUE | _FALSE:
        raise ValueError(f"expected one of 1/0, true/false, yes/no, on/off, got {raw!r}")
    return raw in _TRUE


def _strict_float(name, default=0.0):
    # django-environ's float() drops every character that is not a digit ("abc" -> "").
    value = float(env.str(name, default=str(default)).strip())
    if not math.isfinite(value):
        raise ValueError(f"expected a finite number, got {value!r}")
    return value


def _dotted_path(name, default):
    """A backend's dotted path whose module exists (a typo stops the start, not the first mail)."""
    value = env.str(name, default=default).strip()
    module, _dot, attribute = value.rpartition(".")
    try:
        found = bool(module and attribute) and importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        found = False
    if not found:
        raise ValueError(f"no importable module for {value!r}")
    return value


env.bool = _strict_bool
env.float = _strict_float

DEBUG = _read("DJANGO_DEBUG", env.bool, default=False)

SECRET_KEY = _read("DJANGO_SECRET_KEY", env.str, default="")
if not SECRET_KEY:
    if not DEBUG:
        raise SettingError("DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off")
    SECRET_KEY = "insecure-development-key-only-used-with-DJANGO_DEBUG-on"  # noqa: S105

ALLOWED_HOSTS = _read(
    "DJANGO_ALLOWED_HOSTS",
    env.list,
    default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else [],
)
if not DEBUG and not ALLOWED_HOSTS:
    raise SettingError("DJANGO_ALLOWED_HOSTS is required when DJANGO_DEBUG is off")
if not DEBUG and len(SECRET_KEY) < 50:
    raise SettingError("DJANGO_SECRET_KEY must be at least 50 characters when DJANGO_DEBUG is off")
CSRF_TRUSTED_ORIGINS = _read("CSRF_TRUSTED_ORIGINS", env.list, default=[])
for _origin in CSRF_TRUSTED_ORIGINS:
    if urlsplit(_origin).scheme not in ("http", "https") or not urlsplit(_origin).netloc:
        raise SettingError(
            f"CSRF_TRUSTED_ORIGINS must list origins like https://victoires.example "
            f"(got {_origin!r})"
        )

# Number of X-Forwarded-For hops set by proxies we run; 0 trusts only REMOTE_ADDR.
TRUSTED_PROXIES = _read("TRUSTED_PROXIES", env.int, default=0)
if TRUSTED_PROXIES < 0:
    raise SettingError("TRUSTED_PROXIES must be 0 or a positive number of proxy hops")

INSTALLED_APPS = [
    "modeltranslation",
    "core.apps.AdminConfig",  # django.contrib.admin, with a second factor
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.forms",  # the widgets' own templates, for FORM_RENDERER below
    "django_countries",
    "reversion",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "core",
    "cases",
    "petitions",
    "donations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.headers.ContentSecurityPolicyMiddleware",
    "core.headers.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages leave compressed (static files are WhiteNoise's, already compressed): the HTML of
    # /victoires/ goes from ~50 KB to ~12 KB. Django's gzip pads each answer with random
    # bytes (BREACH mitigation) and masks the CSRF token on every page.
    "django.middleware.gzip.GZipMiddleware",
    # Before sessions, locale, CSRF and auth: a cached page asks nothing of them (nor of
    # the database). See core/pagecache.py.
    "core.pagecache.PageCacheMiddleware",
    "core.faults.DatabaseUnavailableMiddleware",
    "core.middleware.HostileInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "core.middleware.StaffSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
# The error pages (core/errors.py) never read the body: a form Django cannot parse gets a 4xx.
CSRF_FAILURE_VIEW = "core.errors.csrf_failure"

# Where the admin lives (a path without its leading slash, ending with one). Not named
# in robots.txt: a different value per site keeps it away from blind scans.
ADMIN_URL = _read("ADMIN_URL", env.str, default="admin/").strip()
if not ADMIN_URL.endswith("/") or ADMIN_URL.startswith("/") or ADMIN_URL == "/":
    raise SettingError(f"ADMIN_URL must be a path like gestion/ (got {ADMIN_URL!r})")
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
            ],
        },
    },
]

# Widgets render through the templates above, so templates/ may override one (the admin's
# date and time inputs get their labels: templates/admin/widgets/split_datetime.html).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# Databases: SQLite for the quick start, PostgreSQL in CI and production.
DATABASES = {
    "default": _read("DATABASE_URL", env.db_url, default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"].get("ENGINE") not in (
    "django.db.backends.postgresql",
    "django.db.backends.sqlite3",
):
    raise SettingError(
        "DATABASE_URL must start with postgres:// or sqlite:/// "
        f"(got {DATABASES['default'].get('ENGINE')!r})"
    )
if not DATABASES["default"].get("NAME"):
    raise SettingError("DATABASE_URL names no database (postgres://user@host:5432/name)")
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: local memory by default; Redis in CI and production (shared by every process).
CACHES = {"default": _read("CACHE_URL", env.cache_url, default="locmemcache://victoires")}
if not CACHES["default"].get("BACKEND"):
    raise SettingError("CACHE_URL names an unknown cache scheme")
_cache_at = urlsplit(str(CACHES["default"].get("LOCATION", "")))
if "redis" in CACHES["default"]["BACKEND"].lower() and not (
    _cache_at.netloc.strip("@") or _cache_at.path.strip("/")
):
    raise SettingError("CACHE_URL names no Redis host (redis://host:6379/1)")
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Every cache call with a 100 ms timeout and a per-process circuit breaker: a Redis
    # down or hung slows no page and breaks none (core/redis_cache.py).
    CACHES["default"]["BACKEND"] = "core.redis_cache.ResilientRedisCache"

# Staff logins (docs/security.md): django-axes locks an account for one client address
# after 5 wrong passwords, for 15 minutes; the address is the site's own client_ip (a
# proxy in front never makes it one lock for everybody). Then a second factor (django-otp).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "core.http.client_ip"
AXES_LOCKOUT_CALLABLE = "core.admin_site.lockout_response"
AXES_RESET_ON_SUCCESS = True
# Failures are logged with the account's name; the address is kept in the lockout table
# only (purged with it), and the password never appears (django-axes masks it).
AXES_SENSITIVE_PARAMETERS = ["ip_address"]
AXES_VERBOSE = False  # no banner at every start (failures are logged all the same)
OTP_TOTP_ISSUER = "Victoires"
# Development only: the demo accounts (@demo.invalid) skip the second factor. Ignored with
# debug off, and `check --deploy` refuses it.
OTP_SKIP_DEMO_ACCOUNTS = _read("OTP_SKIP_DEMO_ACCOUNTS", env.bool, default=DEBUG)
# A staff session ends after 8 hours without a request.
STAFF_SESSION_IDLE_SECONDS = 8 * 60 * 60

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# French first, English second.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
MODELTRANSLATION_DEFAULT_LANGUAGE = "fr"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("fr",)


def _translated_field_label(verbose_name, language):
    """« titre » for the French text, « titre (en anglais) » for the English one: no « [fr] »."""
    if language == LANGUAGE_CODE:
        return str(verbose_name)
    names = {"en": _("en anglais")}
    return f"{verbose_name} ({names.get(language, language)})"


MODELTRANSLATION_BUILD_LOCALIZED_VERBOSE_NAME = _translated_field_label
COUNTRIES_FIRST = ["FR"]
# The four names django-countries writes with a straight apostrophe in French, curled (and
# the everyday name where it has the formal one).
COUNTRIES_OVERRIDE = {
    "CI": "Côte d’Ivoire",
    "IO": _("Territoire britannique de l’océan Indien"),
    "SZ": "Eswatini",
    "US": _("États-Unis"),
}

STATIC_URL = "static/"
STATIC_ROOT = _read("STATIC_ROOT", env.path, default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = _read("MEDIA_ROOT", env.path, default=BASE_DIR / "media")
# Uploads on this machine's disk, or on S3-compatible storage shared by every web node
# (django-storages; docs/scaling.md). The bucket's keys come from the environment
# (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), read by boto3 itself, never from settings.
MEDIA_STORAGE = _read("MEDIA_STORAGE", env.str, default="filesystem").strip().lower()
if MEDIA_STORAGE == "filesystem":
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif MEDIA_STORAGE == "s3":
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _read("AWS_STORAGE_BUCKET_NAME", env.str, default="").strip(),
            "endpoint_url": _read("AWS_S3_ENDPOINT_URL", env.str, default="").strip() or None,
            "region_name": _read("AWS_S3_REGION_NAME", env.str, default="").strip() or None,
            "custom_domain": _read("AWS_S3_CUSTOM_DOMAIN", env.str, default="").strip() or None,
            "location": _read("AWS_LOCATION", env.str, default="").strip().strip("/"),
            # Public photos: plain URLs (no signature that expires in a cached page).
            "querystring_auth": _read("AWS_QUERYSTRING_AUTH", env.bool, default=False),
            # Like the disk: a new upload with a taken name gets another name, never
            # replaces a file a page or a rendition still points to.
            "file_overwrite": False,
        },
    }
    if not _media_storage["OPTIONS"]["bucket_name"]:
        raise SettingError("AWS_STORAGE_BUCKET_NAME is required when MEDIA_STORAGE is s3")
else:
    raise SettingError(f"MEDIA_STORAGE must be filesystem or s3 (got {MEDIA_STORAGE!r})")
STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Email through Django's backends: the console in development, SMTP in production.
EMAIL_BACKEND = _read(
    "EMAIL_BACKEND",
    _dotted_path,
    default=(
        "django.core.mail.backends.console.EmailBackend"
        if DEBUG
        else "django.core.mail.backends.smtp.EmailBackend"
    ),
)
EMAIL_HOST = _read("EMAIL_HOST", env.str, default="localhost")
EMAIL_PORT = _read("EMAIL_PORT", env.int, default=25)
EMAIL_HOST_USER = _read("EMAIL_HOST_USER", env.str, default="")
EMAIL_HOST_PASSWORD = _read("EMAIL_HOST_PASSWORD", env.str, default="")
EMAIL_USE_TLS = _read("EMAIL_USE_TLS", env.bool, default=False)
EMAIL_USE_SSL = _read("EMAIL_USE_SSL", env.bool, default=False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise SettingError("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on (choose one)")
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = _read(
    "DEFAULT_FROM_EMAIL", env.str, default="Victoires <ne-pas-repondre@victoires.example>"
)
if "@" not in parseaddr(DEFAULT_FROM_EMAIL)[1]:
    raise SettingError(
        f"DEFAULT_FROM_EMAIL must be an address, e.g. Victoires <ne-pas-repondre@victoires.example> "
        f"(got {DEFAULT_FROM_EMAIL!r})"
    )
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where django.core.mail.backends.filebased.EmailBackend writes each message.
EMAIL_FILE_PATH = _read("EMAIL_FILE_PATH", env.path, default=BASE_DIR / "sent-emails")
# Absolute links in emails (the site's scheme and host, no trailing slash).
SITE_URL = _read("SITE_URL", env.str, default="http://127.0.0.1:8000").rstrip("/")
_site = urlsplit(SITE_URL)
if _site.scheme not in ("http", "https") or not _site.netloc or _site.path or _site.query:
    raise SettingError(
        f"SITE_URL must be a scheme and a host, like https://victoires.example (got {SITE_URL!r})"
    )

# Background tasks (mail): django-tasks. Immediate in development, the database backend in
# production, where `manage.py db_worker` processes run on as many machines as needed.
TASKS = {
    "default": {
        "BACKEND": _read(
            "TASKS_BACKEND",
            _dotted_path,
            default="django_tasks.backends.immediate.ImmediateBackend",
        ),
    }
}

# Key encrypting IBANs at rest (Fernet, base64 url-safe 32 bytes). Required in production.
FIELD_ENCRYPTION_KEY = _read("FIELD_ENCRYPTION_KEY", env.str, default="")
if not FIELD_ENCRYPTION_KEY:
    if not DEBUG:
        raise SettingError("FIELD_ENCRYPTION_KEY is required when DJANGO_DEBUG is off")
    FIELD_ENCRYPTION_KEY = "ZGV2ZWxvcG1lbnQtb25seS1rZXktMzItYnl0ZXMtb2s="  # noqa: S105
# Earlier keys, newest first, comma-separated: still read, never written with. A rotation
# (docs/configuration.md): the new key in FIELD_ENCRYPTION_KEY, the old one here, then
# `manage.py reencrypt_fields`, then the old one removed from this list.
FIELD_ENCRYPTION_KEYS_OLD = [
    key.strip() for key in _read("FIELD_ENCRYPTION_KEYS_OLD", env.list, default=[]) if key.strip()
]
for _name, _key in [
    ("FIELD_ENCRYPTION_KEY", FIELD_ENCRYPTION_KEY),
    *(("FIELD_ENCRYPTION_KEYS_OLD", key) for key in FIELD_ENCRYPTION_KEYS_OLD),
]:
    try:
        from cryptography.fernet import Fernet

        Fernet(_key.encode())
    except ValueError:
        raise SettingError(
            f"{_name} must hold Fernet keys (32 bytes in url-safe base64, 44 characters)"
        ) from None

# HTTPS and cookies.
SECURE_SSL_REDIRECT = _read("DJANGO_SECURE_SSL_REDIRECT", env.bool, default=not DEBUG)
# One year by default (docs/security.md says how to start lower and when to preload).
SECURE_HSTS_SECONDS = _read(
    "DJANGO_SECURE_HSTS_SECONDS", env.int, default=0 if DEBUG else 60 * 60 * 24 * 365
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _read(
    "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", env.bool, default=not DEBUG
)
SECURE_HSTS_PRELOAD = _read("DJANGO_SECURE_HSTS_PRELOAD", env.bool, default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXIES else None
SESSION_COOKIE_SECURE = _read("DJANGO_SESSION_COOKIE_SECURE", env.bool, default=not DEBUG)
CSRF_COOKIE_SECURE = _read("DJANGO_CSRF_COOKIE_SECURE", env.bool, default=not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp 4; core/headers.py adds the admin's hashed styles).
# No 'unsafe-inline', no nonce: public pages hold nothing per request, so they can be cached.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
    }
}

LOG_LEVEL = _read("LOG_LEVEL", env.str, default="INFO").strip().upper()
if LOG_LEVEL not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
    raise SettingError("LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
# Who is alerted of a server error (a 500), by email: "Camille <camille@example.org>, ...".
ADMINS = []
for _admin in _read("ADMINS", env.list, default=[]):
    _name, _address = parseaddr(_admin)
    if "@" not in _address:
        raise SettingError(
            f"ADMINS must list addresses like Camille <camille@example.org> (got {_admin!r})"
        )
    ADMINS.append((_name or _address, _address))
# Or through any logging handler class (a dotted path, e.g. an error tracker's), at ERROR.
ERROR_LOG_HANDLER = _read("ERROR_LOG_HANDLER", env.str, default="").strip()
if ERROR_LOG_HANDLER:
    ERROR_LOG_HANDLER = _read("ERROR_LOG_HANDLER", _dotted_path, default="")
# The 500 page says the team was alerted only when it was.
ERRORS_ALERT_SOMEONE = bool(ADMINS or ERROR_LOG_HANDLER)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Emails, IBANs and link tokens are masked in every message and traceback
    # (core/logfilters.py), alerts included.
    "formatters": {"redacted": {"()": "core.logfilters.RedactingFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "redacted"},
        "mail_admins": {
            "class": "core.logfilters.RedactingAdminEmailHandler",
            "level": "ERROR",
            "formatter": "redacted",
        },
        **(
            {"alert": {"class": ERROR_LOG_HANDLER, "level": "ERROR", "formatter": "redacted"}}
            if ERROR_LOG_HANDLER
            else {}
        ),
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # A 500 alerts the team (ADMINS by email, or ERROR_LOG_HANDLER).
        "django.request": {
            "handlers": ["mail_admins", *(["alert"] if ERROR_LOG_HANDLER else [])],
            "level": LOG_LEVEL,
            "propagate": True,
        },
        # Django's own loggers up to the root's filtered handler (not its unfiltered defaults)...
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        # ...and never the SQL with its parameters, whatever LOG_LEVEL says.
        "django.db.backends": {"handlers": [], "level": "INFO", "propagate": True},
        # fpdf2's font subsetting reports every table it prunes at INFO: one PDF, 30 lines.
        "fontTools": {"handlers": [], "level": "WARNING", "propagate": True},
    },
}

# The organisation, as the footer, the legal pages and the SEPA mandate name it.
ORGANISATION_NAME = _read(
    "ORGANISATION_NAME", env.str, default="Victoires — section française"
).strip()
if not ORGANISATION_NAME:
    raise SettingError("ORGANISATION_NAME must not be empty")

# The SEPA creditor named on every mandate (donations). Required in production; in
# development the defaults are a demo identity, and pages and PDFs say so.
SEPA_CREDITOR_ID_DEMO = "FR72ZZZ123456"


def _required_in_production(name, demo):
    value = _read(name, env.str, default="").strip()
    if value:
        return value
    if not DEBUG:
        raise SettingError(f"{name} is required when DJANGO_DEBUG is off")
    return demo


# The organisation's legal identity: the tax receipts (Cerfa 11580 mentions), the legal
# notice (LCEN art. 6 III) and the privacy notices all read these. Required in production;
# in development they are a demo identity, and ORGANISATION_IS_DEMO lets pages and PDFs say so.
ORGANISATION_ADDRESS = _required_in_production(
    "ORGANISATION_ADDRESS", "1 rue de l'Exemple, 75000 Paris, France"
)
ORGANISATION_PHONE = _required_in_production("ORGANISATION_PHONE", "01 00 00 00 00")
ORGANISATION_OBJECT = _required_in_production(
    "ORGANISATION_OBJECT",
    "Défendre les droits humains et agir pour les personnes emprisonnées pour leurs opinions",
)
ORGANISATION_STATUS = _required_in_production(
    "ORGANISATION_STATUS", "Association loi 1901 (démonstration)"
)
ORGANISATION_REGISTRATION = _required_in_production(
    "ORGANISATION_REGISTRATION", "RNA W000000000 (démonstration)"
)
ORGANISATION_SIGNER_NAME = _required_in_production("ORGANISATION_SIGNER_NAME", "Camille Exemple")
ORGANISATION_SIGNER_ROLE = _required_in_production(
    "ORGANISATION_SIGNER_ROLE", "Trésorière (démonstration)"
)
ORGANISATION_PUBLICATION_DIRECTOR = _required_in_production(
    "ORGANISATION_PUBLICATION_DIRECTOR", "Camille Exemple, présidente (démonstration)"
)
HOST_NAME = _required_in_production("HOST_NAME", "Hébergeur Exemple SAS (démonstration)")
HOST_ADDRESS = _required_in_production("HOST_ADDRESS", "2 rue de l'Exemple, 59000 Lille, France")
HOST_PHONE = _required_in_production("HOST_PHONE", "03 00 00 00 00")
_IDENTITY = (
    "ORGANISATION_ADDRESS", "ORGANISATION_PHONE", "ORGANISATION_OBJECT", "ORGANISATION_STATUS",
    "ORGANISATION_REGISTRATION", "ORGANISATION_SIGNER_NAME", "ORGANISATION_SIGNER_ROLE",
    "ORGANISATION_PUBLICATION_DIRECTOR", "HOST_NAME", "HOST_ADDRESS", "HOST_PHONE",
)  # fmt: skip
# The processors the privacy notices and the register (GDPR art. 30) name, beside HOST_NAME.
EMAIL_PROVIDER_NAME = _read("EMAIL_PROVIDER_NAME", env.str, default="").strip()
BANK_NAME = _read("BANK_NAME", env.str, default="").strip()
# Where people write to exercise their rights (the notices and the privacy page print it).
PRIVACY_CONTACT_EMAIL = _read(
    "PRIVACY_CONTACT_EMAIL", env.str, default="dpo@victoires.example"
).strip()
if "@" not in PRIVACY_CONTACT_EMAIL:
    raise SettingError("PRIVACY_CONTACT_EMAIL must be an email address")
# True when any of them is the demo value (debug only): pages and documents then say so.
ORGANISATION_IS_DEMO = any(not env.str(name, default="").strip() for name in _IDENTITY)

SEPA_CREDITOR_NAME = _required_in_production(
    "SEPA_CREDITOR_NAME", "Victoires — section française (DÉMO)"
)
SEPA_CREDITOR_ADDRESS = _required_in_production(
    "SEPA_CREDITOR_ADDRESS", "1 rue de l'Exemple, 75000 Paris, France"
)
SEPA_CREDITOR_ID = _required_in_production("SEPA_CREDITOR_ID", SEPA_CREDITOR_ID_DEMO)


# The one ICS check (donations/sepa.py imports nothing from Django, so settings may use it).
from donations.sepa import ics_is_valid  # noqa: E402

if not ics_is_valid(SEPA_CREDITOR_ID):
    raise SettingError(
        "SEPA_CREDITOR_ID must be a French creditor identifier (ICS): 13 characters, FR, "
        "2 check digits, a 3-character business code and a 6-character national part "
        "(letters allowed), with valid check digits"
    )

# The full-page cache for anonymous visitors (core/pagecache.py): these pages only.
PAGE_CACHE_URL_NAMES = {
    "core:home",
    "core:legal-notice",
    "core:privacy",
    "cases:victory-list",
    "cases:victory-detail",
    "petitions:petition-list",
    "petitions:petition-detail",
    "donations:gift",
}
# How long a page may be kept (seconds; 0 turns the cache off). Shorter when a scheduled
# change comes sooner, as these functions tell.
PAGE_CACHE_SECONDS = _read("PAGE_CACHE_SECONDS", env.int, default=60)
if not 0 <= PAGE_CACHE_SECONDS <= 600:
    raise SettingError("PAGE_CACHE_SECONDS must be between 0 and 600 seconds")
PAGE_CACHE_BOUNDARIES = ["cases.cache.next_change", "petitions.appeals.next_change"]
# After its lifetime a page is served this many seconds more while one process renders it
# again (never past a scheduled change, never after a purge).
PAGE_CACHE_STALE_SECONDS = _read("PAGE_CACHE_STALE_SECONDS", env.int, default=30)
if not 0 <= PAGE_CACHE_STALE_SECONDS <= 300:
    raise SettingError("PAGE_CACHE_STALE_SECONDS must be between 0 and 300 seconds")
# Each process keeps the pages it served in memory and asks Redis whether they were purged
# at most this often (seconds; 0 asks on every request): a purge reaches every process
# within that time.
PAGE_CACHE_LOCAL_SECONDS = _read("PAGE_CACHE_LOCAL_SECONDS", env.float, default=1.0)
if not 0 <= PAGE_CACHE_LOCAL_SECONDS <= 5:
    raise SettingError("PAGE_CACHE_LOCAL_SECONDS must be between 0 and 5 seconds")
# Values a cached page must not repeat: a new one replaces the marker in every response.
PAGE_CACHE_FRESH_VALUES = {
    "petitions_started": "petitions.forms.started_stamp",
    "donations_idempotency": "donations.forms.idempotency_key_new",
}

# Petitions: a form sent sooner than this after it was shown is sent back (bots, autofill).
PETITION_MIN_FILL_SECONDS = _read("PETITION_MIN_FILL_SECONDS", env.float, default=3.0)
if PETITION_MIN_FILL_SECONDS < 0:
    raise SettingError("PETITION_MIN_FILL_SECONDS must be 0 or more seconds")

# The creditor's account the debits are paid into (the bank file). Required in production;
# in development a demo account (La Banque Postale's published example).
SEPA_CREDITOR_IBAN = _required_in_production("SEPA_CREDITOR_IBAN", "FR1420041010050500013M02606")
SEPA_CREDITOR_BIC = _required_in_production("SEPA_CREDITOR_BIC", "PSSTFRPPPAR")


def _creditor_account_check():
    from donations.sepa import IBANProblem, bic_check, iban_check

    try:
        return iban_check(SEPA_CREDITOR_IBAN), bic_check(SEPA_CREDITOR_BIC)
    except IBANProblem as exc:
        name = "SEPA_CREDITOR_BIC" if exc.code == "bic" else "SEPA_CREDITOR_IBAN"
        raise SettingError(f"{name} is not a valid SEPA account ({exc.code})") from None


SEPA_CREDITOR_IBAN, SEPA_CREDITOR_BIC = _creditor_account_check()
# The pain.008 version of the bank file: 001.02 (every French bank) or 001.08 (EPC 2019).
SEPA_PAIN008_VERSION = _read("SEPA_PAIN008_VERSION", env.str, default="pain.008.001.02").strip()
if SEPA_PAIN008_VERSION not in ("pain.008.001.02", "pain.008.001.08"):
    raise SettingError("SEPA_PAIN008_VERSION must be pain.008.001.02 or pain.008.001.08")
# TARGET2 days between the day a bank file is made and its due date (scheme minimum: 1).
SEPA_SUBMISSION_DAYS = _read("SEPA_SUBMISSION_DAYS", env.int, default=2)
if SEPA_SUBMISSION_DAYS < 1:
    raise SettingError("SEPA_SUBMISSION_DAYS must be 1 or more TARGET2 days")
# Since the November 2016 rulebook a first debit may be sent as RCUR; off sends it as FRST.
SEPA_FIRST_DEBIT_AS_RCUR = _read("SEPA_FIRST_DEBIT_AS_RCUR", env.bool, default=False)
# A bank file holds at most this many debits; above it the debits are split into files.
SEPA_BATCH_MAX_DEBITS = _read("SEPA_BATCH_MAX_DEBITS", env.int, default=5000)
if SEPA_BATCH_MAX_DEBITS < 1:
    raise SettingError("SEPA_BATCH_MAX_DEBITS must be 1 or more")

# `manage.py daily` runs these commands in this order, each with no argument: purges
# first, then the mandates' changes, the debits' schedule and the lapses. An issue that
# adds a daily command adds its name here (retention after the lapses).
DAILY_COMMANDS = [
    "purge_unconfirmed_signatures",
    "fold_petition_counts",
    "purge_pending_mandates",
    "purge_kept_uploads",
    "apply_mandate_changes",
    "debits_schedule",
    "mandates_lapse",
    "apply_retention",
]
