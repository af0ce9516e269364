"""Victories shown on other pages: ``{% latest_victories 3 %}`` on the home page."""

from django import template
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from cases.cache import cache_key, fragment_timeout
from cases.models import Case

register = template.Library()


@register.simple_tag
def latest_victories(count=3):
    """The ``count`` latest published victories as cards (a cached fragment)."""
    count = max(1, min(int(count), 12))
    key = cache_key("latest", translation.get_language() or "fr", count)
    html = cache.get(key)
    if html is None:
        cases = list(Case.objects.published()[:count])
        html = render_to_string("cases/_latest_victories.html", {"cases": cases})
        cache.set(key, html, fragment_timeout())
    return mark_safe(html)  # noqa: S308 (rendered by our template, escaped there)
