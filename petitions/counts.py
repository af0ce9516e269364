"""The number a petition shows: confirmed signatures plus the offline count.

A confirmation adds one to one of ``SHARDS`` rows (``PetitionCountShard``) picked at
random, in the confirming transaction: concurrent confirmations of one petition no longer
wait for each other on the petition's row. The confirmed figure is the petition's
``confirmed_count`` plus its shards, read in one statement (exact, no lock). The shards
are folded into ``confirmed_count`` (summed and deleted in one transaction) at most once a
minute per petition when the cached count is rebuilt, before any decrement (withdrawal,
erasure: the clamp at zero must see every confirmation), and every day
(``manage.py fold_petition_counts``).

The count is read from the shared cache; on a miss, from the database. Refreshed after
each confirmation commits and whenever a petition is saved.
"""

import random

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F

from petitions.models import Petition, PetitionCountShard

TIMEOUT = 60
# 32 rows: measured on 2 cores, 20 concurrent confirmations of one petition go from one
# row's queue to almost no waiting (docs/performance.md, `manage.py counter_bench`).
SHARDS = 32


def _key(pk: int) -> str:
    return f"petitions:count:{pk}"


def _fold_key(pk: int) -> str:
    return f"petitions:count-folded:{pk}"


def petition_count(petition_id: int) -> int:
    count = cache.get(_key(petition_id))
    if count is None:
        count = petition_count_refresh(petition_id)
    return count


def petition_count_refresh(petition_id: int) -> int:
    # Fold at most once per TIMEOUT and petition, whoever misses the cache first: every
    # confirmation drops the cached count, so folding on every miss would bring back the
    # queue on the petition's row that the shards remove.
    if cache.add(_fold_key(petition_id), 1, timeout=TIMEOUT):
        petition_count_fold(petition_id)
    row = (
        Petition.objects.filter(pk=petition_id)
        .with_confirmed_total()
        .values_list("confirmed_total", "offline_count")
    )
    confirmed, offline = row.first() or (0, 0)
    count = confirmed + offline
    cache.set(_key(petition_id), count, timeout=TIMEOUT)
    return count


def petition_count_clear(petition_id: int) -> None:
    cache.delete(_key(petition_id))


def petition_count_increment(petition_id: int) -> None:
    """Count one confirmation, in the caller's transaction: one upsert of a random shard
    (PostgreSQL and SQLite both have ``INSERT … ON CONFLICT … DO UPDATE``)."""
    quote = connection.ops.quote_name
    table = quote(PetitionCountShard._meta.db_table)
    petition, shard, count = (
        quote(PetitionCountShard._meta.get_field(name).column)
        for name in ("petition", "shard", "count")
    )
    # Only the model's own quoted names are formatted in; the values are parameters.
    insert = f"INSERT INTO {table} ({petition}, {shard}, {count}) VALUES (%s, %s, 1)"  # noqa: S608
    upsert = f" ON CONFLICT ({petition}, {shard}) DO UPDATE SET {count} = {table}.{count} + 1"
    sql = insert + upsert
    with connection.cursor() as cursor:
        cursor.execute(sql, [petition_id, random.randrange(SHARDS)])


def petition_count_fold(petition_id: int) -> int:
    """Move the petition's shards into ``confirmed_count`` in one transaction; returns
    how many confirmations moved.

    The shard rows are locked (in shard order, so two folds never deadlock) before they
    are summed and deleted: a confirmation adding to one of them waits for this commit and
    then starts a new row, counted by the next fold. Nothing is lost or counted twice.
    """
    with transaction.atomic():
        rows = list(
            PetitionCountShard.objects.filter(petition_id=petition_id)
            .order_by("shard")
            .select_for_update()
            .values_list("pk", "count")
        )
        if not rows:
            return 0
        moved = sum(count for _pk, count in rows)
        PetitionCountShard.objects.filter(pk__in=[pk for pk, _count in rows]).delete()
        Petition.objects.filter(pk=petition_id).update(confirmed_count=F("confirmed_count") + moved)
    return moved


def petition_counts_fold() -> int:
    """Fold the shards of every petition that has some; returns how many petitions."""
    petition_ids = (
        PetitionCountShard.objects.order_by("petition_id")
        .values_list("petition_id", flat=True)
        .distinct()
    )
    folded = 0
    for petition_id in list(petition_ids):
        if petition_count_fold(petition_id):
            folded += 1
    return folded
