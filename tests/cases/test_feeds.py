"""The Atom feed and the sitemap, in both languages."""

import pytest

from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def test_the_atom_feed_lists_published_victories(client, skotchilenko):
    CaseFactory(name="Brouillon Caché", slug="brouillon", is_published=False)
    response = client.get("/victoires/flux/")
    assert response["Content-Type"].startswith("application/atom+xml")
    xml = response.content.decode()
    assert "<title>Ces victoires remportées ensemble</title>" in xml
    assert "<title>Alexandra Skotchilenko</title>" in xml
    assert 'href="http://testserver/victoires/alexandra-skotchilenko/"' in xml
    assert "Graciée et libérée le 1er août 2024." in xml
    assert "Brouillon Caché" not in xml


def test_the_english_feed_is_in_english(client, skotchilenko):
    xml = client.get("/en/victories/feed/").content.decode()
    assert 'xml:lang="en"' in xml
    assert "<title>The victories we won together</title>" in xml
    assert 'href="http://testserver/en/victories/alexandra-skotchilenko/"' in xml
    assert "Pardoned and released on August 1, 2024." in xml


def test_the_sitemap_lists_public_pages_in_both_languages(client, skotchilenko):
    CaseFactory(name="Brouillon Caché", slug="brouillon", is_published=False)
    xml = client.get("/sitemap.xml").content.decode()
    for path in (
        "/",
        "/en/",
        "/victoires/",
        "/en/victories/",
        "/victoires/alexandra-skotchilenko/",
    ):
        assert f"<loc>http://testserver{path}</loc>" in xml
    assert (
        '<xhtml:link rel="alternate" hreflang="en" '
        'href="http://testserver/en/victories/alexandra-skotchilenko/"/>' in xml
    )
    assert "brouillon" not in xml


def test_the_feed_escapes_what_editors_type_and_writes_french_typography(client):
    from datetime import date

    from tests.factories import OutcomeEventFactory

    case = CaseFactory(name="Neth Nahara", slug="neth", headline_fr="Libre : <b>enfin</b>")
    OutcomeEventFactory(case=case, kind="pardoned", date=date(2024, 12, 25))
    xml = client.get("/victoires/flux/").content.decode()
    assert (
        '<summary type="html">Libre\u00a0: &amp;lt;b&amp;gt;enfin&amp;lt;/b&amp;gt;. '
        "Graciée le 25 décembre 2024.</summary>" in xml
    )
