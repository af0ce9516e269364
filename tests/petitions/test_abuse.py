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
    "Merci de patienter une minute, puis d’envoyer de nouveau le formulaire."
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


@pytest.mark.usefixtures("start_of_a_minute")
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


@pytest.mark.usefixtures("start_of_a_minute")
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


@pytest.mark.usefixtures("start_of_a_minute")
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


def test_an_empty_form_sent_at_once_gets_the_field_messages_not_the_robot_one(client, petition):
    from django.utils import timezone

    from petitions.forms import started_stamp

    response = sign(client, {"country": "FR", "started": started_stamp(timezone.now())})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Indiquez votre prénom." in html
    assert "très vite" not in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("first_name", "Ana\x00", "Le caractère nul n’est pas autorisé."),
        ("postal_code", "\x00", "Le caractère nul n’est pas autorisé."),
        ("email", "a" * 1_000_000, "Cette adresse e-mail n’est pas valide"),
        ("last_name", "b" * 1_000_000, "au plus 100 caractères"),
        ("country", "ZZ", "Choisissez votre pays dans la liste."),
        ("country", "\x00" * 1000, "Choisissez votre pays dans la liste."),
        (
            "started",
            "a" * 1_000_000,
            "Le formulaire a expiré. Vérifiez vos informations et envoyez-le de nouveau.",
        ),
        ("started", "\x00", "Le caractère nul n’est pas autorisé."),
    ],
)
def test_junk_in_any_field_comes_back_as_a_french_message_never_an_error_page(
    client, petition, sign_data, field, value, message
):
    response = sign(client, sign_data(**{field: value}))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert not Signature.objects.exists()


def test_a_honeypot_filled_with_junk_the_field_refuses_still_gets_the_fake_success(
    client, petition, sign_data
):
    response = sign(client, sign_data(website="\x00" * 10))
    assert response.status_code == 302
    assert response["Location"] == "/petitions/p/verifiez-vos-mails/"
    assert not Signature.objects.exists()


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/petitions/", {"GET", "HEAD"}),
        ("/petitions/p/", {"GET", "HEAD"}),
        ("/petitions/p/signer/", {"POST"}),
        ("/petitions/p/verifiez-vos-mails/", {"GET", "HEAD"}),
        ("/petitions/p/renvoyer/", {"GET", "HEAD", "POST"}),
        ("/petitions/p/merci/", {"GET", "HEAD"}),
        ("/en/petitions/p/", {"GET", "HEAD"}),
    ],
)
def test_every_address_answers_405_to_a_method_it_does_not_take(client, petition, path, allowed):
    for method in ["get", "head", "post", "put", "patch", "delete", "options", "trace"]:
        response = getattr(client, method)(path)
        if method.upper() in allowed:
            assert response.status_code in (200, 302), (method, path)
        else:
            assert response.status_code == 405, (method, path)


def test_a_confirmation_link_with_junk_is_simply_not_found(client):
    for token in ["x" * 5000, "é"]:
        response = client.get(f"/petitions/confirmer/{token}/")
        assert response.status_code == 404, token
        assert client.post(f"/petitions/confirmer/{token}/").status_code == 404
    # A control character in a path is refused before any view (core.middleware).
    for token in ["a%00b", "%00"]:
        assert client.get(f"/petitions/confirmer/{token}/").status_code == 400
        assert client.post(f"/petitions/confirmer/{token}/").status_code == 400
    assert client.put("/petitions/confirmer/abc/").status_code == 405


def test_the_resend_page_allows_three_links_an_hour_per_address_then_a_429_with_the_address_kept(
    client, petition, django_capture_on_commit_callbacks
):
    from tests.factories import SignatureFactory

    SignatureFactory(petition=petition, email="attente@exemple.fr")
    url = reverse("petitions:resend", args=["p"])
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            response = client.post(
                url, {"email": "Attente@exemple.fr"}, REMOTE_ADDR=f"203.0.113.{n}"
            )
            assert response.status_code == 302
        limited = client.post(url, {"email": "attente@exemple.fr "}, REMOTE_ADDR="203.0.113.9")
    html = limited.content.decode()
    assert limited.status_code == 429
    assert "Cette adresse e-mail a déjà servi plusieurs fois en peu de temps." in html
    assert 'value="attente@exemple.fr "' in html
    assert len(mail.outbox) == 3


@pytest.mark.usefixtures("start_of_a_minute")
def test_the_resend_page_allows_ten_requests_a_minute_per_network(client, petition):
    url = reverse("petitions:resend", args=["p"])
    for n in range(10):
        response = client.post(url, {"email": f"r{n}@exemple.fr"}, REMOTE_ADDR="198.51.100.5")
        assert response.status_code == 302
    limited = client.post(url, {"email": "r10@exemple.fr"}, REMOTE_ADDR="198.51.100.5")
    assert limited.status_code == 429
    assert NETWORK_MESSAGE in limited.content.decode()
    assert 'value="r10@exemple.fr"' in limited.content.decode()
