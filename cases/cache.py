"""The cached fragments of the victories pages: keys, and how long they may live.

A fragment never outlives the next scheduled publication, and any change bumps the
namespace's version (signals, and the bulk actions that bypass them).
"""

import math

from django.db import transaction
from django.utils import timezone

from core.cache import namespace_bump, versioned_key
from core.pagecache import pages_purge

NAMESPACE = "cases"
DEFAULT_TIMEOUT = 60 * 60


def cases_cache_clear():
    namespace_bump(NAMESPACE)
    # A change inside a transaction is seen by others only at commit: bump again then.
    transaction.on_commit(lambda: namespace_bump(NAMESPACE))
    pages_purge()


def next_change(now=None):
    """When a victories page next changes without a save: the next scheduled publication."""
    from cases.models import Case

    return Case.objects.next_publication(now or timezone.now())


def cache_key(*parts) -> str:
    return versioned_key(NAMESPACE, *parts)


def fragment_timeout(now=None) -> int:
    """min(default, seconds until the next scheduled publication), at least 1 second."""
    from cases.models import Case

    now = now or timezone.now()
    upcoming = Case.objects.next_publication(now)
    if upcoming is None:
        return DEFAULT_TIMEOUT
    return max(1, min(DEFAULT_TIMEOUT, math.ceil((upcoming - now).total_seconds())))
