"""What the privacy notices print, read from the same declarations the code enforces."""

from django import template
from django.conf import settings

from core.personal_data import declarations, rule

register = template.Library()


@register.simple_tag
def retention_period(key: str) -> str:
    """The period of the retention rule ``key`` (« 3 ans »), in the active language."""
    return rule(key).period.label()


@register.simple_tag
def privacy_facts() -> dict:
    """The controller, the processors and the contact the notices name."""
    return {
        "controller": settings.ORGANISATION_NAME,
        "address": settings.ORGANISATION_ADDRESS,
        "contact": settings.PRIVACY_CONTACT_EMAIL,
        "host": settings.HOST_NAME,
        "email_provider": settings.EMAIL_PROVIDER_NAME,
        "bank": settings.BANK_NAME,
    }


@register.simple_tag
def privacy_declarations() -> list:
    return declarations()
