"""Honeypot, minimum fill time and rate limits: robots stopped, real people let through."""

import pytest
from django.core import mail
from django.urls import reverse

from core.http import ip_bucket
from petitions.models import Signature
from petitions.services import client_bucket_hash
from tests.factories import PetitionFactory

pytestmark = pytest.mark.django_db

NETWORK_MESSAGE = (
    "Beaucoup de signatures partent en ce moment de votre connexion. "
    "Merci de patienter une minute, puis d&#x27;envoyer de nouveau le formulaire."
)


@pytest.fixture
def petition():
    return PetitionFactory(slug="p")


def sign(client, data, **extra):
    return client.post(reverse("petitions:sign", args=["p"]), data, **extra)


def test_a_filled_honeypot_gets_the_same_success_page_and_nothing_is_stored(
    client, petition, sign_data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        robot = sign(client, sign_data(website="https://spam.example"))
        person = sign(client, sign_data(email="vraie@exemple.fr"))
    assert robot.status_code == 302
    assert robot["Location"] == person["Location"]
    assert list(Signature.objects.values_list("email", flat=True)) == ["vraie@exemple.fr"]
    assert [m.to for m in mail.outbox] == [["vraie@exemple.fr"]]


def test_a_filled_honeypot_gets_a_success_even_when_the_rest_is_garbage(
    client, petition, sign_data
):
    response = sign(client, sign_data(website="x", email="garbage", first_name=""))
    assert response.status_code == 302
    assert not Signature.objects.exists()


def test_a_form_sent_faster_than_the_default_three_seconds_comes_back_filled_in(
    client, petition, settings
):
    from datetime import timedelta

    from django.utils import timezone

    from petitions.forms import started_stamp

    assert settings.PETITION_MIN_FILL_SECONDS == 3
    data = {
        "first_name": "Léa",
        "last_name": "Dupont",
        "email": "lea@exemple.fr",
        "country": "FR",
        "started": started_stamp(timezone.now() - timedelta(seconds=1)),
    }
    response = sign(client, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        "Votre formulaire a été envoyé très vite, peut-être rempli automatiquement. "
        "Vérifiez vos informations, puis envoyez-le de nouveau." in html
    )
    assert 'value="lea@exemple.fr"' in html
    assert 'value="Dupont"' in html
    assert not Signature.objects.exists()

    # The same form sent again a few seconds later goes through.
    data["started"] = started_stamp(timezone.now() - timedelta(seconds=4))
    assert sign(client, data).status_code == 302
    assert Signature.objects.count() == 1


def test_a_forged_start_time_is_refused_with_a_fresh_one(client, petition, sign_data):
    response = sign(client, sign_data(started="1700000000.0"))
    html = response.content.decode()
    assert "Le formulaire a expiré. Vérifiez vos informations et envoyez-le de nouveau." in html
    assert 'value="1700000000.0"' not in html
    assert not Signature.objects.exists()


def test_the_thirty_first_signature_in_a_minute_from_one_ipv4_address_gets_a_429(
    client, petition, sign_data
):
    for n in range(30):
        assert (
            sign(client, sign_data(email=f"s{n}@exemple.fr"), REMOTE_ADDR="203.0.113.7").status_code
            == 302
        )
    response = sign(client, sign_data(email="trop@exemple.fr"), REMOTE_ADDR="203.0.113.7")
    html = response.content.decode()
    assert response.status_code == 429
    assert NETWORK_MESSAGE in html
    assert 'value="trop@exemple.fr"' in html
    assert Signature.objects.count() == 30
    # Another address is not affected.
    assert (
        sign(client, sign_data(email="autre@exemple.fr"), REMOTE_ADDR="203.0.113.8").status_code
        == 302
    )


def test_the_daily_limit_per_address_applies_too(client, petition, sign_data, monkeypatch):
    from core.ratelimit import RateLimit
    from petitions import limits

    monkeypatch.setattr(
        limits,
        "SIGN_PER_NETWORK",
        (RateLimit("t.minute", limit=30, window=60), RateLimit("t.day", limit=2, window=86400)),
    )
    assert sign(client, sign_data(email="a@exemple.fr")).status_code == 302
    assert sign(client, sign_data(email="b@exemple.fr")).status_code == 302
    assert sign(client, sign_data(email="c@exemple.fr")).status_code == 429


@pytest.fixture
def two_per_network(monkeypatch):
    from core.ratelimit import RateLimit
    from petitions import limits

    monkeypatch.setattr(limits, "SIGN_PER_NETWORK", (RateLimit("t.network", limit=2, window=60),))


def test_ipv6_addresses_share_a_limit_per_64(client, petition, sign_data, two_per_network):
    same_64 = ["2001:db8:1:2::1", "2001:db8:1:2:ffff::9"]
    for n, address in enumerate(same_64):
        assert (
            sign(client, sign_data(email=f"v6-{n}@exemple.fr"), REMOTE_ADDR=address).status_code
            == 302
        )
    assert (
        sign(
            client, sign_data(email="v6-x@exemple.fr"), REMOTE_ADDR="2001:db8:1:2::abcd"
        ).status_code
        == 429
    )
    assert (
        sign(client, sign_data(email="v6-y@exemple.fr"), REMOTE_ADDR="2001:db8:1:3::1").status_code
        == 302
    )


def test_without_a_trusted_proxy_a_forged_forwarded_header_changes_nothing(
    client, petition, sign_data, two_per_network, settings
):
    settings.TRUSTED_PROXIES = 0
    for n in range(2):
        sign(
            client,
            sign_data(email=f"f{n}@exemple.fr"),
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )
    response = sign(
        client,
        sign_data(email="f9@exemple.fr"),
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.99",
    )
    assert response.status_code == 429


def test_behind_one_trusted_proxy_each_forwarded_client_has_its_own_limit(
    client, petition, sign_data, two_per_network, settings
):
    settings.TRUSTED_PROXIES = 1
    for n in range(2):
        assert (
            sign(
                client,
                sign_data(email=f"a{n}@exemple.fr"),
                REMOTE_ADDR="10.0.0.1",
                HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.1",
            ).status_code
            == 302
        )
    limited = sign(
        client,
        sign_data(email="a9@exemple.fr"),
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.1",
    )
    other = sign(
        client,
        sign_data(email="b0@exemple.fr"),
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.2",
    )
    assert limited.status_code == 429
    assert other.status_code == 302


def test_one_email_may_sign_five_times_an_hour(client, sign_data):
    for n in range(6):
        PetitionFactory(slug=f"p{n}")
    for n in range(5):
        response = client.post(
            reverse("petitions:sign", args=[f"p{n}"]),
            sign_data(email="Meme@exemple.fr"),
            REMOTE_ADDR=f"203.0.113.{n}",
        )
        assert response.status_code == 302
    response = client.post(
        reverse("petitions:sign", args=["p5"]), sign_data(email="meme@exemple.fr")
    )
    assert response.status_code == 429
    assert (
        "Cette adresse e-mail a déjà servi plusieurs fois en peu de temps."
        in response.content.decode()
    )


def test_a_signature_keeps_a_salted_hash_of_the_network_never_the_address(
    client, petition, sign_data
):
    sign(client, sign_data(), REMOTE_ADDR="2001:db8:1:2::77")
    signature = Signature.objects.get()
    assert signature.ip_hash == client_bucket_hash(ip_bucket("2001:db8:1:2::77"))
    assert len(signature.ip_hash) == 64
    assert "2001" not in signature.ip_hash
    stored = " ".join(str(value) for value in Signature.objects.values().get().values())
    assert "2001:db8" not in stored
