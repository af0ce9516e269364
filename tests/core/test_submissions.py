"""A form sent again is recognised by its content: one row, one email, the same page, no
429 after a success, none of the visitor's limits used by their own repeats."""

from urllib.parse import unquote

import pytest
from django.core import mail

from core.mail import address_is_sendable
from core.submissions import submission_claim
from donations.models import Mandate
from petitions.models import Signature
from tests.clients import SecondFactorClient
from tests.concurrency import in_threads
from tests.core.test_robustness import _gift_data, _signature_data
from tests.factories import PetitionFactory, TierFactory

pytestmark = pytest.mark.django_db


def test_a_claim_is_first_then_repeated_with_the_same_key():
    first = submission_claim(kind="t", content=["a@exemple.fr", "15"])
    again = submission_claim(kind="t", content=["a@exemple.fr", "15"])
    other = submission_claim(kind="t", content=["a@exemple.fr", "25"])
    assert not first.repeat and again.repeat and not other.repeat
    assert again.key == first.key != other.key
    assert len(first.key) <= 64
    assert "exemple" not in first.cache_key


@pytest.fixture
def gift_world(db, settings):
    TierFactory(amount=15, is_default=True)


def test_the_same_gift_sent_ten_times_makes_one_mandate_and_one_email(
    client, gift_world, django_capture_on_commit_callbacks
):
    data = _gift_data()
    answers = []
    for n in range(10):
        if n == 5:
            data = {**data, "idempotency_key": _gift_data()["idempotency_key"]}  # a new render
        with django_capture_on_commit_callbacks(execute=True):
            answers.append(client.post("/don/", data))
    # The same page: the signed reference's value is the same (its time stamp may tick).
    assert len({(a.status_code, unquote(a["Location"]).split(":")[0]) for a in answers}) == 1
    assert answers[0].status_code == 302 and answers[0]["Location"].startswith("/don/envoye/")
    assert Mandate.objects.count() == 1
    assert len(mail.outbox) == 1
    # The donor's own limit was used once: four other gifts still go through.
    for amount in ("20", "21", "22", "23"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/don/", _gift_data(amount_choice="libre", free_amount=amount))
        assert response.status_code == 302
    assert Mandate.objects.count() == 5


def test_two_visitors_of_one_cached_form_get_two_mandates(
    client, gift_world, django_capture_on_commit_callbacks
):
    data = _gift_data()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/don/", data)
        client.post("/don/", {**data, "email": "dominique@exemple.fr", "first_name": "Dominique"})
    assert Mandate.objects.count() == 2


def test_the_same_signature_sent_ten_times_is_one_signature_one_email_no_429(
    client, settings, django_capture_on_commit_callbacks
):
    settings.PETITION_MIN_FILL_SECONDS = 0
    petition = PetitionFactory()
    url = f"/petitions/{petition.slug}/signer/"
    with django_capture_on_commit_callbacks(execute=True):
        answers = [client.post(url, _signature_data()) for _ in range(10)]
    assert {a.status_code for a in answers} == {302}
    assert len({a["Location"] for a in answers}) == 1
    assert Signature.objects.count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_parallel_submits_of_one_gift_form_make_one_mandate(gift_world):
    data = _gift_data()
    answers = []

    def send(_index):
        answers.append(SecondFactorClient().post("/don/", data))

    assert in_threads(10, send) == []
    assert sorted(a.status_code for a in answers) == [302] * 10
    assert len({a["Location"] for a in answers}) == 1
    assert answers[0]["Location"].startswith("/don/envoye/")
    assert Mandate.objects.count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    "address",
    [
        "camille\u200f@exemple.fr",  # a right-to-left mark
        "camille@exemple\u200b.fr",  # a zero-width space
        "camille@\u05d0\u05d1a1.com",  # a domain mixing directions (refused by IDNA)
        "camille@" + "é" * 60 + ".fr",  # a label longer than 63 once in punycode
        "camillé@exemple.fr",  # a local part the mail layer would encode
    ],
)
def test_an_address_the_mail_layer_cannot_send_to_is_refused_at_the_form(
    client, gift_world, settings, address
):
    assert not address_is_sendable(address)
    settings.PETITION_MIN_FILL_SECONDS = 0
    petition = PetitionFactory()
    signed = client.post(f"/petitions/{petition.slug}/signer/", _signature_data(email=address))
    gift = client.post("/don/", _gift_data(email=address))
    for response in (signed, gift):
        assert response.status_code == 200
        html = response.content.decode()
        assert (
            "Nous ne pourrions pas envoyer d" in html
            or "e-mail valide" in html
            or "courriel valide" in html
            or "pas valide" in html
        )
    assert not Signature.objects.exists() and not Mandate.objects.exists()


def test_an_international_domain_is_sendable():
    assert address_is_sendable("camille@exémple.fr")
    assert address_is_sendable("camille.martin+petition@exemple.fr")


@pytest.mark.parametrize(
    "address",
    [
        "camille@exemple.fr",
        "Camille.Martin+petition@Exemple.FR",
        "o'neil@exemple.fr",
        "a!#$%&*/=?^_`{|}~-z@exemple.fr",
        "camille@sous-domaine.exemple.fr",
        "camille@-exemple.fr",
        "camille@a.b",
        "camille@" + "a" * 63 + ".fr",
        "camille@" + "a" * 64 + ".fr",
        "camille@" + ".".join(["a" * 60] * 4) + ".fr",
        "camille@" + ".".join(["a" * 62] * 4) + ".fr",
        "a" * 64 + "@exemple.fr",
    ],
)
def test_a_plain_address_is_judged_as_the_mail_layer_encodes_it(address):
    from django.core.mail.message import sanitize_address

    from core.mail import PLAIN_ADDRESS

    assert PLAIN_ADDRESS.fullmatch(address)
    # What the check said before its shortcut: the domain as Django's mail layer writes it.
    try:
        encoded = sanitize_address(address, "utf-8")
    except (UnicodeError, ValueError):
        expected = False
    else:
        assert encoded == address  # the shortcut's premise: a plain address is kept as it is
        domain = encoded.rpartition("@")[2]
        labels = domain.split(".")
        expected = len(domain) <= 253 and len(labels) >= 2 and all(0 < len(x) <= 63 for x in labels)
    assert address_is_sendable(address) is expected


@pytest.fixture(params=["one round trip", "three calls"])
def claim_path(request, monkeypatch):
    """The Redis script, and the calls every other cache (or Redis away) goes through."""
    from django.core.cache import caches

    if request.param == "three calls":
        monkeypatch.setattr(caches["default"], "claim_and_count", None, raising=False)
    return request.param


def test_a_first_submission_counts_each_limit_and_its_repeats_count_none(claim_path):
    from core.ratelimit import RateLimit
    from core.submissions import submission_claim_counted

    network = (RateLimit("t.network", limit=3, window=60),)
    address = (RateLimit("t.address", limit=5, window=3600),)
    groups = [(network, "10.0.0.1"), (address, "a@exemple.fr")]
    first, refused = submission_claim_counted(kind="t", content=["a@exemple.fr"], limits=groups)
    assert not first.repeat and refused is None
    for _ in range(5):
        again, refused = submission_claim_counted(kind="t", content=["a@exemple.fr"], limits=groups)
        assert again.repeat and not again.limited and again.key == first.key and refused is None
    # Only the first one was counted: two more addresses from this network pass, a third not.
    for email in ("b@exemple.fr", "c@exemple.fr"):
        _, refused = submission_claim_counted(kind="t", content=[email], limits=groups)
        assert refused is None
    _, refused = submission_claim_counted(
        kind="t",
        content=["d@exemple.fr"],
        limits=[(network, "10.0.0.1"), (address, "d@exemple.fr")],
    )
    assert refused is network


def test_a_submission_refused_by_a_limit_refuses_its_repeats_and_counts_no_later_limit(claim_path):
    from core.ratelimit import RateLimit, hit_all
    from core.submissions import submission_claim_counted

    network = (RateLimit("t.network", limit=0, window=60),)
    address = (RateLimit("t.address", limit=1, window=3600),)
    groups = [(network, "10.0.0.1"), (address, "a@exemple.fr")]
    first, refused = submission_claim_counted(kind="t", content=["a@exemple.fr"], limits=groups)
    assert refused is network and not first.repeat
    again, refused = submission_claim_counted(kind="t", content=["a@exemple.fr"], limits=groups)
    assert again.repeat and again.limited and refused is None
    # The address's limit was never counted: its one hit is still free.
    assert hit_all(address, "a@exemple.fr")
    assert not hit_all(address, "a@exemple.fr")
