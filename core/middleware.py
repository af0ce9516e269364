"""Middleware the whole site shares."""

import re

from django.conf import settings

from core.errors import bad_request

# C0 control characters, except TAB, LF and CR (which text areas may hold).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
DEFAULT_RETRY_AFTER = 60


def has_control_characters(request) -> bool:
    """True when the path or a query parameter (name or value) holds a control character."""
    if CONTROL_CHARACTERS.search(request.path_info):
        return True
    return any(
        CONTROL_CHARACTERS.search(key) or any(CONTROL_CHARACTERS.search(v) for v in values)
        for key, values in request.GET.lists()
    )


class HostileInputMiddleware:
    """Hostile input stops here, before any view, form or query sees it.

    - A control character (NUL and the other C0 characters but TAB, LF and CR) anywhere in
      the path or the query string answers the 400 page: it never reaches a view, an admin
      filter, a search or the database (PostgreSQL refuses NUL with an error). In a posted
      form the same characters are a form error next to the field (``core.forms``), so
      nobody loses what they typed.
    - A body Django cannot parse (a form in a non-UTF-8 charset) raises ``BadRequest`` in
      the CSRF check; the error pages never read it again, so the answer is the 400 page.
    - Every 429 says when to come back (``Retry-After``), in seconds.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_control_characters(request):
            return bad_request(request)
        response = self.get_response(request)
        if response.status_code == 429 and not response.has_header("Retry-After"):
            response["Retry-After"] = str(DEFAULT_RETRY_AFTER)
        return response


class StaffSessionMiddleware:
    """A staff session ends after ``STAFF_SESSION_IDLE_SECONDS`` without a request: each
    request of a staff member moves the end forward (visitors' sessions are untouched)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Without a session cookie nobody is signed in: the user is not even looked up
        # (a visitor's form POST or page asks nothing of the session).
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated and user.is_staff:
                request.session.set_expiry(settings.STAFF_SESSION_IDLE_SECONDS)
        return self.get_response(request)
