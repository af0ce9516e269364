"""The error pages: 400, 403, 404, 429, 500 and 503, in the path's language, never raising."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from core import errors
from tests.factories import PetitionFactory

pytestmark = pytest.mark.django_db

TITLES = {
    400: ("Demande invalide", "Bad request"),
    403: ("Accès refusé", "Access denied"),
    404: ("Page introuvable", "Page not found"),
    429: ("Trop de demandes", "Too many requests"),
    500: ("Une erreur est survenue", "An error occurred"),
    503: ("Service momentanément indisponible", "Service temporarily unavailable"),
}


@pytest.mark.parametrize("status", errors.STATUSES)
@pytest.mark.parametrize(("path", "language"), [("/quelque/part/", "fr"), ("/en/some/", "en")])
def test_every_error_page_speaks_the_language_of_the_path_and_leads_home(status, path, language):
    request = RequestFactory().get(path)
    response = errors.error_page(request, status)
    html = response.content.decode()
    assert response.status_code == status
    assert f'<html lang="{language}">' in html
    title = TITLES[status][0 if language == "fr" else 1]
    assert f"<h1>{title}</h1>" in html
    assert f'href="{"/en/" if language == "en" else "/"}"' in html
    assert response["Cache-Control"] == "no-store"


def test_the_429_page_says_when_to_come_back():
    response = errors.too_many_requests(RequestFactory().get("/"), retry_after=3600)
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"


def test_an_error_page_that_cannot_render_falls_back_to_a_fixed_page(settings):
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [], "APP_DIRS": False, "OPTIONS": {}},
    ]
    response = errors.error_page(RequestFactory().get("/en/x/"), 500)
    assert response.status_code == 500
    assert "<h1>An error occurred</h1>" in response.content.decode()


@pytest.mark.parametrize("charset", ["latin-1", "iso-8859-15", "utf-16", "cp1252", "nope"])
@pytest.mark.parametrize("path", ["/", "/don/", "/petitions/une-petition/signer/", "/admin/"])
def test_a_form_posted_in_any_charset_gets_a_client_error_page(charset, path):
    from django.test import Client

    # As a browser or a scanner would: the CSRF check is on.
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    response = client.generic(
        "POST",
        path,
        b"first_name=Ren%E9&email=a%40b.fr",
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
    )
    assert 400 <= response.status_code < 500, response.status_code
    assert "<h1>" in response.content.decode()


def test_a_form_posted_in_latin_1_with_csrf_checks_on_gets_a_400(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True, raise_request_exception=False)
    response = strict.generic(
        "POST", "/don/", b"a=%E9", content_type="application/x-www-form-urlencoded; charset=latin-1"
    )
    assert response.status_code == 400
    assert "Demande invalide" in response.content.decode()


def test_a_form_without_its_csrf_token_gets_the_expired_form_page_in_english():
    from django.test import Client

    # (The gift and signing forms, shown on cached pages, follow core.csrf's rules instead.)
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/en/petitions/any/resend/", {"email": "a@b.fr"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Form expired" in html
    assert '<html lang="en">' in html


@pytest.mark.parametrize(
    "path",
    [
        "/victoires/?pays=%00",
        "/victoires/?pays=FR%01",
        "/victoires/?%1Bkey=1",
        "/nulle-part/%00/",
        "/en/victories/?issue=%7F%08",
        "/admin/petitions/signature/?country__exact=%00",
        "/admin/donations/mandate/?state__exact=%00",
        "/admin/cases/case/?q=%00",
    ],
)
def test_a_control_character_in_the_url_gets_a_400(client, admin_client, path):
    for who in (client, admin_client):
        response = who.get(path)
        assert response.status_code == 400, (path, response.status_code)


def test_tab_line_feed_and_carriage_return_in_a_query_are_no_error(client):
    assert client.get("/victoires/", {"pays": "FR\t\r\n"}).status_code == 200


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("Ca\x00mille", "Le caractère nul n’est pas autorisé."),
        ("Cam\x0bille", "Ce texte contient un caractère invisible interdit"),
        ("Cam\x1fille", "Ce texte contient un caractère invisible interdit"),
    ],
)
def test_a_control_character_in_a_posted_field_is_a_form_error_and_stores_nothing(
    client, settings, value, message
):
    from petitions.models import Signature

    settings.PETITION_MIN_FILL_SECONDS = 0
    petition = PetitionFactory()
    url = reverse("petitions:sign", kwargs={"slug": petition.slug})
    data = {"first_name": value, "last_name": "M", "email": "c@exemple.fr", "country": "FR"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Signature.objects.count() == 0


def test_a_control_character_or_a_line_break_in_an_admin_form_is_a_form_error(admin_client):
    from cases.models import Case

    for name in ("Ana\x07", "Ana\nExemple"):
        response = admin_client.post("/admin/cases/case/add/", {"name": name})
        assert response.status_code == 200
        assert response.context["adminform"].form.has_error("name")
    assert not Case.objects.exists()


def test_a_line_break_in_a_one_line_field_is_a_form_error(client, settings):
    from petitions.models import Signature

    settings.PETITION_MIN_FILL_SECONDS = 0
    petition = PetitionFactory()
    url = reverse("petitions:sign", kwargs={"slug": petition.slug})
    response = client.post(
        url,
        {
            "first_name": "Camille\r\nBcc: x@exemple.fr",
            "last_name": "Martin",
            "email": "camille@exemple.fr",
            "country": "FR",
        },
    )
    assert response.status_code == 200
    assert "Ce champ tient sur une ligne" in response.content.decode()
    assert Signature.objects.count() == 0


def test_a_429_from_a_view_carries_retry_after(client):
    from django.http import HttpResponse

    from core.middleware import HostileInputMiddleware

    middleware = HostileInputMiddleware(lambda request: HttpResponse(status=429))
    response = middleware(RequestFactory().get("/"))
    assert response["Retry-After"] == "60"
