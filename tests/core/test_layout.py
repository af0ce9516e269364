import re

import pytest
from django.urls import reverse
from django.utils import translation

from core.context_processors import other_language_url

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
        ("/victoires/?pays=TR&amp;issue=released", "/en/victories/?issue=released&amp;pays=TR"),
        ("/victoires/?pays=tr&amp;utm=%3Cx%3E&amp;page=2", "/en/victories/?page=2&amp;pays=TR"),
        ("/victoires/?pays=%22%3E%3Cscript%3E", "/en/victories/"),
        ("/en/victories/?page=2", "/victoires/?page=2"),
        ("/don/?amount=25", "/en/donate/?amount=25"),
        ("/petitions/", "/en/petitions/"),
        ("/petitions/confirmer/jeton-inconnu/", "/en/petitions/confirm/jeton-inconnu/"),
        ("/don/confirmer/jeton-inconnu/", "/en/donate/confirm/jeton-inconnu/"),
        ("/nulle-part/?a=1", "/en/"),
        ("/en/nowhere/", "/"),
    ],
)
def test_the_language_switcher_is_a_link_to_the_same_page(client, path, other):
    html = client.get(path.replace("&amp;", "&")).content.decode()
    switcher = re.search(r'<a class="site-nav__lang" href="([^"]*)"', html)
    assert switcher is not None
    assert switcher.group(1) == other
    nav = html.split('<nav class="site-nav"')[1].split("</nav>")[0]
    assert "<form" not in nav


def test_the_language_switcher_never_links_to_another_host(rf):
    request = rf.get("/")
    request.path = request.path_info = "//autre-site.example/"
    assert other_language_url(request, "en") == "/en/"


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

    from core.errors import server_error

    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Une erreur est survenue" in response.content.decode()


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/victoires/", "Victoires"),
        ("/en/victories/", "Victories"),
        ("/petitions/", "Agir"),
        ("/don/", "Faire un don"),
        ("/", None),
        ("/mentions-legales/", None),
    ],
)
def test_the_navigation_marks_the_current_section(client, path, current):
    header = client.get(path).content.decode().split("</header>")[0]
    marked = re.findall(r'<a [^>]*aria-current="true"[^>]*>([^<]*)</a>', header)
    assert marked == ([current] if current else [])


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (
            "/donnees-personnelles/",
            "<li>Signatures non confirmées\u00a0: 7 jours après la signature",
        ),
        ("/", "Un don mensuel nous rend indépendants\u00a0: nous"),
        ("/mentions-legales/", "Police de caractères\u00a0: Barlow Condensed"),
    ],
)
def test_french_pages_put_a_no_break_space_before_colons(client, path, expected):
    assert expected in client.get(path).content.decode()


def test_english_pages_keep_their_own_punctuation(client):
    html = client.get("/en/personal-data/").content.decode()
    assert "Unconfirmed signatures: 7 days after signing, then erased." in html


def broken_context_processor(request):
    raise RuntimeError("the database is down")


def test_the_500_page_renders_even_when_the_context_processors_would_fail(rf, settings):
    import copy

    from core.errors import server_error

    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["OPTIONS"]["context_processors"].append(
        "tests.core.test_layout.broken_context_processor"
    )
    settings.TEMPLATES = templates
    response = server_error(rf.get("/victoires/"))
    assert response.status_code == 500
    assert "<h1>Une erreur est survenue</h1>" in response.content.decode()


def test_each_page_names_itself_in_both_languages_for_search_engines(client):
    html = client.get("/mentions-legales/").content.decode()
    assert '<link rel="alternate" hreflang="fr" href="http://testserver/mentions-legales/">' in html
    assert '<link rel="alternate" hreflang="en" href="http://testserver/en/legal-notice/">' in html
    missing = client.get("/nulle-part/").content.decode()
    assert 'hreflang="en"' not in missing.split("</head>")[0]
