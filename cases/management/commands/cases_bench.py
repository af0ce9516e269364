"""Measure the victories pages with 500 cases: SQL queries and time, cold and warm cache.

Everything runs inside a transaction that is rolled back: the database is left as it was.
The cache namespace of the victories is bumped before and after.
"""

import time
from datetime import date, timedelta

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.cache import cases_cache_clear
from cases.models import Case, MobilisationFigure, OutcomeEvent


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Mesure les pages des victoires avec 500 victoires (requêtes SQL et temps)."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=500)

    def handle(self, *args, **options):
        try:
            with transaction.atomic(), override_settings(ALLOWED_HOSTS=["testserver"]):
                self._run(options["cases"])
                raise _Rollback
        except _Rollback:
            pass
        cases_cache_clear()

    def _run(self, count):
        now = timezone.now()
        cases = Case.objects.bulk_create(
            Case(
                name=f"Bench {n}",
                slug=f"bench-{n}",
                country=["TR", "RU", "EG", "PE", "MM"][n % 5],
                headline_fr="Libérée",
                story_fr="Une histoire.\n\nDeux paragraphes.",
                is_published=True,
                published_at=now - timedelta(days=1),
            )
            for n in range(count)
        )
        OutcomeEvent.objects.bulk_create(
            OutcomeEvent(case=c, kind="released", date=date(2000 + c.pk % 25, 1, 1)) for c in cases
        )
        MobilisationFigure.objects.bulk_create(
            [MobilisationFigure(case=c, scope="world", count=1000) for c in cases]
            + [MobilisationFigure(case=c, scope="france", count=100) for c in cases]
        )
        client = Client()
        for url in ("/victoires/", "/victoires/?pays=TR&page=3", "/victoires/bench-7/", "/"):
            cases_cache_clear()
            for label in ("cold", "warm"):
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    status = client.get(url).status_code
                    elapsed = (time.perf_counter() - start) * 1000
                self.stdout.write(
                    f"{url:32} {label}: {status} {len(queries.captured_queries):3d} queries "
                    f"{elapsed:7.1f} ms"
                )
