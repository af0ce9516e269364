"""The site's error pages: 400, 403, 404, 429, 500 and 503, one view for all.

They are what answers when something else went wrong, so they must not go wrong themselves:

- the language comes from the path (``/en/...``), not from a session or a cookie;
- the page is rendered without the request: no context processor runs (no database, no
  cache, no appeal banner), and nothing reads ``request.POST`` (a body Django refuses to
  parse, such as a form in a non-UTF-8 charset, would raise again here);
- any error while rendering falls back to a fixed page in the same language.

Templates: ``templates/errors/base.html`` and one ``templates/<status>.html`` per status.
A request under the admin's URL first tries ``admin/errors/<status>.html`` (the admin's
own pages may extend ``errors/base.html``).
"""

import logging

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import select_template
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

logger = logging.getLogger(__name__)

STATUSES = (400, 403, 404, 429, 500, 503)

# The last resort, when even the template cannot be rendered.
_FALLBACK = {
    "fr": ("Une erreur est survenue", "La page n'a pas pu s'afficher.", "Retour à l'accueil"),
    "en": ("An error occurred", "The page could not be displayed.", "Back to the home page"),
}


def request_language(request) -> str:
    """The language the path names (``/en/...``), else the site's default."""
    try:
        language = translation.get_language_from_path(request.path_info)
    except Exception:  # an error page never raises
        language = None
    return language or settings.LANGUAGE_CODE


def _home(language: str) -> str:
    try:
        with translation.override(language):
            return reverse("core:home")
    except Exception:  # an error page never raises
        return "/en/" if language == "en" else "/"


def _other_language(request, language: str) -> dict:
    other = "en" if language == "fr" else "fr"
    url = _home(other)
    try:
        from core.context_processors import other_language_url

        with translation.override(language):
            url = other_language_url(request, other)
    except Exception:  # an odd path: the other language's home page
        logger.debug("No other-language link for this error page", exc_info=True)
    return {"code": other, "name": "English" if other == "en" else "Français", "url": url}


def _templates(request, status: int) -> list[str]:
    names = [f"{status}.html"]
    admin_url = "/" + settings.ADMIN_URL
    if request.path_info.startswith(admin_url):
        names.insert(0, f"admin/errors/{status}.html")
    return names


def error_page(request, status: int, *, reason: str = "", retry_after: int | None = None):
    """The page for ``status`` in the path's language; never raises."""
    language = request_language(request)
    try:
        with translation.override(language):
            context = {
                "status": status,
                "language": language,
                "home_url": _home(language),
                "other_language": _other_language(request, language),
                "reason": reason,
                "retry_after": retry_after,
                "team_alerted": settings.ERRORS_ALERT_SOMEONE,
            }
            html = select_template(_templates(request, status)).render(context)
    except Exception:
        logger.exception("The %s error page could not be rendered", status)
        title, message, back = _FALLBACK.get(language, _FALLBACK["fr"])
        html = (
            f'<!doctype html><html lang="{escape(language)}"><head><meta charset="utf-8">'
            f"<title>{title}</title></head><body><main><h1>{title}</h1><p>{message}</p>"
            f'<p><a href="{escape(_home(language))}">{back}</a></p></main></body></html>'
        )
    response = HttpResponse(html, status=status, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-store"
    response["Content-Language"] = language
    if retry_after is not None:
        response["Retry-After"] = str(int(retry_after))
    return response


def bad_request(request, exception=None):
    return error_page(request, 400)


def permission_denied(request, exception=None):
    return error_page(request, 403)


def csrf_failure(request, reason=""):
    """``CSRF_FAILURE_VIEW``: the form is too old, or was sent from elsewhere."""
    return error_page(request, 403, reason="csrf")


def page_not_found(request, exception=None):
    return error_page(request, 404)


def too_many_requests(request, *, retry_after: int = 60):
    return error_page(request, 429, retry_after=retry_after)


def server_error(request):
    return error_page(request, 500)


def service_unavailable(request, *, retry_after: int = 120):
    return error_page(request, 503, retry_after=retry_after)
