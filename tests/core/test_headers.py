"""Every answer carries the security headers: a public page, a form page, an admin page and
a static file."""

import re

import pytest
from django.conf import settings as django_settings

from core.headers import admin_style_hashes, csp_hash
from tests.factories import PetitionFactory

pytestmark = pytest.mark.django_db

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
    "object-src 'none'; base-uri 'none'"
)


def directives(header):
    return dict((part.split()[0], part.split()[1:]) for part in header.split(";") if part.strip())


@pytest.fixture
def hsts(settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True


def assert_security_headers(response, *, admin=False):
    csp = response["Content-Security-Policy"]
    if admin:
        found = directives(csp)
        assert found["style-src"] == ["'self'", *admin_style_hashes()]
        assert {**found, "style-src": ["'self'"]} == directives(POLICY)
    else:
        assert directives(csp) == directives(POLICY)
    assert "unsafe-inline" not in csp and "nonce-" not in csp and "unsafe-eval" not in csp
    policy = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_public_page_carries_every_header(client, hsts):
    response = client.get("/victoires/", secure=True)
    assert response.status_code == 200
    assert_security_headers(response)
    assert response["X-Frame-Options"] == "DENY"


def test_a_form_page_carries_every_header(client, hsts):
    petition = PetitionFactory()
    for path in (petition.get_absolute_url(), "/don/", "/en/donate/"):
        response = client.get(path, secure=True)
        assert response.status_code == 200, path
        assert_security_headers(response)


def test_an_admin_page_carries_every_header_with_the_hashes_of_djangos_inline_styles(
    admin_client, hsts
):
    response = admin_client.get("/admin/cases/case/", secure=True)
    assert response.status_code == 200
    assert_security_headers(response, admin=True)
    # Each inline <style> the admin sends is allowed by its hash, and only those.
    for block in re.findall(r"<style>(.*?)</style>", response.content.decode(), re.S):
        assert csp_hash(block) in admin_style_hashes()
    assert "<script>" not in response.content.decode()


def test_a_static_file_carries_every_header(client, hsts):
    response = client.get("/static/css/site.css", secure=True)
    assert response.status_code == 200
    assert_security_headers(response)


def test_an_error_page_carries_every_header(client, hsts):
    response = client.get("/nulle-part/", secure=True)
    assert response.status_code == 404
    assert_security_headers(response)


def test_public_templates_hold_no_inline_script_style_or_style_attribute():
    from pathlib import Path

    root = Path(django_settings.BASE_DIR) / "templates"
    offending = []
    for template in root.rglob("*.html"):
        if "email" in template.parts:  # emails are not pages: mail clients need inline CSS
            continue
        text = template.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>|<style|\sstyle=", text):
            offending.append(str(template.relative_to(root)))
    assert offending == []


def test_hsts_defaults_to_one_year_in_production():
    assert django_settings.SECURE_HSTS_SECONDS == 0  # the tests' own value
    source = (django_settings.BASE_DIR / "config" / "settings.py").read_text()
    assert "default=0 if DEBUG else 60 * 60 * 24 * 365" in source


def test_pages_leave_compressed_from_the_cache_too_and_keep_their_headers(client, hsts):
    import gzip

    from tests.factories import CaseFactory

    CaseFactory(name="Ana Exemple", country="TR")
    plain = client.get("/victoires/").content
    for _ in range(2):  # built, then from the page cache
        response = client.get("/victoires/", secure=True, headers={"Accept-Encoding": "gzip"})
        assert response["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response["Vary"]
        assert_security_headers(response)
        assert gzip.decompress(response.content) == plain
        assert len(response.content) < len(plain) / 2


def test_the_policy_built_once_per_process_is_the_one_django_csp_builds(rf, settings):
    from csp.decorators import csp_update
    from django.http import HttpResponse

    from core.headers import ContentSecurityPolicyMiddleware

    settings.DEBUG = False
    plain = HttpResponse("ok")
    own = csp_update({"img-src": ["https://images.example.org"]})(lambda request: HttpResponse())
    answers = {"/": lambda request: plain, "/own/": own}
    middleware = ContentSecurityPolicyMiddleware(lambda request: answers[request.path](request))
    for _ in range(2):  # built on the first answer, reused on the second
        response = middleware(rf.get("/"))
        assert directives(response["Content-Security-Policy"]) == directives(POLICY)
        del plain["Content-Security-Policy"]
    # A view's own policy and the admin still go through django-csp.
    assert "https://images.example.org" in middleware(rf.get("/own/"))["Content-Security-Policy"]
    answers["/" + django_settings.ADMIN_URL] = lambda request: HttpResponse()
    admin = middleware(rf.get("/" + django_settings.ADMIN_URL))
    assert admin_style_hashes()[0] in admin["Content-Security-Policy"]
