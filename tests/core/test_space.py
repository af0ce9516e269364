"""The personal space (« /don/mon-don/ »): the emailed link, the session, export and erasure."""

import json
import logging
import re
from datetime import timedelta
from html import unescape

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from core.models import EmailToken, PrivacyRequest
from core.space import IDLE_SECONDS
from petitions.models import Petition, Signature
from petitions.services import signature_confirm
from tests.factories import MandateFactory, PetitionFactory, SignatureFactory

pytestmark = pytest.mark.django_db

SPACE = "/don/mon-don/"
EMAIL = "Ana.Lopez@Exemple.fr"
_capture = None


@pytest.fixture
def ana():
    """Ana gives 20 € a month and signed one petition (confirmed)."""
    mandate = MandateFactory(donor__email=EMAIL, donor__first_name="Ana", amount=20)
    signature = SignatureFactory(email=EMAIL.lower(), first_name="Ana")
    signature_confirm(signature=signature)
    return {"mandate": mandate, "signature": signature}


@pytest.fixture(autouse=True)
def _on_commit(django_capture_on_commit_callbacks):
    global _capture
    _capture = django_capture_on_commit_callbacks


def _ask(client, email, **extra):
    """Ask for a link; the email task runs once the request's transaction commits."""
    with _capture(execute=True):
        return client.post(SPACE, {"email": email}, **extra)


def _link(message) -> str:
    return re.search(r"http://testserver(/\S+/ouvrir/\S+/)", message.body).group(1)


def _open(client, email=EMAIL):
    _ask(client, email)
    link = _link(mail.outbox[-1])
    return client.post(link)


def test_the_urls_are_the_promised_ones(client):
    assert client.get("/don/mon-don/").status_code == 200
    assert client.get("/en/donate/my-gift/").status_code == 200


def test_asking_for_a_link_emails_one_to_a_known_address(client, ana):
    response = _ask(client, "  ana.lopez@exemple.FR ")
    assert response.status_code == 302 and response["Location"] == "/don/mon-don/lien-envoye/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ana.lopez@exemple.fr"]
    assert "/don/mon-don/ouvrir/" in message.body
    raw = _link(message).rstrip("/").rsplit("/", 1)[1]
    assert raw not in "".join(EmailToken.objects.values_list("digest", flat=True))


def test_the_answer_never_tells_whether_the_address_is_known(client, ana):
    known = _ask(client, EMAIL)
    unknown = _ask(client, "personne@exemple.fr")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(mail.outbox) == 1  # nothing goes to an address nobody gave us
    page = client.get(known["Location"])
    assert "Si cette adresse figure parmi nos donateurs ou nos signataires" in page.text
    assert EMAIL.lower() not in page.text.lower()


def test_a_bad_address_gets_a_french_message_next_to_the_field(client):
    response = _ask(client, "pas-une-adresse")
    assert response.status_code == 200
    assert "Cette adresse e-mail n’est pas valide" in unescape(response.text).replace("'", "’")
    assert len(mail.outbox) == 0


def test_the_link_opens_only_through_a_post(client, ana):
    _ask(client, EMAIL)
    link = _link(mail.outbox[0])
    page = client.get(link)  # a mail scanner follows the link
    assert page.status_code == 200 and "Ouvrir mon espace" in page.text
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    assert "Mandat" not in client.get(SPACE).text  # still closed
    opened = client.post(link)
    assert opened.status_code == 302 and opened["Location"] == SPACE
    space = client.get(SPACE)
    assert ana["mandate"].rum in space.text
    assert ana["signature"].petition.title in space.text


def test_the_link_serves_once(client, ana):
    _ask(client, EMAIL)
    link = _link(mail.outbox[0])
    assert client.post(link).status_code == 302
    assert client.post(link).status_code == 404
    other = client.__class__()
    assert other.get(link).status_code == 404


def test_the_link_expires_after_an_hour(client, ana):
    _ask(client, EMAIL)
    link = _link(mail.outbox[0])
    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        response = client.post(link)
    assert response.status_code == 404
    assert "Ce lien n" in response.text


def test_a_new_link_replaces_the_earlier_one(client, ana):
    _ask(client, EMAIL)
    _ask(client, EMAIL)
    first, second = (_link(message) for message in mail.outbox)
    assert client.post(first).status_code == 404
    assert client.post(second).status_code == 302


def test_the_space_closes_after_30_idle_minutes(client, ana):
    _open(client)
    start = timezone.now()
    with time_machine.travel(start + timedelta(seconds=IDLE_SECONDS - 60)):
        assert ana["mandate"].rum in client.get(SPACE).text
    with time_machine.travel(start + timedelta(seconds=2 * IDLE_SECONDS - 120)):
        assert ana["mandate"].rum in client.get(SPACE).text  # each visit moves the end
    with time_machine.travel(start + timedelta(seconds=3 * IDLE_SECONDS)):
        page = client.get(SPACE)
    assert ana["mandate"].rum not in page.text
    assert "Recevoir mon lien" in page.text


def test_link_requests_are_rate_limited(client, ana):
    answers = [_ask(client, EMAIL).status_code for _ in range(6)]
    assert answers == [302] * 5 + [429]
    assert len(mail.outbox) == 5


def test_the_space_pages_are_never_cached(client, ana):
    _open(client)
    for url in (SPACE, "/don/mon-don/effacer/"):
        assert "no-store" in client.get(url)["Cache-Control"]


def test_the_space_is_not_in_the_page_cache_allow_list(settings):
    assert not any("space" in name for name in settings.PAGE_CACHE_URL_NAMES)


def test_an_export_is_one_json_document_and_is_journaled(client, ana):
    _open(client)
    response = client.post("/don/mon-don/mes-donnees/")
    document = json.loads(response.content)
    assert document["email"] == EMAIL.lower()
    assert len(document["apps"]["petitions"]["signatures"]) == 1
    entry = PrivacyRequest.objects.get()
    assert (entry.kind, entry.channel, entry.identity_checked) == ("export", "self", True)


def test_erasing_asks_for_the_box_then_erases_and_closes_the_space(client, ana, caplog):
    _open(client)
    refused = client.post("/don/mon-don/effacer/", {})
    assert "Cochez cette case pour confirmer l’effacement." in unescape(refused.text).replace(
        "'", "’"
    )
    assert Signature.objects.filter(email__iexact=EMAIL).exists()
    with caplog.at_level(logging.DEBUG):
        done = client.post("/don/mon-don/effacer/", {"sure": "on"})
    assert done.status_code == 200 and "Vos données sont effacées" in done.text
    assert not Signature.objects.filter(email__iexact=EMAIL).exists()
    petition = ana["signature"].petition
    assert (
        Petition.objects.with_confirmed_total().get(pk=petition.pk).confirmed_total == 1
    )  # anonymised, still counted
    assert PrivacyRequest.objects.filter(kind="erase", channel="self").exists()
    assert EMAIL.lower() not in caplog.text.lower()
    assert ana["mandate"].rum not in client.get(SPACE).text


def test_withdrawing_a_signature_lowers_the_count_and_is_journaled(client, ana):
    _open(client)
    signature = ana["signature"]
    response = client.post(f"/don/mon-don/signature/{signature.pk}/retirer/")
    assert response.status_code == 302
    assert (
        Petition.objects.with_confirmed_total().get(pk=signature.petition_id).confirmed_total == 0
    )
    entry = PrivacyRequest.objects.get(kind="withdraw")
    assert entry.erased_ids == {"petitions.signature": [signature.pk]}


def test_nobody_withdraws_another_persons_signature(client, ana):
    other = SignatureFactory(petition=PetitionFactory())
    _open(client)
    assert client.post(f"/don/mon-don/signature/{other.pk}/retirer/").status_code == 404
    assert Signature.objects.filter(pk=other.pk).exists()


def test_the_space_needs_an_open_session(client, ana):
    signature = ana["signature"]
    response = client.post(f"/don/mon-don/signature/{signature.pk}/retirer/")
    assert response.status_code == 302 and response["Location"] == "/don/mon-don/?fin=1"
    assert Signature.objects.filter(pk=signature.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_a_known_and_an_unknown_address_queue_one_task_each(client, settings):
    """The same write either way (the queue is the database, as in production), so the
    answer's timing does not tell them apart; only the known one gets an email."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    MandateFactory(donor__email=EMAIL)
    client.post(SPACE, {"email": EMAIL})
    client.post(SPACE, {"email": "personne@exemple.fr"})
    queued = sorted(row.task_path.rsplit(".", 1)[1] for row in DBTaskResult.objects.all())
    assert queued == ["space_link_email", "space_link_nobody"]
    assert all("@" not in str(row.args_kwargs) for row in DBTaskResult.objects.all())
