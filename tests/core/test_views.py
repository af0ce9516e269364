"""Pages every site has: robots.txt and the legal notice."""

import pytest
from django.conf import settings
from django.test import override_settings

pytestmark = pytest.mark.django_db


@override_settings(SITE_URL="https://victoires.example.org")
def test_robots_txt_names_the_sitemap_and_not_the_admin(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert text.splitlines()[0] == "User-agent: *"
    assert "Sitemap: https://victoires.example.org/sitemap.xml" in text.splitlines()
    assert settings.ADMIN_URL.strip("/") not in text and "admin" not in text


@override_settings(
    ORGANISATION_NAME="Section française de l’ONG",
    ORGANISATION_STATUS="Association loi 1901",
    ORGANISATION_ADDRESS="12 rue des Libertés, 75011 Paris",
    ORGANISATION_PHONE="01 23 45 67 89",
    ORGANISATION_REGISTRATION="RNA W751234567",
    ORGANISATION_PUBLICATION_DIRECTOR="Claire Martin, présidente",
    HOST_NAME="Hébergeur SAS",
    HOST_ADDRESS="3 quai du Port, 13002 Marseille",
    HOST_PHONE="04 11 22 33 44",
    ORGANISATION_IS_DEMO=False,
)
@pytest.mark.parametrize("path", ["/mentions-legales/", "/en/legal-notice/"])
def test_the_legal_notice_names_the_publisher_and_the_host(client, path):
    html = client.get(path).content.decode()
    for value in [
        "Section française de l’ONG",
        "Association loi 1901",
        "12 rue des Libertés, 75011 Paris",
        "01 23 45 67 89",
        "RNA W751234567",
        "Claire Martin, présidente",
        "Hébergeur SAS",
        "3 quai du Port, 13002 Marseille",
        "04 11 22 33 44",
    ]:
        assert f"<dd>{value}</dd>" in html, value
    assert "démonstration" not in html.split("<main")[1].split("Crédits")[0].lower()
