"""The number a petition shows: confirmed signatures plus the offline count.

Read from the shared cache; on a miss, from the petition's counter column (one indexed
row, never a count of signature rows). Refreshed after each confirmation commits and
whenever a petition is saved.
"""

from django.core.cache import cache

from petitions.models import Petition

TIMEOUT = 60


def _key(pk: int) -> str:
    return f"petitions:count:{pk}"


def petition_count(petition_id: int) -> int:
    count = cache.get(_key(petition_id))
    if count is None:
        count = petition_count_refresh(petition_id)
    return count


def petition_count_refresh(petition_id: int) -> int:
    row = Petition.objects.filter(pk=petition_id).values_list("confirmed_count", "offline_count")
    confirmed, offline = row.first() or (0, 0)
    count = confirmed + offline
    cache.set(_key(petition_id), count, timeout=TIMEOUT)
    return count


def petition_count_clear(petition_id: int) -> None:
    cache.delete(_key(petition_id))
