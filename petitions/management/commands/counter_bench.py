"""Measure concurrent confirmations of one petition: one counter row against the shards.

Each worker is a process with its own PostgreSQL connection (as gunicorn workers are) that
confirms pending signatures of one petition for a few seconds, each confirmation one
transaction: the signature's conditional UPDATE and the count.

- ``row``: the count as it was before the shards, an ``F()`` increment of the petition's
  row (every confirmation of the petition waits for the one before to commit);
- ``shards``: ``petitions.services.signature_confirm`` as it is (an upsert of one of
  ``petitions.counts.SHARDS`` rows picked at random).

Then it reconciles: confirmed rows equal the workers' successes and the count grew by
exactly as many. Everything it made is deleted at the end. It uses the configured
database (``make bench-counter`` points it at ``BENCH_DATABASE_URL``); at most the largest
concurrency + 1 connections at once.
"""

import multiprocessing
import statistics
import time
import uuid

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections, transaction
from django.db.models import F
from django.utils import timezone

from core.management.commands.bench_pages import _create_database
from petitions.counts import petition_count_fold
from petitions.models import Petition, PetitionCountShard, Signature
from petitions.services import signature_confirm

MODES = ("row", "shards")


def _confirm_on_the_row(pk: int, petition_id: int) -> bool:
    """The confirmation as it was: the count on the petition's row."""
    now = timezone.now()
    with transaction.atomic():
        updated = Signature.objects.filter(pk=pk, confirmed_at__isnull=True).update(
            confirmed_at=now, updated_at=now
        )
        if updated != 1:
            return False
        Petition.objects.filter(pk=petition_id).update(confirmed_count=F("confirmed_count") + 1)
    return True


def _confirm_in_shards(pk: int, petition_id: int) -> bool:
    return signature_confirm(signature=Signature(pk=pk, petition_id=petition_id))


def _worker(mode: str, petition_id: int, pks: list[int], start: float, seconds: float):
    """One process: confirm ``pks`` in turn from ``start`` for ``seconds``; returns the
    latencies (seconds) of the confirmations that succeeded, and the failures."""
    from django.conf import settings

    settings.DEBUG = False  # no query log growing in the workers (a bench, not a page)
    confirm = _confirm_on_the_row if mode == "row" else _confirm_in_shards
    latencies, failed = [], 0
    connection.ensure_connection()
    time.sleep(max(start - time.time(), 0))
    deadline = start + seconds
    for pk in pks:
        if time.time() >= deadline:
            break
        began = time.perf_counter()
        try:
            ok = confirm(pk, petition_id)
        except Exception:  # a bench counts what fails and goes on
            ok = False
        if ok:
            latencies.append(time.perf_counter() - began)
        else:
            failed += 1
    connection.close()
    return latencies, failed


def _percentile(values, fraction):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(int(len(ordered) * fraction), len(ordered) - 1)]


class Command(BaseCommand):
    help = (
        "Mesure les confirmations simultanées d'une pétition : compteur sur une ligne "
        "contre compteur réparti (PostgreSQL)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--concurrency",
            default="4,20",
            help="Nombres de processus simultanés, séparés par des virgules (défaut 4,20).",
        )
        parser.add_argument(
            "--seconds", type=float, default=5.0, help="Durée de chaque mesure (défaut 5)."
        )
        parser.add_argument(
            "--per-second",
            type=int,
            default=4000,
            help="Signatures préparées par seconde de mesure (défaut 4000).",
        )

    def handle(self, *args, concurrency, seconds, per_second, **options):
        if connection.vendor != "postgresql":
            raise CommandError("counter_bench mesure PostgreSQL : définissez DATABASE_URL.")
        levels = [int(n) for n in concurrency.split(",") if n.strip()]
        if not levels or min(levels) < 1 or max(levels) > 60:
            raise CommandError("--concurrency : de 1 à 60 processus (PostgreSQL en partage).")
        _create_database()
        call_command("migrate", verbosity=0)
        results = []
        for level in levels:
            for mode in MODES:
                result = self._run(mode, level, seconds, int(per_second * seconds))
                results.append(result)
                self.stdout.write(self._line(result))
        self.stdout.write("")
        self.stdout.write("| count | concurrent | confirmations/s | p50 | p99 | reconciled |")
        self.stdout.write("| --- | ---: | ---: | ---: | ---: | --- |")
        for r in results:
            self.stdout.write(
                f"| {r['mode']} | {r['concurrency']} | {r['rate']:.0f} | {r['p50']:.1f} ms "
                f"| {r['p99']:.1f} ms | {'yes' if r['reconciled'] else 'NO'} |"
            )
        return None

    @staticmethod
    def _line(r):
        return (
            f"{r['mode']:>6} x{r['concurrency']:<3} {r['rate']:7.0f}/s  p50 {r['p50']:6.1f} ms"
            f"  p99 {r['p99']:6.1f} ms  ok {r['ok']} failed {r['failed']}"
            f"  rows {r['rows']} count +{r['counted']}  reconciled {r['reconciled']}"
        )

    def _run(self, mode, level, seconds, prepared):
        tag = uuid.uuid4().hex[:12]
        petition = Petition.objects.create(
            title=f"Banc d'essai du compteur {tag}",
            slug=f"banc-compteur-{tag}",
            target="—",
            ask="—",
            text="—",
            status=Petition.Status.DRAFT,
        )
        Signature.objects.bulk_create(
            Signature(
                petition=petition,
                first_name="Banc",
                last_name=str(n),
                email=f"banc-{tag}-{n}@exemple.invalid",
                country="FR",
                language="fr",
            )
            for n in range(prepared)
        )
        try:
            pks = list(
                Signature.objects.filter(petition=petition)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            slices = [pks[n::level] for n in range(level)]
            connections.close_all()  # no connection shared with the forked workers
            start = time.time() + 1.0
            context = multiprocessing.get_context("fork")
            with context.Pool(level) as pool:
                # Bounded: a worker that hangs (a lock held at the fork) stops the bench.
                outcomes = pool.starmap_async(
                    _worker, [(mode, petition.pk, part, start, seconds) for part in slices]
                ).get(timeout=seconds + 120)
            latencies = [value for values, _failed in outcomes for value in values]
            failed = sum(failed for _values, failed in outcomes)
            confirmed = Signature.objects.filter(petition=petition, confirmed_at__isnull=False)
            rows = confirmed.count()
            petition_count_fold(petition.pk)
            counted = Petition.objects.get(pk=petition.pk).confirmed_count
            bounds = [value for value in confirmed.values_list("confirmed_at", flat=True)]
            span = (max(bounds) - min(bounds)).total_seconds() if len(bounds) > 1 else 0.0
            return {
                "mode": mode,
                "concurrency": level,
                "ok": len(latencies),
                "failed": failed,
                "rows": rows,
                "counted": counted,
                "rate": rows / span if span else 0.0,
                "p50": statistics.median(latencies) * 1000 if latencies else 0.0,
                "p99": _percentile(latencies, 0.99) * 1000,
                "reconciled": rows == len(latencies) == counted,
                "exhausted": rows == len(pks),
            }
        finally:
            PetitionCountShard.objects.filter(petition=petition).delete()
            Signature.objects.filter(petition=petition).delete()
            petition.delete()
