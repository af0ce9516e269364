"""What the gift widget and the gift form offer (the settings and the active tiers), kept
in the shared cache so a page that shows the widget asks the database nothing for it.

Forgotten whenever staff save or delete a tier or the settings (signals connected in
``DonationsConfig.ready``), at once and again when the transaction commits, so a page
never shows an old tier or rate for long. ``QuerySet.update()`` sends no signal: call
``gift_offer_forget()`` after one.
"""

import hashlib

from django.core.cache import cache
from django.db import transaction

from core.pagecache import pages_purge
from donations.models import GiftSettings, Tier


def _schema() -> str:
    """A short digest of the cached models' columns: a deploy that changes them reads a new
    key instead of unpickling instances of the old shape."""
    names = ",".join(
        f"{model.__name__}.{field.attname}"
        for model in (GiftSettings, Tier)
        for field in model._meta.concrete_fields
    )
    return hashlib.sha256(names.encode()).hexdigest()[:12]


CACHE_KEY = f"donations.gift-offer.{_schema()}"
CACHE_TIMEOUT = 24 * 60 * 60  # a safety net: every change forgets the entry at once


def gift_offer() -> tuple[GiftSettings, list[Tier]]:
    """The gift settings and the active tiers, in their order."""
    offer = cache.get(CACHE_KEY)
    if offer is None:
        offer = (GiftSettings.load(), list(Tier.objects.active()))
        cache.set(CACHE_KEY, offer, CACHE_TIMEOUT)
    return offer


def gift_offer_forget(**_kwargs) -> None:
    """Drop the cached offer now and once the current transaction has committed (a page
    read between the two would otherwise keep the old values)."""
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))
    pages_purge()
