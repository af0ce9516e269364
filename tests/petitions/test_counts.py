"""The counter: confirmed signatures plus the offline count, exact under load, cached."""

import os
import re
import threading
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from petitions.counts import petition_count, petition_count_fold
from petitions.models import Petition, PetitionCountShard, Signature
from petitions.services import signature_confirm, signature_withdraw
from tests.concurrency import in_threads
from tests.factories import CaseFactory, PetitionFactory, SignatureFactory


@pytest.mark.django_db
def test_confirming_twice_counts_once(django_capture_on_commit_callbacks):
    signature = SignatureFactory(petition__offline_count=10)
    with django_capture_on_commit_callbacks(execute=True):
        assert signature_confirm(signature=signature) is True
        assert signature_confirm(signature=Signature.objects.get()) is False
    assert petition_count(signature.petition_id) == 11


@pytest.mark.django_db
def test_a_popular_petition_page_reads_one_row_and_counts_no_signature(
    client, django_assert_max_num_queries
):
    petition = PetitionFactory(slug="p")
    client.get("/petitions/p/")  # warms the count and the banner caches (and creates
    client.get("/petitions/p/")  # the gift settings, which purges the page cache once)
    with django_assert_max_num_queries(1) as queries:
        response = client.get("/petitions/p/")
    assert response.status_code == 200
    assert not any("signature" in q["sql"] for q in queries.captured_queries)
    assert petition.pk


@pytest.mark.django_db
def test_a_new_offline_count_shows_at_once():
    petition = PetitionFactory(offline_count=5)
    assert petition_count(petition.pk) == 5
    petition.offline_count = 500
    petition.save()
    assert petition_count(petition.pk) == 500


@pytest.mark.django_db
def test_the_petition_page_is_never_cached(client):
    PetitionFactory(slug="p")
    import re

    stamps = [
        re.search(r'name="started" value="([^"]+)"', client.get("/petitions/p/").content.decode())[
            1
        ]
        for _ in range(2)
    ]
    assert stamps[0] != stamps[1]


def confirmed_total(petition):
    return Petition.objects.with_confirmed_total().get(pk=petition.pk).confirmed_total


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_hundred_confirmations_from_twenty_threads_are_all_counted_while_folding():
    petition = PetitionFactory(offline_count=1000)
    signatures = [SignatureFactory(petition=petition) for _ in range(200)]
    # Twenty threads, each signature confirmed by two of them at once, while a twenty-first
    # folds the shards into the counter again and again (as cache misses and withdrawals do).
    batches = [signatures[n % 10 :: 10] for n in range(20)]
    barrier = threading.Barrier(21)
    done = threading.Event()
    errors = []
    moved = []

    def confirm(batch):
        try:
            barrier.wait()
            for signature in batch:
                signature_confirm(signature=Signature.objects.get(pk=signature.pk))
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    def fold():
        try:
            barrier.wait()
            while not done.is_set():
                moved.append(petition_count_fold(petition.pk))
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(batch,)) for batch in batches]
    folder = threading.Thread(target=fold)
    for thread in [*threads, folder]:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    folder.join()

    assert errors == []
    assert sum(moved) > 0  # the folds really ran among the confirmations
    assert Signature.objects.confirmed().count() == 200
    assert confirmed_total(petition) == 200
    assert petition_count(petition.pk) == 1200
    petition_count_fold(petition.pk)
    assert Petition.objects.get(pk=petition.pk).confirmed_count == 200
    assert not PetitionCountShard.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_confirmation_link_posted_ten_times_at_once_counts_once():
    from django.test import Client

    from core.tokens import token_issue
    from petitions.tasks import SIGNATURE_PURPOSE

    petition = PetitionFactory(slug="p")
    signatures = SignatureFactory.create_batch(3, petition=petition)
    links = [
        reverse(
            "petitions:confirm",
            kwargs={"token": token_issue(purpose=SIGNATURE_PURPOSE, target=signature, days=1)},
        )
        for signature in signatures
    ]
    answers = []

    def post(index):
        response = Client().post(links[index // 10])
        answers.append((response.status_code, response["Location"]))

    assert in_threads(30, post) == []
    # Every click gets the thanks page; each signature is confirmed and counted once.
    assert answers == [(302, "/petitions/p/merci/")] * 30
    assert Signature.objects.confirmed().count() == 3
    assert confirmed_total(petition) == 3


@pytest.mark.django_db
def test_confirming_reads_the_token_and_the_signature_in_four_statements(client, settings):
    from django.test.utils import CaptureQueriesContext

    from core.tokens import token_issue
    from petitions.tasks import SIGNATURE_PURPOSE

    settings.PAGE_CACHE_LOCAL_SECONDS = 5  # as in production (the tests' settings say 0)
    petition = PetitionFactory(slug="p")
    links = [
        reverse(
            "petitions:confirm",
            kwargs={"token": token_issue(purpose=SIGNATURE_PURPOSE, target=signature, days=1)},
        )
        for signature in SignatureFactory.create_batch(2, petition=petition)
    ]
    client.post(links[0])  # the petition's slug is read once, then kept by the process
    # Spend the token (UPDATE … RETURNING), read the signature's three columns, confirm
    # it, count it in a shard: no second read, no savepoint of its own (the one savepoint
    # is the view's transaction, inside the test's).
    with CaptureQueriesContext(connection) as queries:
        response = client.post(links[1])
    statements = [query["sql"].split()[0] for query in queries.captured_queries]
    assert statements == ["SAVEPOINT", "UPDATE", "SELECT", "UPDATE", "INSERT", "RELEASE"]
    assert response["Location"] == "/petitions/p/merci/"
    assert confirmed_total(petition) == 2


@pytest.mark.django_db
def test_a_confirmation_counts_in_a_shard_and_the_fold_moves_it_to_the_counter_once():
    petition = PetitionFactory()
    for signature in SignatureFactory.create_batch(5, petition=petition):
        signature_confirm(signature=signature)
    shards = PetitionCountShard.objects.filter(petition=petition)
    assert sum(shards.values_list("count", flat=True)) == 5
    assert Petition.objects.get(pk=petition.pk).confirmed_count == 0
    assert confirmed_total(petition) == 5

    assert petition_count_fold(petition.pk) == 5
    assert petition_count_fold(petition.pk) == 0
    assert not shards.exists()
    assert Petition.objects.get(pk=petition.pk).confirmed_count == 5
    assert confirmed_total(petition) == 5


@pytest.mark.django_db
def test_the_cached_count_folds_at_most_once_a_minute_and_stays_exact(
    django_capture_on_commit_callbacks,
):
    petition = PetitionFactory(offline_count=10)
    first, second = SignatureFactory.create_batch(2, petition=petition)
    with django_capture_on_commit_callbacks(execute=True):
        signature_confirm(signature=first)
    assert petition_count(petition.pk) == 11  # the miss folded the shard
    assert Petition.objects.get(pk=petition.pk).confirmed_count == 1
    with django_capture_on_commit_callbacks(execute=True):
        signature_confirm(signature=second)
    assert petition_count(petition.pk) == 12  # exact at once, the shard left for later
    assert Petition.objects.get(pk=petition.pk).confirmed_count == 1


@pytest.mark.django_db
def test_withdrawing_after_unfolded_confirmations_leaves_the_others_counted(
    django_capture_on_commit_callbacks,
):
    petition = PetitionFactory()
    signatures = SignatureFactory.create_batch(3, petition=petition)
    for signature in signatures:
        signature_confirm(signature=signature)
    assert Petition.objects.get(pk=petition.pk).confirmed_count == 0  # all in shards

    with django_capture_on_commit_callbacks(execute=True):
        signature_withdraw(signature=signatures[0], channel="space")

    # Without folding first, 0 - 1 would clamp at 0 and the shards would still say 3.
    assert Petition.objects.get(pk=petition.pk).confirmed_count == 2
    assert confirmed_total(petition) == 2
    assert petition_count(petition.pk) == 2


@pytest.mark.django_db
def test_saving_a_petition_read_before_a_fold_keeps_the_folded_confirmations():
    petition = PetitionFactory()
    stale = Petition.objects.get(pk=petition.pk)  # an admin form opened now
    for signature in SignatureFactory.create_batch(2, petition=petition):
        signature_confirm(signature=signature)
    petition_count_fold(petition.pk)

    stale.offline_count = 40
    stale.save()

    petition.refresh_from_db()
    assert (petition.confirmed_count, petition.offline_count) == (2, 40)


@pytest.mark.django_db
def test_the_daily_run_folds_every_petition():
    petitions = PetitionFactory.create_batch(2)
    for petition in petitions:
        signature_confirm(signature=SignatureFactory(petition=petition))
    out = StringIO()
    call_command("fold_petition_counts", stdout=out)
    assert out.getvalue() == "Compteurs de pétitions mis à jour : 2.\n"
    assert not PetitionCountShard.objects.exists()
    assert [p.confirmed_count for p in Petition.objects.order_by("pk")] == [1, 1]
    assert "fold_petition_counts" in settings.DAILY_COMMANDS


@pytest.mark.django_db
def test_the_petition_list_shows_unfolded_confirmations(client):
    petition = PetitionFactory(offline_count=1000)
    for signature in SignatureFactory.create_batch(3, petition=petition):
        signature_confirm(signature=signature)
    html = client.get("/petitions/").content.decode()
    assert '<p class="petition-card__count">1\u00a0003 signatures</p>' in html


@pytest.mark.django_db
def test_a_victory_page_shows_its_won_petition_s_unfolded_confirmations(client):
    case = CaseFactory(slug="ana")
    petition = PetitionFactory(case=case, status="won")
    for signature in SignatureFactory.create_batch(2, petition=petition):
        signature_confirm(signature=signature)
    html = client.get("/victoires/ana/").content.decode()
    assert "Dont 2 signatures recueillies sur ce site." in html


@pytest.mark.django_db
def test_the_admin_shows_unfolded_confirmations_in_the_list_and_the_form(admin_client):
    petition = PetitionFactory()
    for signature in SignatureFactory.create_batch(3, petition=petition):
        signature_confirm(signature=signature)
    changelist = admin_client.get(reverse("admin:petitions_petition_changelist"))
    assert '<td class="field-confirmed_column">3</td>' in changelist.content.decode()
    change = admin_client.get(reverse("admin:petitions_petition_change", args=[petition.pk]))
    html = change.content.decode()
    assert re.search(r'<div class="readonly">3</div>', html), html


@pytest.mark.postgres
def test_the_counter_bench_reconciles_both_ways_and_leaves_nothing_behind(db):
    """Run as a person runs it: ``manage.py counter_bench`` in its own process, on its own
    database (its workers are forked: nothing of the test process must reach them)."""
    import subprocess
    import sys
    from pathlib import Path

    import psycopg

    params = connection.settings_dict
    name = f"{params['NAME']}_counter_bench"
    url = (
        f"postgres://{params['USER'] or 'postgres'}:{params['PASSWORD'] or ''}@"
        f"{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{name}"
    )
    admin = {
        "host": params["HOST"] or "127.0.0.1",
        "port": params["PORT"] or 5432,
        "user": params["USER"] or "postgres",
        "password": params["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    env = {**os.environ, "DJANGO_DEBUG": "1", "DATABASE_URL": url}
    env.pop("DJANGO_SETTINGS_MODULE", None)  # the site's settings, as manage.py has them
    try:
        run = subprocess.run(
            [sys.executable, "manage.py", "counter_bench", "--concurrency", "3",
             "--seconds", "0.5", "--per-second", "400"],
            cwd=Path(settings.BASE_DIR), env=env, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        assert run.returncode == 0, run.stderr
        table = [line for line in run.stdout.splitlines() if line.startswith("| ")]
        assert table[0] == "| count | concurrent | confirmations/s | p50 | p99 | reconciled |"
        rows = [line.split(" | ") for line in table[2:]]
        assert [(row[0], row[1], row[-1]) for row in rows] == [
            ("| row", "3", "yes |"),
            ("| shards", "3", "yes |"),
        ], run.stdout
        with psycopg.connect(url.replace("postgres://", "postgresql://")) as bench:
            for table_name in ("petitions_petition", "petitions_signature",
                               "petitions_petitioncountshard"):  # fmt: skip
                left = bench.execute(f"SELECT count(*) FROM {table_name}").fetchone()[0]  # noqa: S608
                assert left == 0, table_name
    finally:
        with psycopg.connect(**admin) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{name}"')


def test_the_counter_bench_refuses_sqlite(db, monkeypatch):
    monkeypatch.setattr(connection, "vendor", "sqlite")  # the quick start's database
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("counter_bench")
