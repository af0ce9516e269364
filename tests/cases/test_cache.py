"""Cached fragments: cleared by every change, never outliving a scheduled publication."""

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from cases import views
from cases.cache import DEFAULT_TIMEOUT, cache_key, fragment_timeout
from cases.models import Case, VictoryPage
from tests.factories import CaseFactory, MobilisationFigureFactory, OutcomeEventFactory

pytestmark = pytest.mark.django_db


def test_a_second_visit_is_served_from_the_cache(client, skotchilenko):
    client.get("/victoires/")
    Case.objects.filter(pk=skotchilenko.pk).update(name="Changé Sans Signal")
    assert "Changé Sans Signal" not in client.get("/victoires/").content.decode()


def test_saving_a_case_clears_the_cached_pages(client, skotchilenko):
    client.get("/victoires/")
    client.get("/victoires/alexandra-skotchilenko/")
    skotchilenko.headline_fr = "Un nouveau titre"
    skotchilenko.save()
    assert "Un nouveau titre" in client.get("/victoires/").content.decode()
    assert "Un nouveau titre" in client.get("/victoires/alexandra-skotchilenko/").content.decode()


def test_an_event_a_figure_or_a_deletion_clears_the_cached_page(client, skotchilenko):
    client.get("/victoires/")
    OutcomeEventFactory(case=skotchilenko, kind="acquitted", date=date(2025, 1, 2))
    assert "Acquittée le 2 janvier 2025." in client.get("/victoires/").content.decode()
    MobilisationFigureFactory(case=skotchilenko, scope="country", country="BE", count=10)
    assert "10 en Belgique" in client.get("/victoires/").content.decode()
    skotchilenko.delete()
    assert "Alexandra Skotchilenko" not in client.get("/victoires/").content.decode()


def test_the_page_texts_clear_the_cached_page(client, skotchilenko):
    client.get("/victoires/")
    VictoryPage.objects.create(title_fr="Nos victoires !", intro_fr="Bonjour")
    html = client.get("/victoires/").content.decode()
    assert '<h1 id="victoires-titre">Nos victoires\u00a0!</h1>' in html
    assert "<title>Nos victoires\u00a0! — " in html


def test_the_language_has_its_own_cached_fragment(client, skotchilenko):
    assert "Graciée" in client.get("/victoires/").content.decode()
    assert "Pardoned" in client.get("/en/victories/").content.decode()


def test_the_cached_fragment_holds_nothing_per_visitor(skotchilenko, staff_client):
    staff_client.get("/victoires/")
    staff_client.get("/victoires/alexandra-skotchilenko/")
    listing = cache.get(cache_key("list", "fr", "-", "-", "1"))
    fragment = listing["main"]
    detail = cache.get(cache_key("detail", "fr", "alexandra-skotchilenko"))
    assert "Alexandra Skotchilenko" in fragment and "Alexandra Skotchilenko" in detail["main"]
    for text in map(str, (*listing.values(), *detail.values())):
        assert "csrfmiddlewaretoken" not in text and "chef" not in text and "sessionid" not in text


def test_a_fragment_does_not_outlive_the_next_scheduled_publication(client, monkeypatch):
    CaseFactory(name="Déjà Publiée", slug="deja")
    CaseFactory(
        name="Programmée Bientôt",
        slug="programmee",
        published_at=timezone.now() + timedelta(seconds=90),
    )
    timeouts = []
    real_set = cache.set
    monkeypatch.setattr(
        views.cache,
        "set",
        lambda key, value, timeout: (timeouts.append(timeout), real_set(key, value, timeout)),
    )
    html = client.get("/victoires/").content.decode()
    assert "Déjà Publiée" in html and "Programmée Bientôt" not in html
    assert timeouts and 0 < timeouts[0] <= 90


def test_the_scheduled_case_appears_once_its_time_has_come(client, monkeypatch):
    CaseFactory(
        name="Programmée Bientôt",
        slug="programmee",
        published_at=timezone.now() + timedelta(seconds=90),
    )
    assert "Programmée Bientôt" not in client.get("/victoires/").content.decode()
    later = timezone.now() + timedelta(seconds=91)
    monkeypatch.setattr(timezone, "now", lambda: later)
    cache.clear()  # what the fragment's timeout (≤ 90 s) does in real time
    assert "Programmée Bientôt" in client.get("/victoires/").content.decode()


def test_the_timeout_is_the_default_when_nothing_is_scheduled():
    CaseFactory()
    assert fragment_timeout() == DEFAULT_TIMEOUT


def test_a_page_out_of_range_is_not_cached_under_its_own_number(client, skotchilenko):
    client.get("/victoires/?page=999999")
    client.get("/victoires/?page=%EF%BC%92")  # a full-width digit: page 1, no error
    assert cache.get(cache_key("list", "fr", "-", "-", "999999")) is None
    assert client.get("/victoires/?page=%EF%BC%92").status_code == 200


def test_the_home_cards_hide_drafts_and_do_not_outlive_a_scheduled_publication(client, monkeypatch):
    from cases.templatetags import cases_tags

    CaseFactory(name="Déjà Publiée", slug="deja")
    CaseFactory(name="Brouillon Caché", slug="brouillon", is_published=False)
    CaseFactory(
        name="Programmée Bientôt",
        slug="programmee",
        published_at=timezone.now() + timedelta(seconds=90),
    )
    timeouts = []
    real_set = cache.set
    monkeypatch.setattr(
        cases_tags.cache,
        "set",
        lambda key, value, timeout=None: (
            timeouts.append((key, timeout)),
            real_set(key, value, timeout),
        ),
    )
    html = client.get("/").content.decode()
    assert "Déjà Publiée" in html
    assert "Brouillon Caché" not in html and "Programmée Bientôt" not in html
    ours = [timeout for key, timeout in timeouts if key.startswith("cases:")]
    assert ours and all(0 < t <= 90 for t in ours)
    later = timezone.now() + timedelta(seconds=91)
    monkeypatch.setattr(timezone, "now", lambda: later)
    cache.clear()  # what the fragment's timeout (≤ 90 s) does in real time
    assert "Programmée Bientôt" in client.get("/").content.decode()


def test_the_feed_and_the_sitemap_show_a_scheduled_case_once_its_time_has_come(client, monkeypatch):
    CaseFactory(
        name="Programmée Bientôt",
        slug="programmee",
        published_at=timezone.now() + timedelta(seconds=90),
    )
    assert "Programmée Bientôt" not in client.get("/victoires/flux/").content.decode()
    assert "/victoires/programmee/" not in client.get("/sitemap.xml").content.decode()
    later = timezone.now() + timedelta(seconds=91)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert "Programmée Bientôt" in client.get("/en/victories/feed/").content.decode()
    assert "/en/victories/programmee/" in client.get("/sitemap.xml").content.decode()
