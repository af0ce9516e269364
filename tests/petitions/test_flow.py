import re

import pytest
from django.core import mail
from django.urls import reverse

from petitions.counts import petition_count
from petitions.models import Signature
from tests.factories import PetitionFactory

pytestmark = pytest.mark.django_db


def confirm_link(message) -> str:
    return re.search(r"http://testserver(/\S+/confirmer/\w+/)", message.body).group(1)


def test_signing_sends_a_link_and_only_the_post_confirms(
    client, sign_data, django_capture_on_commit_callbacks
):
    petition = PetitionFactory(slug="liberez-ana", title="Libérez Ana", offline_count=100)
    assert petition_count(petition.pk) == 100

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("petitions:sign", args=["liberez-ana"]), sign_data())
    assert response.status_code == 302
    assert response["Location"] == "/petitions/liberez-ana/verifiez-vos-mails/"
    page = client.get(response["Location"]).content.decode()
    assert "<h1>Vérifiez votre boîte mail</h1>" in page

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["camille@exemple.fr"]
    assert message.subject == "Confirmez votre signature : Libérez Ana"
    assert "Bonjour Camille," in message.body
    assert message.alternatives[0][1] == "text/html"
    link = confirm_link(message)

    page = client.get(link)
    assert page.status_code == 200
    assert "Je confirme ma signature" in page.content.decode()
    assert Signature.objects.get().confirmed_at is None
    assert petition_count(petition.pk) == 100

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link)
    assert response["Location"] == "/petitions/liberez-ana/merci/"
    assert Signature.objects.get().confirmed_at is not None
    assert petition_count(petition.pk) == 101
    thanks = client.get(response["Location"]).content.decode()
    assert "Merci, votre signature compte !" in thanks
    assert 'href="/don/"' in thanks

    again = client.get(link).content.decode()
    assert "Votre signature est déjà confirmée" in again
