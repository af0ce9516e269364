import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.models import EmailToken
from core.tokens import token_digest
from petitions.counts import petition_count
from petitions.models import Petition, Signature
from tests.factories import PetitionFactory

pytestmark = pytest.mark.django_db


def confirm_link(message) -> str:
    return re.search(r"http://testserver(/\S+/confirmer/[\w-]+/)", message.body).group(1)


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
    assert message.subject == "Confirmez votre signature\u00a0: Libérez Ana"
    assert "Bonjour Camille," in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert '<html lang="fr">' in html
    assert "Libérez Ana" in html
    link = confirm_link(message)
    assert f'href="http://testserver{link}"' in html
    assert ">Confirmer ma signature</a>" in html

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
    assert "<h1>Merci, votre signature compte\u00a0!</h1>" in thanks
    assert 'href="/don/"' in thanks

    again = client.get(link).content.decode()
    assert "Votre signature est déjà confirmée" in again


def sign(client, slug, data, **extra):
    return client.post(reverse("petitions:sign", args=[slug]), data, **extra)


def test_signing_again_in_any_case_keeps_one_signature_and_resends_while_pending(
    client, sign_data, django_capture_on_commit_callbacks
):
    PetitionFactory(slug="p")
    from django.core.cache import cache

    with django_capture_on_commit_callbacks(execute=True):
        first = sign(client, "p", sign_data(email="Camille.Martin@Exemple.fr"))
        second = sign(client, "p", sign_data(email="  camille.martin@EXEMPLE.FR "))
    # Sent again within minutes (a double click): the same page, no second email.
    assert Signature.objects.count() == 1
    assert first["Location"] == second["Location"]
    assert len(mail.outbox) == 1
    cache.clear()  # later (core.submissions.WINDOW has passed): the link is sent again
    with django_capture_on_commit_callbacks(execute=True):
        third = sign(client, "p", sign_data(email="camille.martin@exemple.fr"))
    assert third["Location"] == first["Location"]
    assert Signature.objects.count() == 1
    assert len(mail.outbox) == 2
    # The resend carries a new link; the one sent before no longer works.
    old, new = confirm_link(mail.outbox[0]), confirm_link(mail.outbox[1])
    assert old != new
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_plus_tags_and_dots_are_distinct_addresses(client, sign_data):
    PetitionFactory(slug="p")
    sign(client, "p", sign_data(email="camille@exemple.fr"))
    sign(client, "p", sign_data(email="camille+petitions@exemple.fr"))
    sign(client, "p", sign_data(email="cam.ille@exemple.fr"))
    assert Signature.objects.count() == 3


def test_the_database_refuses_a_second_signature_differing_only_in_case():
    from django.db import IntegrityError, transaction

    from tests.factories import SignatureFactory

    signature = SignatureFactory(email="ana@exemple.fr")
    with pytest.raises(IntegrityError), transaction.atomic():
        Signature.objects.create(
            petition=signature.petition,
            first_name="Ana",
            last_name="B",
            email="ANA@exemple.fr",
            country="FR",
        )


def test_a_stranger_learns_nothing_from_signing_with_a_confirmed_address(
    client, sign_data, django_capture_on_commit_callbacks
):
    from tests.factories import SignatureFactory

    petition = PetitionFactory(slug="p")
    SignatureFactory(petition=petition, email="deja@exemple.fr", confirmed_at="2026-11-01T10:00Z")
    with django_capture_on_commit_callbacks(execute=True):
        known = sign(client, "p", sign_data(email="DEJA@exemple.fr"))
        new = sign(client, "p", sign_data(email="nouvelle@exemple.fr"))
    assert known.status_code == new.status_code == 302
    assert known["Location"] == new["Location"]
    assert [m.to for m in mail.outbox] == [["nouvelle@exemple.fr"]]
    assert Signature.objects.count() == 2


def test_the_resend_page_answers_the_same_whether_or_not_the_address_signed(
    client, django_capture_on_commit_callbacks
):
    from tests.factories import SignatureFactory

    petition = PetitionFactory(slug="p")
    SignatureFactory(petition=petition, email="attente@exemple.fr")
    url = reverse("petitions:resend", args=["p"])
    assert "Recevoir de nouveau le lien de confirmation" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        pending = client.post(url, {"email": " Attente@exemple.fr"})
        unknown = client.post(url, {"email": "inconnue@exemple.fr"})
    assert pending["Location"] == unknown["Location"] == "/petitions/p/verifiez-vos-mails/"
    assert [m.to for m in mail.outbox] == [["attente@exemple.fr"]]


def test_a_form_with_mistakes_comes_back_with_french_messages_beside_each_field(client, sign_data):
    PetitionFactory(slug="p")
    response = sign(client, "p", sign_data(first_name="", email="pas-une-adresse"))
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        '<ul class="errorlist" id="id_first_name_errors"><li>Indiquez votre prénom.</li></ul>'
        in html
    )
    assert "<li>Cette adresse e-mail n’est pas valide (exemple\u00a0: nom@exemple.fr).</li>" in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_email_errors"' in html
    # The page opens at the form (a phone would otherwise show the top of the petition).
    assert 'action="/petitions/p/signer/#signer-titre"' in html
    alert = html.split('<div class="petition-alert" role="alert">')[1].split("</div>")[0]
    assert (
        "<li>Rien n’est encore envoyé\u00a0: corrigez les champs signalés ci-dessous.</li>" in alert
    )
    assert 'value="pas-une-adresse"' in html
    assert not Signature.objects.exists()


def test_an_unknown_link_shows_the_invalid_page(client):
    response = client.get(reverse("petitions:confirm", args=["0" * 64]))
    assert response.status_code == 404
    assert "Ce lien n’est plus valable" in response.content.decode()


def _signed(client, sign_data, capture, email="camille@exemple.fr"):
    PetitionFactory(slug="p")
    with capture(execute=True):
        sign(client, "p", sign_data(email=email))
    return confirm_link(mail.outbox[-1])


def test_the_link_serves_once_then_says_it_has_been_used(
    client, sign_data, django_capture_on_commit_callbacks
):
    link = _signed(client, sign_data, django_capture_on_commit_callbacks)
    token = link.rstrip("/").rsplit("/", 1)[1]
    row = EmailToken.objects.get(purpose="signature")
    assert row.digest == token_digest(token) and row.used_at is None
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(link)
        second = client.post(link)  # a double click: the same thanks, counted once
    assert first["Location"] == second["Location"] == "/petitions/p/merci/"
    assert Petition.objects.with_confirmed_total().get().confirmed_total == 1
    row.refresh_from_db()
    assert row.used_at is not None
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        page = client.get(link)
        assert page.status_code == 404
        assert "a déjà servi ou a expiré" in page.content.decode()
        assert client.post(link).status_code == 404


def test_the_link_expires_with_the_unconfirmed_signature_after_7_days(
    client, sign_data, django_capture_on_commit_callbacks
):
    link = _signed(client, sign_data, django_capture_on_commit_callbacks)
    with time_machine.travel(timezone.now() + timedelta(days=6, hours=23)):
        assert client.get(link).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        assert client.post(link).status_code == 404
    assert Signature.objects.get().confirmed_at is None


def test_rotating_the_secret_key_breaks_no_link_already_sent(
    client, sign_data, django_capture_on_commit_callbacks, settings
):
    link = _signed(client, sign_data, django_capture_on_commit_callbacks)
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 50
    settings.SECRET_KEY_FALLBACKS = []
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(link)["Location"] == "/petitions/p/merci/"
    assert Signature.objects.get().confirmed_at is not None


def test_an_english_signer_gets_english_mail_with_an_english_link(
    client, sign_data, django_capture_on_commit_callbacks
):
    PetitionFactory(slug="p", title_fr="Libérez Ana", title_en="Free Ana")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/petitions/p/sign/", sign_data(email="en@exemple.fr"))
    assert response["Location"] == "/en/petitions/p/check-your-email/"
    assert Signature.objects.get().language == "en"
    message = mail.outbox[0]
    assert message.subject == "Confirm your signature: Free Ana"
    assert "Hello Camille," in message.body
    assert "http://testserver/en/petitions/confirm/" in message.body
    html = message.alternatives[0][0]
    assert '<html lang="en">' in html
    assert ">Confirm my signature</a>" in html
    assert "Bonjour" not in html and "Confirmer" not in html


def test_the_petition_page_shows_the_count_and_the_goal_the_french_way(client):
    petition = PetitionFactory(slug="p", goal=50000, offline_count=12345)
    html = client.get(petition.get_absolute_url()).content.decode()
    assert "<strong>12\u00a0345</strong> signatures · objectif 50\u00a0000" in html
    assert '<progress class="petition-counter__bar" max="50000" value="12345"' in html
    # On a phone the form comes after the text: a link near the top leads to it.
    assert '<a class="button button--accent" href="#signer-titre">Signer la pétition</a>' in html
    assert "Responsable\u00a0:" in html


def test_drafts_are_not_shown_and_closed_petitions_take_no_signature(client, sign_data):
    PetitionFactory(slug="brouillon", status="draft")
    PetitionFactory(slug="close", status="closed")
    assert client.get("/petitions/brouillon/").status_code == 404
    closed = client.get("/petitions/close/").content.decode()
    assert "Cette pétition est close" in closed
    assert 'href="#signer-titre"' not in closed
    sign(client, "close", sign_data())
    assert not Signature.objects.exists()


def test_a_petition_closed_takes_no_signature_from_the_next_post(client, sign_data, settings):
    settings.PAGE_CACHE_LOCAL_SECONDS = 5  # the process keeps what it read (tests say 0)
    petition = PetitionFactory(slug="p")
    assert sign(client, "p", sign_data(email="a@exemple.fr"))["Location"].endswith(
        "/p/verifiez-vos-mails/"
    )
    # Signing keeps the petition's columns in memory; a save in this process drops them.
    petition.status = Petition.Status.CLOSED
    petition.save()
    assert sign(client, "p", sign_data(email="b@exemple.fr"))["Location"] == "/petitions/p/"
    assert list(Signature.objects.values_list("email", flat=True)) == ["a@exemple.fr"]


def test_a_petition_closed_by_another_process_takes_no_signature_a_moment_later(
    client, sign_data, settings
):
    import time

    from core.cache import namespace_bump

    settings.PAGE_CACHE_LOCAL_SECONDS = 0.05
    petition = PetitionFactory(slug="p")
    sign(client, "p", sign_data(email="a@exemple.fr"))
    # Another process saves it: the row changes and the pages version moves in the shared
    # cache, but this process's memory is not told.
    Petition.objects.filter(pk=petition.pk).update(status=Petition.Status.CLOSED)
    namespace_bump("pages")
    time.sleep(0.06)
    assert sign(client, "p", sign_data(email="b@exemple.fr"))["Location"] == "/petitions/p/"
    assert Signature.objects.count() == 1


def test_the_list_shows_open_petitions_only(client):
    PetitionFactory(title="Ouverte", slug="ouverte")
    PetitionFactory(title="Brouillon", slug="brouillon", status="draft")
    PetitionFactory(title="Gagnée", slug="gagnee", status="won")
    html = client.get("/petitions/").content.decode()
    assert "Ouverte" in html
    assert "Brouillon" not in html and "Gagnée" not in html


def test_the_sign_address_takes_only_posts_and_the_page_only_reads(client):
    PetitionFactory(slug="p")
    assert client.get("/petitions/p/signer/").status_code == 405
    assert client.post("/petitions/p/").status_code == 405


def test_the_signing_service_refuses_a_country_code_no_list_offers(db):
    from django.core.exceptions import ValidationError

    from petitions.services import signature_create

    petition = PetitionFactory()
    with pytest.raises(ValidationError) as refused:
        signature_create(
            petition=petition,
            first_name="Ana",
            last_name="Test",
            email="ana@example.org",
            country="ZZ",
            language="fr",
        )
    assert "country" in refused.value.message_dict
    assert not Signature.objects.exists()


def test_a_country_code_no_list_offers_is_refused_in_french_beside_the_field(client, db):
    petition = PetitionFactory()
    response = client.post(
        reverse("petitions:sign", kwargs={"slug": petition.slug}),
        {"first_name": "Ana", "last_name": "Test", "email": "ana@example.org", "country": "ZZ"},
        HTTP_SEC_FETCH_SITE="same-origin",
    )
    assert "Choisissez votre pays dans la liste." in response.content.decode()
    assert not Signature.objects.exists()


def test_an_empty_signing_form_names_what_each_field_needs(client, db):
    petition = PetitionFactory()
    response = client.post(
        reverse("petitions:sign", kwargs={"slug": petition.slug}),
        {},
        HTTP_SEC_FETCH_SITE="same-origin",
    )
    html = response.content.decode()
    assert "Ce champ est obligatoire" not in html
    assert "Indiquez votre prénom." in html and "Choisissez votre pays." in html
