"""Never a 500: junk thrown at every public URL and form, in both languages.

Odd query strings on every page, and POSTs with missing fields, NUL bytes, 100 KB strings,
odd unicode and numbers to every form. Any status is acceptable (200, 302, 400, 404, 405,
429) except a server error.
"""

import re
import time
from urllib.parse import unquote

import pytest
from django.core import signing
from django.core.cache import cache
from django.urls import Resolver404, resolve, reverse
from django.utils import translation

from donations.forms import idempotency_key_new
from petitions.forms import STARTED_SALT
from tests.factories import (
    CaseFactory,
    MandateFactory,
    MobilisationFigureFactory,
    OutcomeEventFactory,
    PetitionFactory,
    SignatureFactory,
    TierFactory,
    emailed_token,
)

pytestmark = pytest.mark.django_db

HUGE = "x" * 100_000
NUL = "a\x00b"
ODD = "‮ Zalgơ̷̢ 🏳️‍🌈 \ud7ff \u2028 ’« »"

# On every page: the parameters any page might read, with junk in them.
ODD_QUERIES = [
    {"page": "999999"},
    {"page": "abc"},
    {"amount": "-1"},
    {"pays": "ZZ"},
    {NUL: NUL, "q": ODD},
]
# On the pages that read them: every kind of junk.
TARGETED_QUERIES = {
    "/victoires/": [
        {"page": "-1"},
        {"page": "0"},
        {"page": "²"},
        {"page": "1" * 40},
        {"pays": NUL},
        {"pays": HUGE},
        {"issue": "nope"},
        {"issue": NUL},
        {"pays": "TR", "issue": "released", "page": "2"},
    ],
    "/don/": [
        {"amount": "abc"},
        {"amount": "1e400"},
        {"amount": "99999999999999999999999"},
        {"amount": "15,50"},
        {"amount": NUL},
        {"free_amount": "NaN"},
        {"free_amount": "-0"},
        {"free_amount": HUGE},
    ],
}
TARGETED_QUERIES["/en/victories/"] = TARGETED_QUERIES["/victoires/"]
TARGETED_QUERIES["/en/donate/"] = TARGETED_QUERIES["/don/"]


@pytest.fixture
def world(db):
    case = CaseFactory(name="Ana Exemple", slug="ana-exemple")
    OutcomeEventFactory(case=case)
    MobilisationFigureFactory(case=case)
    petition = PetitionFactory(slug="liberez-ana", case=case)
    TierFactory(amount=10)
    TierFactory(amount=15, is_default=True)
    signature = SignatureFactory(petition=petition)
    mandate = MandateFactory(state="pending", signed_at=None, first_debit_on=None)
    return {
        "petition": petition,
        "signature_token": emailed_token(signature),
        "mandate_token": emailed_token(mandate),
    }


def public_paths(world):
    petition = world["petition"].slug
    paths = [
        "/",
        "/victoires/",
        "/victoires/ana-exemple/",
        "/victoires/inconnue/",
        "/victoires/flux/",
        "/petitions/",
        f"/petitions/{petition}/",
        f"/petitions/{petition}/verifiez-vos-mails/",
        f"/petitions/{petition}/renvoyer/",
        f"/petitions/{petition}/merci/",
        f"/petitions/confirmer/{world['signature_token']}/",
        "/petitions/confirmer/jeton%00inconnu/",
        "/don/",
        "/don/envoye/",
        f"/don/confirmer/{world['mandate_token']}/",
        "/don/confirmer/" + "z" * 500 + "/",
        "/don/merci/jeton-inconnu/",
        "/mentions-legales/",
        "/donnees-personnelles/",
        "/sitemap.xml",
        "/nulle-part/%00/",
    ]
    english = [
        "/en/",
        "/en/victories/",
        "/en/victories/ana-exemple/",
        "/en/petitions/",
        f"/en/petitions/{petition}/",
        "/en/donate/",
        "/en/legal-notice/",
    ]
    return paths + english


def assert_no_server_error(response, what):
    assert response.status_code < 500, f"{what} answered {response.status_code}"


def test_every_public_page_survives_odd_query_strings(client, world):
    for path in public_paths(world):
        assert_no_server_error(client.get(path), path)
        for query in ODD_QUERIES + TARGETED_QUERIES.get(path, []):
            assert_no_server_error(client.get(path, query), f"{path} {list(query)}")


def test_every_public_page_answers_other_methods_without_a_server_error(client, world):
    for path in public_paths(world):
        for method in ("head", "put", "delete", "options"):
            assert_no_server_error(getattr(client, method)(path), f"{method.upper()} {path}")


def _started(seconds_ago=60):
    return signing.dumps(str(time.time() - seconds_ago), salt=STARTED_SALT)


def _signature_data(**junk):
    data = {
        "first_name": "Camille",
        "last_name": "Martin",
        "email": "camille@exemple.fr",
        "country": "FR",
        "postal_code": "75011",
        "website": "",
        "started": _started(),
    }
    data.update(junk)
    return {key: value for key, value in data.items() if value is not None}


def _gift_data(**junk):
    data = {
        "amount_choice": "15",
        "free_amount": "",
        "first_name": "Camille",
        "last_name": "Martin",
        "email": "camille@exemple.fr",
        "street": "12 rue des Lilas",
        "postal_code": "69003",
        "city": "Lyon",
        "country": "FR",
        "account_holder": "Camille Martin",
        "iban": "FR7630006000011234567890189",
        "bic": "",
        "debit_day": "5",
        "mandate_accepted": "on",
        "idempotency_key": idempotency_key_new(),
    }
    data.update(junk)
    return {key: value for key, value in data.items() if value is not None}


JUNK_VALUES = [None, NUL, HUGE, ODD, "-1", "1e400"]


def _junk_posts(build, fields):
    """Each field missing or junk in an otherwise valid form, then everything junk."""
    yield "nothing at all", {}
    for field in fields:
        for value in JUNK_VALUES:
            yield f"{field}={value!r:.20}", build(**{field: value})
    yield "every field NUL", {field: NUL for field in fields}
    yield "every field 100 KB", {field: HUGE for field in fields}


SIGNATURE_FIELDS = [
    "first_name",
    "last_name",
    "email",
    "country",
    "postal_code",
    "website",
    "started",
    "notify_outcome",
    "newsletter",
]
GIFT_FIELDS = [
    "amount_choice",
    "free_amount",
    "civility",
    "first_name",
    "last_name",
    "email",
    "street",
    "postal_code",
    "city",
    "country",
    "account_holder",
    "iban",
    "bic",
    "debit_day",
    "mandate_accepted",
    "idempotency_key",
]


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_petition_form_never_answers_a_server_error(client, world, prefix, settings):
    settings.PETITION_MIN_FILL_SECONDS = 0
    petition = world["petition"].slug
    with translation.override("en" if prefix else "fr"):
        url = reverse("petitions:sign", kwargs={"slug": petition})
    for what, data in _junk_posts(_signature_data, SIGNATURE_FIELDS):
        cache.clear()  # the rate limits would answer 429 before the form is read
        assert_no_server_error(client.post(url, data), f"POST {url} {what}")


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_resend_form_never_answers_a_server_error(client, world, prefix):
    petition = world["petition"].slug
    with translation.override("en" if prefix else "fr"):
        url = reverse("petitions:resend", kwargs={"slug": petition})
    for value in JUNK_VALUES:
        data = {} if value is None else {"email": value}
        cache.clear()
        assert_no_server_error(client.post(url, data), f"POST {url} email={value!r:.20}")


def test_the_gift_form_never_answers_a_server_error(client, world):
    for what, data in _junk_posts(_gift_data, GIFT_FIELDS):
        cache.clear()  # the rate limits would answer 429 before the form is read
        assert_no_server_error(client.post("/don/", data), f"POST /don/ {what}")


def test_the_english_gift_form_never_answers_a_server_error(client, world):
    for data in ({}, {field: NUL for field in GIFT_FIELDS}, _gift_data(free_amount=HUGE)):
        cache.clear()
        assert_no_server_error(client.post("/en/donate/", data), "POST /en/donate/")


def test_the_confirmation_buttons_never_answer_a_server_error(client, world):
    for url in (
        "/petitions/confirmer/jeton-inconnu/",
        "/petitions/confirmer/" + "z" * 5000 + "/",
        "/don/confirmer/jeton%00inconnu/",
        f"/petitions/confirmer/{world['signature_token']}/",
        f"/don/confirmer/{world['mandate_token']}/",
    ):
        assert_no_server_error(client.post(url, {"junk": NUL}), f"POST {url[:60]}")
        # A second press of the same button (double click, back button).
        assert_no_server_error(client.post(url, {}), f"POST again {url[:60]}")


def test_read_only_pages_refuse_a_post_without_a_server_error(client, world):
    for path in (
        "/",
        "/victoires/",
        "/victoires/ana-exemple/",
        "/petitions/",
        "/mentions-legales/",
    ):
        assert_no_server_error(client.post(path, {"a": NUL}), f"POST {path}")


def test_the_language_switcher_of_every_page_leads_to_a_page_in_the_other_language(client, world):
    for path in public_paths(world):
        response = client.get(path)
        if "text/html" not in response["Content-Type"]:
            continue
        html = response.content.decode()
        language = re.search(r'<html lang="(\w+)"', html).group(1)
        link = re.search(r'<a class="site-nav__lang" href="([^"]*)"', html).group(1)
        other = client.get(link.replace("&amp;", "&"))
        # A page that does not exist leads to the other language's home page; any other
        # page (an unknown object's included) to the same page in the other language.
        try:
            with translation.override(language):
                resolve(unquote(path.split("?")[0]))
            expected = response.status_code
        except Resolver404:
            expected = 200
        assert other.status_code == expected, f"{path} -> {link}: {other.status_code}"
        assert f'<html lang="{"en" if language == "fr" else "fr"}">' in other.content.decode()
