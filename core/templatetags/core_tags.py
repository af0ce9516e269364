"""Filters that print numbers, money and dates the French way (and the English way)."""

import re

from django import template
from django.utils import translation
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from core import formats

register = template.Library()


def _language():
    return translation.get_language() or "fr"


@register.filter
def number(value):
    """594400 -> '594 400' in French, '594,400' in English."""
    if value in (None, ""):
        return ""
    return formats.format_int(value, _language())


@register.filter
def money(value):
    """Decimal('5.1') -> '5,10 €' in French, '€5.10' in English."""
    if value in (None, ""):
        return ""
    return formats.format_money(value, _language())


@register.filter
def date_precision(value, precision="day"):
    """A date known to the day, the month or the year: '1er août 2024', 'avril 2016', '2023'."""
    if not value:
        return ""
    return formats.format_date(value, precision or "day", _language())


@register.filter
def typography(value):
    """French no-break spaces before ; : ! ? and inside « » (French pages only)."""
    if value in (None, ""):
        return ""
    if _language().startswith("fr"):
        return formats.french_typography(str(value))
    return value


@register.simple_tag
def noun_for_count(count, singular, plural):
    """The noun agreeing with ``count``: « 0 signature », « 2 signatures »."""
    return plural if formats.is_plural(count or 0, _language()) else singular


@register.filter(needs_autoescape=True)
def ordinals(value, autoescape=True):
    """« 1er » set as « 1<sup>er</sup> » in running text (never inside an attribute)."""
    if value in (None, ""):
        return ""
    text = conditional_escape(value) if autoescape else str(value)
    return mark_safe(re.sub(r"\b1(er|re)\b", r"1<sup>\1</sup>", str(text)))  # noqa: S308


@register.inclusion_tag("includes/_picture.html")
def picture(
    instance,
    field_name,
    crop,
    alt="",
    sizes="100vw",
    wide_crop="",
    priority=False,
    css_class="",
):
    """A photo as ``<picture>``: AVIF then JPEG renditions of ``crop`` (and of ``wide_crop``
    on wide screens), ``srcset``, ``sizes``, ``width`` and ``height``; lazy unless it is the
    first screen's image (``priority``: ``fetchpriority="high"``). While the renditions are
    being made, the cleaned original, cropped by CSS to the same frame."""
    from core.photos import picture_data

    return {
        "picture": picture_data(instance, field_name, crop, wide_crop),
        "alt": alt,
        "sizes": sizes,
        "priority": priority,
        "css_class": css_class,
    }
