"""The full-page cache for anonymous visitors (core/pagecache.py)."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.utils import timezone

from core.pagecache import normalised_query, page_lifetime
from tests.factories import AppealFactory, CaseFactory, PetitionFactory

pytestmark = pytest.mark.django_db


def hit(response) -> bool:
    return response.get("X-Page-Cache") == "hit"


def max_ages(response) -> tuple[int, int]:
    control = response["Cache-Control"]
    assert "public" in control
    return (
        int(re.search(r"s-maxage=(\d+)", control)[1]),
        int(re.search(r"stale-while-revalidate=(\d+)", control)[1]),
    )


@pytest.fixture(autouse=True)
def gift_settings():
    from donations.models import GiftSettings

    return GiftSettings.load()  # created on the first read: a save that purges the pages


@pytest.fixture
def ana():
    return CaseFactory(name="Ana", slug="ana")


def test_an_anonymous_page_is_served_from_the_cache_without_any_query(
    client, ana, django_assert_num_queries
):
    first = client.get("/victoires/")
    assert first.status_code == 200 and not hit(first)
    with django_assert_num_queries(0):
        second = client.get("/victoires/")
    assert hit(second)
    assert second.content == first.content
    assert second["Content-Language"] == "fr"
    assert second["X-Frame-Options"] == "DENY"  # stored headers replayed
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert "'unsafe-inline'" not in second["Content-Security-Policy"]
    s_maxage, swr = max_ages(second)
    assert 0 < s_maxage <= 60 and 0 < swr <= 30
    assert "max-age=0" in second["Cache-Control"]
    assert not second.cookies


def test_head_gets_the_cached_headers_without_the_body(client, ana):
    client.get("/victoires/ana/")
    response = client.head("/victoires/ana/")
    assert hit(response) and response.content == b""


def test_each_language_and_each_page_has_its_own_entry(client, ana):
    french = client.get("/victoires/ana/")
    english = client.get("/en/victories/ana/")
    assert not hit(english)
    assert hit(client.get("/en/victories/ana/"))
    assert french.content != english.content


def test_a_session_cookie_skips_the_cache(client, ana):
    client.get("/")
    client.cookies[settings.SESSION_COOKIE_NAME] = "anything"
    assert not hit(client.get("/"))


def test_only_allow_listed_parameters_are_kept_in_the_key_and_others_bypass(client, ana):
    client.get("/victoires/?pays=tr&page=1")
    assert hit(client.get("/victoires/?page=1&pays=TR"))  # normalised: one entry
    assert not hit(client.get("/victoires/?pays=TR&page=1&utm_source=x"))
    assert not hit(client.get("/victoires/?pays=TR&page=1&utm_source=x"))
    assert not hit(client.get("/victoires/?pays=TR&pays=RU"))
    assert not hit(client.get("/victoires/?pays=%3Cscript%3E"))
    assert not hit(client.get("/victoires/?pays=%3Cscript%3E"))


def test_the_normalised_query():
    from django.http import QueryDict

    assert normalised_query(QueryDict("page=2&pays=tr")) == "page=2&pays=TR"
    assert normalised_query(QueryDict("amount=12,50")) == "amount=12.50"
    assert normalised_query(QueryDict("")) == ""
    assert normalised_query(QueryDict("x=1")) is None
    assert normalised_query(QueryDict("page=abc")) is None
    assert normalised_query(QueryDict("x=1&page=2"), strict=False) == "page=2"


def test_a_publication_change_purges_the_cached_pages(client, ana):
    other = CaseFactory(name="Bea", slug="bea")
    client.get("/victoires/")
    assert hit(client.get("/victoires/"))
    other.is_published = False
    other.save()
    response = client.get("/victoires/")
    assert not hit(response)
    assert "Bea" not in response.content.decode()


def test_a_banner_change_purges_the_cached_pages(client, ana):
    client.get("/")
    assert hit(client.get("/"))
    AppealFactory(petition=PetitionFactory(slug="p"))
    response = client.get("/")
    assert not hit(response)


def test_a_page_lives_no_longer_than_the_next_scheduled_change(client, ana):
    now = timezone.now()
    assert page_lifetime(now) == 60
    CaseFactory(slug="bientot", published_at=now + timedelta(seconds=20))
    assert 18 <= page_lifetime(now) <= 20
    AppealFactory(
        petition=PetitionFactory(slug="p"),
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(seconds=10),
    )
    assert 8 <= page_lifetime(now) <= 10
    PetitionFactory(slug="q", closes_at=now + timedelta(seconds=5))
    assert 3 <= page_lifetime(now) <= 5

    response = client.get("/victoires/ana/")
    assert max_ages(response)[0] <= 5


def test_not_found_and_personal_pages_are_never_stored(client, ana):
    for url in ("/victoires/personne/", "/petitions/confirmer/inconnu/", "/don/envoye/"):
        client.get(url)
        assert not hit(client.get(url)), url


def test_a_page_that_sets_a_cookie_is_not_stored(client, ana, rf):
    from django.http import HttpResponse

    from core.pagecache import _storable

    response = HttpResponse("<p>x</p>")
    assert _storable(rf.get("/"), response)
    response.set_cookie("seen", "1")
    assert not _storable(rf.get("/"), response)
    assert not _storable(rf.get("/"), HttpResponse("x", status=302))


def test_staff_previews_are_not_cached(admin_client):
    CaseFactory(name="Cachée", slug="cachee", is_published=False)
    response = admin_client.get("/victoires/cachee/")
    assert response.status_code == 200
    assert not hit(admin_client.get("/victoires/cachee/"))


def test_with_the_database_down_cached_pages_are_still_served(client, ana):
    client.get("/victoires/ana/")

    def down(execute, sql, params, many, context):
        raise OperationalError("could not connect to server")

    with connection.execute_wrapper(down):
        cached = client.get("/victoires/ana/")
        uncached = client.get("/victoires/?page=1")
    assert cached.status_code == 200 and hit(cached)
    assert uncached.status_code == 503


def test_the_cached_page_keeps_no_query_input_in_its_links(client, ana):
    html = client.get("/victoires/?pays=TR&utm_x=%22%3E%3Cx%3E").content.decode()
    assert "utm_x" not in html
    html = client.get("/victoires/?pays=TR").content.decode()
    assert "utm_x" not in html


def test_a_cached_page_is_stored_compressed_once_and_served_to_who_accepts_gzip(client, ana):
    import gzip

    plain = client.get("/victoires/")
    compressed = client.get("/victoires/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert hit(compressed) and compressed["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed.content) == plain.content
    assert int(compressed["Content-Length"]) == len(compressed.content) < len(plain.content)
    again = client.get("/victoires/", HTTP_ACCEPT_ENCODING="gzip")
    assert again.content == compressed.content  # compressed when stored, not per answer
    uncompressed = client.get("/victoires/")
    assert hit(uncompressed) and not uncompressed.has_header("Content-Encoding")
    assert uncompressed.content == plain.content
    for response in (compressed, uncompressed):
        assert "Accept-Encoding" in response["Vary"]


def test_a_page_with_fresh_values_is_compressed_per_answer_after_they_are_in(client, db):
    import gzip

    from tests.factories import PetitionFactory

    petition = PetitionFactory()
    client.get(petition.get_absolute_url())
    first = client.get(petition.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip")
    plain = client.get(petition.get_absolute_url())
    assert hit(first) and first["Content-Encoding"] == "gzip"
    assert int(first["Content-Length"]) == len(first.content)
    html = gzip.decompress(first.content)  # a valid member: its CRC and size are checked
    assert b"__fresh_value__" not in html
    stamp = re.compile(rb'name="started" value="([^"]+)"')
    assert stamp.search(html)
    # The same page as an uncompressed answer, but for the fresh value itself.
    assert stamp.sub(b"", html) == stamp.sub(b"", plain.content)


def test_pieces_deflated_apart_join_into_one_gzip_member():
    import gzip

    from core.pagecache import deflate_piece, gzip_join

    texts = [b"<p>" * 5000, b"fresh-1234", b"</p>" * 3000, b"", b"end"]
    joined = gzip_join([(text, deflate_piece(text)) for text in texts])
    assert gzip.decompress(joined) == b"".join(texts)


def entry_key_of(path: str) -> str:
    import hashlib

    from core.pagecache import ENTRY_PREFIX

    return ENTRY_PREFIX + hashlib.sha256(f"testserver:{path}?".encode()).hexdigest()


def test_a_page_this_process_served_is_replayed_from_its_memory_until_the_version_is_read(
    client, ana, settings
):
    from django.core.cache import cache

    from core.cache import namespace_bump

    settings.PAGE_CACHE_LOCAL_SECONDS = 5
    client.get("/victoires/ana/")
    cache.delete(entry_key_of("/victoires/ana/"))  # gone from Redis, kept by this process
    assert hit(client.get("/victoires/ana/"))
    # Another process purges (the version moves in Redis only): within the window this
    # process still replays the page, and the first version read afterwards drops it.
    namespace_bump("pages")
    assert hit(client.get("/victoires/ana/"))
    settings.PAGE_CACHE_LOCAL_SECONDS = 0.000001
    assert not hit(client.get("/victoires/ana/"))


def test_a_purge_in_this_process_drops_its_memory_at_once(client, ana, settings):
    settings.PAGE_CACHE_LOCAL_SECONDS = 5
    client.get("/victoires/")
    assert hit(client.get("/victoires/"))
    ana.name = "Ana Ruiz"
    ana.save()
    response = client.get("/victoires/")
    assert not hit(response) and "Ana Ruiz" in response.content.decode()


def test_without_local_memory_every_hit_reads_redis(client, ana, settings):
    from django.core.cache import cache

    settings.PAGE_CACHE_LOCAL_SECONDS = 0
    client.get("/victoires/ana/")
    assert hit(client.get("/victoires/ana/"))
    cache.delete(entry_key_of("/victoires/ana/"))
    assert not hit(client.get("/victoires/ana/"))


def test_an_expired_page_is_served_stale_while_one_request_renders_it_again(client, ana):
    import time_machine
    from django.core.cache import cache

    first = client.get("/victoires/ana/")
    s_maxage, _swr = max_ages(first)
    key = entry_key_of("/victoires/ana/")
    with time_machine.travel(timezone.now() + timedelta(seconds=s_maxage + 5), tick=False):
        # Another process claimed the render: the page is served as it was, told to
        # expire at once.
        assert cache.add(key + ":render", 1, 10)
        stale = client.get("/victoires/ana/")
        assert hit(stale) and max_ages(stale)[0] == 1
        assert stale.content == first.content
        # Its render done (the claim gone), the next request claims it and renders.
        cache.delete(key + ":render")
        assert not hit(client.get("/victoires/ana/"))
        fresh = client.get("/victoires/ana/")
        assert hit(fresh) and max_ages(fresh)[0] > 1
    # Past the stale window, nothing old is served, claimed or not.
    with time_machine.travel(timezone.now() + timedelta(seconds=3 * s_maxage), tick=False):
        cache.add(key + ":render", 1, 10)
        assert not hit(client.get("/victoires/ana/"))


def test_an_expired_page_is_never_served_after_a_purge_nor_past_a_scheduled_change(client, ana):
    import time_machine
    from django.core.cache import cache

    from core.pagecache import page_lifetimes

    now = timezone.now()
    assert page_lifetimes(now) == (60, 30)
    CaseFactory(slug="bientot", published_at=now + timedelta(seconds=70))
    assert page_lifetimes(now) == (60, 10)
    CaseFactory(slug="tres-bientot", published_at=now + timedelta(seconds=20))
    assert page_lifetimes(now) == (20, 0)

    client.get("/victoires/ana/")
    key = entry_key_of("/victoires/ana/")
    ana.name = "Ana Ruiz"
    ana.save()  # purged: the old entry is of an older version
    cache.add(key + ":render", 1, 10)  # even with a render claimed elsewhere
    response = client.get("/victoires/ana/")
    assert not hit(response) and "Ana Ruiz" in response.content.decode()
    # Past the scheduled publication, nothing stale: the page is rendered again.
    with time_machine.travel(now + timedelta(seconds=25), tick=False):
        assert not hit(client.get("/victoires/ana/"))
