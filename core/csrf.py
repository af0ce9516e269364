"""Forms on cached pages: the two public form POSTs (signing, giving) without a CSRF token.

A page served from the full-page cache cannot carry a per-visitor token, so
:func:`cached_form_post` exempts those two views from Django's token check and applies
the browser's own word on where the form came from instead:

1. ``Sec-Fetch-Site: same-origin`` is accepted; any other value (``same-site``,
   ``cross-site``, ``none``) is refused with the 403 page;
2. without ``Sec-Fetch-Site``, ``Origin`` must be ``SITE_URL`` or one of
   ``CSRF_TRUSTED_ORIGINS``; any other origin, ``null`` included, is refused;
3. with neither header (an old browser, a privacy proxy), Django's own token check runs:
   when it fails, the view shows the form again (a 403, uncached) with what was typed and
   a token, and stores nothing (``request.form_needs_token``); the visitor sends it again.

Every other POST of the site keeps Django's CSRF middleware. docs/performance.md explains it.
"""

from functools import wraps

from django.conf import settings
from django.middleware.csrf import CsrfViewMiddleware
from django.views.decorators.csrf import csrf_exempt

from core.errors import csrf_failure

ACCEPT, REFUSE, NEEDS_TOKEN = "accept", "refuse", "needs-token"


def trusted_origins() -> set[str]:
    return {settings.SITE_URL, *(origin.rstrip("/") for origin in settings.CSRF_TRUSTED_ORIGINS)}


def form_origin(request) -> str:
    """What the browser's headers say of a form POST: ACCEPT, REFUSE or NEEDS_TOKEN."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return ACCEPT if fetch_site.strip().lower() == "same-origin" else REFUSE
    origin = request.headers.get("Origin")
    if origin is not None:
        return ACCEPT if origin.strip() in trusted_origins() else REFUSE
    return NEEDS_TOKEN


def _token_view(request):  # what Django's check is asked about: a view not exempt
    return None


def _token_is_valid(request) -> bool:
    checker = CsrfViewMiddleware(_token_view)
    if "CSRF_COOKIE" not in request.META:
        checker.process_request(request)
    return checker.process_view(request, _token_view, (), {}) is None


def cached_form_post(view):
    """Decorate a view that receives a form shown on a cached page (see module)."""

    @csrf_exempt
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        request.form_needs_token = False
        if request.method == "POST":
            verdict = form_origin(request)
            if verdict == REFUSE:
                return csrf_failure(request, reason="origin")
            if verdict == NEEDS_TOKEN:
                request.form_needs_token = not _token_is_valid(request)
        return view(request, *args, **kwargs)

    return wrapped
