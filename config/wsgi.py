import os
import sys

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

try:
    application = get_wsgi_application()
except Exception as exc:
    # A bad environment variable stops the start with one line naming it. Exit code 3 is
    # gunicorn's "worker failed to boot": the server stops instead of respawning workers.
    if type(exc).__name__ != "SettingError":
        raise
    print(f"Configuration error: {exc}", file=sys.stderr)
    raise SystemExit(3) from None
