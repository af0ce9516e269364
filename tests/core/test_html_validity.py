"""Every public page, in French and English, is valid HTML for the W3C Nu HTML checker:
the sitemap's pages, the form-result, confirmation and error pages (core/audit.py, and every
error page core/errors.py draws), with the demo content."""

import io

import pytest
from django.core.management import call_command
from django.test import RequestFactory

from core.audit import SAME_ORIGIN, AuditPage, public_pages, sitemap_paths
from core.errors import error_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", "--allow-production", stdout=io.StringIO())


def fetch(client, page: AuditPage):
    if page.data is None:
        return client.get(page.path)
    return client.post(page.path, page.data, headers=SAME_ORIGIN)


def test_the_audit_covers_the_sitemap_and_the_pages_a_visitor_reaches_by_acting(client, demo):
    sitemap = client.get("/sitemap.xml").content
    pages = public_pages(sitemap)
    labels = [page.label for page in pages]
    assert set(sitemap_paths(sitemap)) <= set(labels)
    for expected in (
        "/",
        "/en/",
        "/victoires/",
        "/en/victories/",
        "/nulle-part/",
        "/en/nowhere/",
        "/petitions/confirmer/jeton-inconnu/",
        "/en/petitions/confirm/jeton-inconnu/",
        "POST /don/",
        "POST /en/donate/",
    ):
        assert expected in labels
    for prefix in ("/don/envoye/?don=", "/don/confirmer/", "/don/merci/", "/petitions/confirmer/"):
        assert any(label.startswith(prefix) for label in labels), prefix
    assert len(labels) == len(set(labels))


def test_every_public_page_is_valid_html_in_both_languages(client, demo, vnu):
    documents = {}
    for page in public_pages(client.get("/sitemap.xml").content):
        response = fetch(client, page)
        assert response.status_code < 500, page.label
        if page.data is not None:  # the form came back with its errors, nothing stored
            assert response.status_code == 200, page.label
            assert 'aria-invalid="true"' in response.content.decode(), page.label
        documents[page.label] = response.content.decode()
    assert len(documents) > 40
    # The error pages a visitor can meet besides the 404, in both languages.
    for path in ("/victoires/", "/en/victories/"):
        for status, reason in (
            (400, ""),
            (403, ""),
            (403, "csrf"),
            (429, ""),
            (500, ""),
            (503, ""),
        ):
            response = error_page(RequestFactory().get(path), status, reason=reason, retry_after=60)
            assert response.status_code == status
            documents[f"{status} {reason} {path}"] = response.content.decode()
    errors = vnu(documents)
    assert not errors, "\n".join(
        f"{label}:\n  " + "\n  ".join(messages) for label, messages in errors.items()
    )


def test_the_checker_finds_an_error_when_there_is_one(vnu):
    page = '<!doctype html><html lang="fr"><title>x</title><input autocomplete="street-address">'
    errors = vnu({"/don/": page, "/ok/": page.replace("street-address", "address-line1")})
    assert list(errors) == ["/don/"]
    assert "autocomplete" in errors["/don/"][0]
