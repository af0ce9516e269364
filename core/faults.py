"""The database away: the French 503 page (« réessayez dans quelques minutes »), never a 500.

A form sent while PostgreSQL is down or restarting gets the 503 page and stores nothing:
each service writes in one transaction, which the lost connection rolls back. Pages the
full-page cache holds are still served (``core.pagecache`` runs before anything that asks
the database).
"""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

RETRY_AFTER = 120  # seconds
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


def service_unavailable(request, *, retry_after: int = RETRY_AFTER) -> HttpResponse:
    """The 503 page, in the path's language, rendered without the database or the cache."""
    language = translation.get_language_from_path(request.path_info) or "fr"
    with translation.override(language):
        title = _("Service momentanément indisponible")
        message = _("Le site est momentanément indisponible : réessayez dans quelques minutes.")
        home = _("Retour à l'accueil")
    home_url = "/en/" if language == "en" else "/"
    html = (
        f'<!doctype html><html lang="{escape(language)}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title></head><body><main><h1>{escape(title)}</h1>"
        f'<p>{escape(message)}</p><p><a href="{home_url}">{escape(home)}</a></p>'
        f"</main></body></html>"
    )
    response = HttpResponse(html, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """A view that cannot reach the database answers 503 instead of 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_UNAVAILABLE):
            logger.warning("Database unavailable: %s", type(exception).__name__)
            return service_unavailable(request)
        return None
