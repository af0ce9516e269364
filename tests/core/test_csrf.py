"""Forms on cached pages: the origin rules of the two public form POSTs (core/csrf.py),
duplicates, and the minimum fill time on a cached page."""

import re
import time
from datetime import timedelta

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from core.csrf import ACCEPT, NEEDS_TOKEN, REFUSE, form_origin
from donations.models import Mandate
from petitions.forms import STARTED_SALT, started_stamp
from petitions.models import Signature
from tests.factories import PetitionFactory, TierFactory

pytestmark = pytest.mark.django_db

SITE = "http://testserver"


@pytest.fixture(autouse=True)
def gift_settings():
    from donations.models import GiftSettings

    return GiftSettings.load()  # created on the first read: a save that purges the pages


@pytest.fixture
def settings_origins(settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://www.victoires.example"]


@pytest.mark.parametrize(
    ("headers", "verdict"),
    [
        ({"Sec-Fetch-Site": "same-origin"}, ACCEPT),
        ({"Sec-Fetch-Site": "same-origin", "Origin": "https://evil.example"}, ACCEPT),
        ({"Sec-Fetch-Site": "same-site"}, REFUSE),
        ({"Sec-Fetch-Site": "cross-site"}, REFUSE),
        ({"Sec-Fetch-Site": "none"}, REFUSE),
        ({"Sec-Fetch-Site": "cross-site", "Origin": SITE}, REFUSE),
        ({"Origin": SITE}, ACCEPT),
        ({"Origin": "https://www.victoires.example"}, ACCEPT),
        ({"Origin": "https://evil.example"}, REFUSE),
        ({"Origin": "http://testserver.evil.example"}, REFUSE),
        ({"Origin": "null"}, REFUSE),
        ({}, NEEDS_TOKEN),
    ],
)
def test_the_origin_rules(rf, settings_origins, headers, verdict):
    request = rf.post("/", headers=headers)
    assert form_origin(request) == verdict


def sign_data(email="camille@exemple.fr", **overrides):
    return {
        "first_name": "Camille",
        "last_name": "Martin",
        "email": email,
        "country": "FR",
        "website": "",
        "started": started_stamp(timezone.now() - timedelta(minutes=1)),
        **overrides,
    }


@pytest.fixture
def petition():
    return PetitionFactory(slug="p")


@pytest.mark.parametrize(
    ("headers", "status", "stored"),
    [
        ({"Sec-Fetch-Site": "same-origin"}, 302, 1),
        ({"Sec-Fetch-Site": "same-site"}, 403, 0),
        ({"Sec-Fetch-Site": "cross-site"}, 403, 0),
        ({"Sec-Fetch-Site": "cross-site", "Origin": SITE}, 403, 0),
        ({"Origin": SITE}, 302, 1),
        ({"Origin": "https://www.victoires.example"}, 302, 1),
        ({"Origin": "https://evil.example"}, 403, 0),
        ({"Origin": "null"}, 403, 0),
    ],
)
def test_signing_follows_the_origin_rules_without_a_token(
    petition, settings_origins, headers, status, stored
):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/petitions/p/signer/", sign_data(), headers=headers)
    assert response.status_code == status
    assert Signature.objects.count() == stored


def test_with_neither_header_the_form_comes_back_with_a_token_and_nothing_is_stored(petition):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/petitions/p/signer/", sign_data())
    assert response.status_code == 403
    html = response.content.decode()
    assert "envoyez-le de nouveau" in html
    assert 'value="camille@exemple.fr"' in html  # what the visitor typed is kept
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
    assert "no-cache" in response["Cache-Control"] or "private" in response["Cache-Control"]
    assert not Signature.objects.exists()

    again = client.post("/petitions/p/signer/", {**sign_data(), "csrfmiddlewaretoken": token})
    assert again.status_code == 302
    assert Signature.objects.count() == 1


def test_a_wrong_token_without_headers_stores_nothing(petition):
    client = Client(enforce_csrf_checks=True)
    client.post("/petitions/p/signer/", sign_data())
    response = client.post("/petitions/p/signer/", {**sign_data(), "csrfmiddlewaretoken": "x" * 64})
    assert response.status_code == 403
    assert not Signature.objects.exists()


def test_the_cached_petition_page_carries_no_token_and_a_new_stamp_each_time(petition):
    client = Client()
    first = client.get("/petitions/p/")
    second = client.get("/petitions/p/")
    assert second["X-Page-Cache"] == "hit"
    stamps = []
    for page in (first, second):
        html = page.content.decode()
        assert "csrfmiddlewaretoken" not in html
        assert "__fresh_value__" not in html
        stamps.append(re.search(r'name="started" value="([^"]+)"', html)[1])
        time.sleep(1.1)
    assert stamps[0] != stamps[1]
    for stamp in stamps:  # each is the time this response was made, not the cached one
        assert abs(signing.loads(stamp, salt=STARTED_SALT) - time.time()) < 5


def test_the_minimum_fill_time_holds_on_a_cached_page_without_javascript(petition):
    client = Client()
    client.get("/petitions/p/")
    page = client.get("/petitions/p/")  # from the cache
    assert page["X-Page-Cache"] == "hit"
    stamp = re.search(r'name="started" value="([^"]+)"', page.content.decode())[1]
    response = client.post(
        "/petitions/p/signer/",
        sign_data(started=stamp),
        headers={"Sec-Fetch-Site": "same-origin"},
    )
    assert response.status_code == 200
    assert "envoyé très vite" in response.content.decode()
    assert not Signature.objects.exists()


@pytest.fixture
def tiers():
    from decimal import Decimal

    return [TierFactory(amount=Decimal("15"), order=1, is_default=True)]


def gift_data(key, email="camille@example.org"):
    return {
        "amount_choice": "15",
        "civility": "mme",
        "first_name": "Camille",
        "last_name": "Martin",
        "email": email,
        "street": "12 rue des Lilas",
        "postal_code": "69003",
        "city": "Lyon",
        "country": "FR",
        "account_holder": "Camille Martin",
        "iban": "FR7630006000011234567890189",
        "debit_day": "15",
        "mandate_accepted": "on",
        "idempotency_key": key,
    }


def page_key(page) -> str:
    return re.search(r'name="idempotency_key" value="([^"]+)"', page.content.decode())[1]


def test_two_visitors_of_one_cached_gift_form_get_two_mandates_and_a_double_submit_one(tiers):
    same_origin = {"Sec-Fetch-Site": "same-origin"}
    first, second = Client(), Client()
    page_one = first.get("/don/")
    page_two = second.get("/don/")
    assert page_two["X-Page-Cache"] == "hit"
    assert "csrfmiddlewaretoken" not in page_two.content.decode()
    assert page_key(page_one) != page_key(page_two)

    for _ in range(2):  # the first visitor sends the same form twice
        response = first.post("/don/", gift_data(page_key(page_one)), headers=same_origin)
        assert response.status_code == 302
    response = second.post(
        "/don/", gift_data(page_key(page_two), email="sam@example.org"), headers=same_origin
    )
    assert response.status_code == 302
    assert sorted(Mandate.objects.values_list("donor__email", flat=True)) == [
        "camille@example.org",
        "sam@example.org",
    ]


def test_the_gift_form_follows_the_origin_rules(tiers):
    client = Client(enforce_csrf_checks=True)
    key = page_key(client.get("/don/"))
    refused = client.post("/don/", gift_data(key), headers={"Sec-Fetch-Site": "cross-site"})
    assert refused.status_code == 403
    again = client.post("/don/", gift_data(key))  # neither header, no token
    assert again.status_code == 403
    assert "csrfmiddlewaretoken" in again.content.decode()
    assert "no-cache" in again["Cache-Control"]
    assert not Mandate.objects.exists()
    accepted = client.post("/don/", gift_data(key), headers={"Origin": SITE})
    assert accepted.status_code == 302
    assert Mandate.objects.count() == 1
