"""The compact monthly-gift widget, for the pages that invite a gift."""

from django import template
from django.utils import translation

from donations import tax
from donations.forms import amount_value, free_amount_messages
from donations.forms import bic_countries as _bic_countries
from donations.offer import gift_offer

register = template.Library()


@register.filter
def plain_amount(value):
    """An amount for a form value or a URL: '15', '12.5' (never localised)."""
    if value in (None, ""):
        return ""
    return amount_value(value)


@register.inclusion_tag("donations/_gift_widget.html")
def gift_widget():
    """Tiers as one radio group, a free amount, and what the default gift really costs.
    No query once the offer is in the cache."""
    gift_settings, tiers = gift_offer()
    default = next((tier for tier in tiers if tier.is_default), tiers[0] if tiers else None)
    amount = default.amount if default else gift_settings.free_amount_min
    return {
        "tiers": tiers,
        "default": default,
        "gift_settings": gift_settings,
        "net_cost": tax.net_cost(amount, gift_settings.tax_rate),
        "language": translation.get_language() or "fr",
        "amount_messages": free_amount_messages(gift_settings, translation.get_language() or "fr"),
    }


@register.simple_tag
def bic_countries():
    """The countries whose accounts need a BIC, named in the page's language."""
    return _bic_countries()


@register.inclusion_tag("donations/_space.html", takes_context=True)
def donor_space(context, emails):
    """The donor's part of the personal space: mandates, debits, receipts, what to change."""
    from donations import selectors, states

    return {
        **selectors.donor_space(emails),
        "changeable": states.CHANGEABLE,
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
    }
