"""The current urgent appeal, read from the cache on every page.

The cached entry holds the appeal (or none) and the moment it stops being true: the end
of the current appeal or the start of the next one, whichever comes first. The cache
timeout never goes past that moment, and a read after it recomputes, so a page never shows
an appeal past its end nor misses one that has started. Any save or delete of an appeal
clears the entry (``petitions.signals``).
"""

from datetime import timedelta

from django.core.cache import cache
from django.db.models import Min
from django.utils import timezone

from core.pagecache import pages_purge
from petitions.models import Appeal, Petition

CACHE_KEY = "petitions:appeal:current:v2"  # v2: petitions gained photo sizes
MAX_AGE = timedelta(minutes=5)


def appeal_current(now=None) -> Appeal | None:
    now = now or timezone.now()
    entry = cache.get(CACHE_KEY)
    if entry is not None:
        appeal, valid_until = entry
        if now < valid_until:
            return appeal
    appeal = Appeal.objects.current(now).first()
    valid_until = now + MAX_AGE
    if appeal is not None:
        valid_until = min(valid_until, appeal.ends_at)
    upcoming = Appeal.objects.upcoming(now).values_list("starts_at", flat=True).first()
    if upcoming is not None:
        valid_until = min(valid_until, upcoming)
    timeout = int((valid_until - now).total_seconds())
    if timeout >= 1:
        cache.set(CACHE_KEY, (appeal, valid_until), timeout=timeout)
    return appeal


def appeal_cache_clear() -> None:
    cache.delete(CACHE_KEY)
    pages_purge()


def next_change(now=None):
    """When a page next changes without a save: a banner starts or ends, a petition opens
    or reaches its deadline (for the full-page cache's lifetime)."""
    now = now or timezone.now()
    moments = [
        Appeal.objects.current(now).order_by("ends_at").values_list("ends_at", flat=True).first(),
        Appeal.objects.upcoming(now).values_list("starts_at", flat=True).first(),
        Petition.objects.filter(opens_at__gt=now).aggregate(m=Min("opens_at"))["m"],
        Petition.objects.filter(closes_at__gt=now).aggregate(m=Min("closes_at"))["m"],
    ]
    return min((moment for moment in moments if moment is not None), default=None)
