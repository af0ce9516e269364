"""The counter: confirmed signatures plus the offline count, exact under load, cached."""

import threading

import pytest
from django.db import connection

from petitions.counts import petition_count
from petitions.models import Petition, Signature
from petitions.services import signature_confirm
from tests.factories import PetitionFactory, SignatureFactory


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


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_hundred_confirmations_from_twenty_threads_are_all_counted():
    petition = PetitionFactory(offline_count=1000)
    signatures = [SignatureFactory(petition=petition) for _ in range(200)]
    # Twenty threads, each signature confirmed by two of them at once.
    batches = [signatures[n % 10 :: 10] for n in range(20)]
    barrier = threading.Barrier(20)
    errors = []

    def confirm(batch):
        try:
            barrier.wait()
            for signature in batch:
                signature_confirm(signature=Signature.objects.get(pk=signature.pk))
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(batch,)) for batch in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Petition.objects.get(pk=petition.pk).confirmed_count == 200
    assert Signature.objects.confirmed().count() == 200
    assert petition_count(petition.pk) == 1200
