"""The notices tell what the code does: periods read from the declarations, one true
sentence on what leaves the association, consents recorded as given."""

import re
from html import unescape

import pytest

from core.personal_data import declarations, rule
from tests.factories import PetitionFactory

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(html).replace("\u00a0", " "))


def test_the_petition_notice_prints_the_periods_the_code_enforces(client, settings):
    settings.PRIVACY_CONTACT_EMAIL = "droits@exemple.org"
    petition = PetitionFactory()
    html = _text(client.get(petition.get_absolute_url()).content.decode())
    assert f"effacée après {rule('petitions.unconfirmed').period.label()}" in html
    assert f"gardées {rule('petitions.signer-contact').period.label()} après" in html
    assert "droits@exemple.org" in html and "CNIL" in html
    assert "seuls des nombres de signatures" in html
    assert "autorités" not in html  # the old contradiction: "remise aux autorités"
    box = re.search(r'<input type="checkbox" name="share_name"[^>]*>', html).group(0)
    assert "checked" not in box and "required" not in box


def test_the_gift_notice_prints_the_periods_the_code_enforces(client):
    html = _text(client.get("/don/").content.decode())
    for key in ("donations.pending", "donations.bank-data", "donations.tax-records"):
        assert rule(key).period.label() in html
    assert "13 mois après le dernier prélèvement" in html


def test_the_privacy_page_lists_every_rule(client):
    html = _text(client.get("/donnees-personnelles/").content.decode())
    for decl in declarations():
        for item in decl.rules:
            assert f"{item.data} : {item.period.label()} après".replace("\u00a0", " ") in html
    english = _text(client.get("/en/personal-data/").content.decode())
    assert "Signers’ contact data (name, email address, postal code): 3 years after" in english
