from urllib.parse import urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve, reverse, translate_url
from django.utils import translation
from django.utils.encoding import iri_to_uri

from core.pagecache import normalised_query


def other_language_url(request, language: str, *, exists: bool | None = None) -> str:
    """The same page in ``language``, its allow-listed query parameters kept (validated and
    normalised: a cached page never repeats what a visitor typed in the address); its home
    page when the page does not exist (a 404), and never a link that leaves the site."""
    with translation.override(language):
        home = reverse("core:home")
    if request is None:
        return home
    path = request.path
    if not (_exists(path) if exists is None else exists):
        return home
    url = translate_url(path, language)
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not url.startswith("/") or url.startswith("//"):
        return home
    query = _query(request)
    return f"{url}?{query}" if query else url


def _query(request) -> str:
    return normalised_query(request.GET, strict=False)


def site(request):
    """What every page needs: the organisation's name and the other language's link.

    The switcher is a plain link to the same page in the other language, so a page holds
    nothing per visitor and can be cached.
    """
    current = translation.get_language() or settings.LANGUAGE_CODE
    other = "en" if current.startswith("fr") else "fr"
    exists = request is not None and _exists(request.path)  # resolved once per request
    other_url = other_language_url(request, other, exists=exists)
    alternates = []
    if exists:
        # hreflang links for search engines: this page in each language.
        alternates = [
            (current, settings.SITE_URL + _with_query(iri_to_uri(request.path), request)),
            (other, settings.SITE_URL + other_url),
        ]
    return {
        "organisation_name": settings.ORGANISATION_NAME,
        "other_language": {
            "code": other,
            "name": "English" if other == "en" else "Français",
            "url": other_url,
        },
        "language_alternates": alternates,
    }


def _with_query(path: str, request) -> str:
    query = _query(request)
    return f"{path}?{query}" if query else path


def _exists(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True
