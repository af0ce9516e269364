"""One-click unsubscribe from the newsletter (RFC 8058): the headers, the POST endpoint."""

import re

import pytest
from django.core import mail
from django.test import Client

from core.mail import mail_send
from core.models import PrivacyRequest
from core.unsubscribe import unsubscribe_headers, unsubscribe_url
from donations.models import Donor
from petitions.models import Signature
from petitions.services import signature_confirm
from tests.factories import MandateFactory, SignatureFactory

pytestmark = pytest.mark.django_db

EMAIL = "ana@exemple.fr"


@pytest.fixture
def ana():
    signature = SignatureFactory(email=EMAIL, newsletter=True, newsletter_consent_text="Oui")
    signature_confirm(signature=signature)
    donor = MandateFactory(donor__email="Ana@Exemple.fr", donor__newsletter=True).donor
    return {"signature": signature, "donor": donor}


def test_a_newsletter_email_carries_the_one_click_headers(ana):
    signature = ana["signature"]
    mail_send(
        to=EMAIL,
        template="core/email/space_link",  # any template: the headers are the point
        context={"link": "x", "hours": 1},
        language="fr",
        headers=unsubscribe_headers("petitions.signature", signature.pk),
    )
    message = mail.outbox[0].message()
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = re.fullmatch(r"<(.+)>", message["List-Unsubscribe"]).group(1)
    assert url == unsubscribe_url("petitions.signature", signature.pk)
    assert url.startswith("http://testserver/lettre/desinscription/")
    # The link names no address: only the row's id, signed (random letters may spell « ana »).
    path = url.removeprefix("http://testserver/lettre/desinscription/")
    assert EMAIL.lower() not in url.lower() and "exemple" not in path.lower()


def test_the_one_click_post_needs_no_csrf_token_and_withdraws_everywhere(ana):
    url = unsubscribe_url("petitions.signature", ana["signature"].pk)
    provider = Client(enforce_csrf_checks=True)
    response = provider.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Signature.objects.get(pk=ana["signature"].pk).newsletter
    assert Signature.objects.get(pk=ana["signature"].pk).newsletter_consent_text == "Oui"
    assert not Donor.objects.get(pk=ana["donor"].pk).newsletter
    entry = PrivacyRequest.objects.get()
    assert (entry.kind, entry.channel) == ("optout", "link")
    assert entry.summary == {
        "petitions": {"newsletter_withdrawn": 1},
        "donations": {"newsletter_withdrawn": 1},
    }
    assert EMAIL not in str(entry.summary)
    assert provider.post(url).status_code == 200  # again: nothing left to withdraw, no error


def test_opening_the_link_withdraws_nothing_until_the_button(client, ana):
    url = unsubscribe_url("donations.donor", ana["donor"].pk, language="en")
    assert url.startswith("http://testserver/en/newsletter/unsubscribe/")
    page = client.get(url)
    assert page.status_code == 200 and "Unsubscribe me" in page.content.decode()
    assert Donor.objects.get(pk=ana["donor"].pk).newsletter
    assert not PrivacyRequest.objects.exists()


@pytest.mark.parametrize("token", ["x", "a" * 500, "WyJhdXRoLnVzZXIiLCAxXQ:bad:sig"])
def test_a_bad_token_is_a_404_never_a_500(client, token):
    response = client.post(f"/lettre/desinscription/{token}/")
    assert response.status_code == 404
    assert not PrivacyRequest.objects.exists()


def test_the_newsletter_export_gives_each_row_its_unsubscribe_link(client, ana):
    from tests.petitions.test_staff import _csv, export_url, staff

    client.force_login(staff("mob", "Mobilisation"))
    petition = ana["signature"].petition
    data = {"purpose": "newsletter", "columns": ["email", "unsubscribe_url"]}
    rows = _csv(client.post(export_url(petition), data))
    assert rows[0][-1] == "Lien de désinscription"
    assert rows[1][-1] == unsubscribe_url("petitions.signature", ana["signature"].pk)
