import re

import pytest
from django.core import mail
from django.urls import reverse

from petitions.models import Petition
from tests.factories import PetitionFactory

pytestmark = pytest.mark.django_db


def test_the_sitemap_lists_petitions_in_both_languages_but_never_drafts(client):
    PetitionFactory(slug="liberez-ana", status=Petition.Status.OPEN)
    PetitionFactory(slug="brouillon-secret", status=Petition.Status.DRAFT)
    xml = client.get("/sitemap.xml").content.decode()
    assert "http://testserver/petitions/liberez-ana/" in xml
    assert "http://testserver/en/petitions/liberez-ana/" in xml
    assert "brouillon-secret" not in xml


def test_the_english_form_lists_countries_in_english(client):
    PetitionFactory(slug="free-ana", status=Petition.Status.OPEN)
    html = client.get("/en/petitions/free-ana/").content.decode()
    assert '<option value="DE">Germany</option>' in html
    assert "Allemagne" not in html
    french = client.get("/petitions/free-ana/").content.decode()
    assert '<option value="DE">Allemagne</option>' in french


def test_the_confirmation_page_is_never_cached_nor_indexed(
    client, sign_data, django_capture_on_commit_callbacks
):
    PetitionFactory(slug="liberez-ana", status=Petition.Status.OPEN)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("petitions:sign", args=["liberez-ana"]), sign_data())
    link = re.search(r"http://testserver(/\S+/confirmer/[\w-]+/)", mail.outbox[0].body).group(1)
    response = client.get(link)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_named_page_resolves_to_itself_with_the_petitions_matched_first(language):
    """config/urls.py tries the petitions' addresses before the other apps' (the signing
    and confirming POSTs are matched sooner): no other page may be taken by them."""
    from importlib import import_module

    from django.urls import resolve
    from django.utils import translation

    samples = {"slug": "liberez-ana", "token": "abc_DEF-123", "pk": 7}
    checked = 0
    for app in ("core", "cases", "petitions", "donations"):
        for pattern in import_module(f"{app}.urls").urlpatterns:
            name = f"{app}:{pattern.name}"
            kwargs = {key: samples[key] for key in pattern.pattern.converters}
            with translation.override(language):
                assert resolve(reverse(name, kwargs=kwargs)).view_name == name
            checked += 1
    assert checked > 30
