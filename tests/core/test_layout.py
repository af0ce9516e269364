import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_the_home_page_is_french_at_the_root(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr">' in html
    assert '<a class="skip-link" href="#contenu">Aller au contenu</a>' in html
    assert '<main id="contenu"' in html
    assert ">Agir</a>" in html
    assert ">Faire un don</a>" in html
    assert ">Mentions légales</a>" in html
    assert ">Données personnelles</a>" in html


def test_the_english_home_page_is_under_en(client):
    response = client.get("/en/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert ">Skip to content</a>" in html
    assert ">Act</a>" in html
    assert ">Donate</a>" in html
    assert ">Legal notice</a>" in html


@pytest.mark.parametrize(
    ("name", "french", "english"),
    [
        ("cases:victory-list", "/victoires/", "/en/victories/"),
        ("petitions:petition-list", "/petitions/", "/en/petitions/"),
        ("donations:gift", "/don/", "/en/donate/"),
        ("core:legal-notice", "/mentions-legales/", "/en/legal-notice/"),
        ("core:privacy", "/donnees-personnelles/", "/en/personal-data/"),
    ],
)
def test_paths_are_translated(name, french, english):
    with translation.override("fr"):
        assert reverse(name) == french
    with translation.override("en"):
        assert reverse(name) == english


@pytest.mark.parametrize(
    ("path", "other"),
    [
        ("/", "/en/"),
        ("/mentions-legales/", "/en/legal-notice/"),
        ("/en/personal-data/", "/donnees-personnelles/"),
    ],
)
def test_the_language_switcher_is_a_link_to_the_same_page(client, path, other):
    html = client.get(path).content.decode()
    assert f'href="{other}"' in html
    assert "<form" not in html.split("<main")[0]


@pytest.mark.parametrize(
    "path", ["/mentions-legales/", "/donnees-personnelles/", "/en/legal-notice/"]
)
def test_legal_pages_render(client, path):
    assert client.get(path).status_code == 200


def test_an_unknown_page_gets_the_french_404(client):
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page introuvable" in html
    assert '<html lang="fr">' in html


def test_the_500_page_is_french_and_standalone(client):
    from django.test import RequestFactory

    from core.views import server_error

    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Une erreur est survenue" in response.content.decode()
