"""Generated hostile input (Hypothesis) against every public form, query string, language
prefix, admin filter and search: never a 5xx, an invalid input adds no row, and every page
answers in the visitor's language.

The profile (tests/conftest.py) is ``ci``: ``derandomize=True`` (the same inputs each run),
``database=None`` (no example database), no deadline. ``EXAMPLES`` below adds up to 10 000
generated inputs: ``make fuzz`` and CI (``FUZZ_FULL=1``, ``.ci/run``) send them all; a local
test run sends a tenth (measured: about 46 ms of CPU per input, so the full run is some 8
minutes of CPU). The rate limits are reset for each example (``cache.clear()``), so the
inputs reach the forms.
"""

import os
import re
from pathlib import Path

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from donations.models import Donor, Mandate
from petitions.models import Signature
from tests.core.test_robustness import _gift_data, _signature_data
from tests.factories import CaseFactory, PetitionFactory, TierFactory

pytestmark = pytest.mark.django_db

QUICK = os.environ.get("FUZZ_FULL") != "1"
EXAMPLES = {
    "query": 2500,
    "sign": 2000,
    "resend": 1000,
    "gift": 2000,
    "admin": 2500,
    "space": 1000,
}
TOTAL = sum(EXAMPLES.values())
FIXTURES = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


def examples(name):
    return settings(
        max_examples=EXAMPLES[name] // (10 if QUICK else 1), suppress_health_check=FIXTURES
    )


# Any text: control characters, surrogate-free unicode, huge numbers, empty strings.
ANY_TEXT = st.text(max_size=60) | st.sampled_from(
    ["", "\x00", "-1", "0", "1e400", "NaN", "99999999999999999999", "‮", "a\r\nb", "%00"]
)
PREFIXES = st.sampled_from(["", "/en"])


@pytest.fixture
def world(db):
    case = CaseFactory(slug="ana-exemple")
    petition = PetitionFactory(slug="liberez-ana", case=case)
    TierFactory(amount=15, is_default=True)
    return {"case": case, "petition": petition}


def language_of(response):
    match = re.search(r'<html lang="(\w+)"', response.content.decode(errors="replace"))
    return match and match.group(1)


def assert_answers_in(response, language, what):
    assert response.status_code < 500, f"{what}: {response.status_code}"
    if "text/html" in response.get("Content-Type", "") and response.status_code != 302:
        assert language_of(response) == language, f"{what}: not in {language}"


PAGES = {
    "": ["/", "/victoires/", "/victoires/ana-exemple/", "/petitions/", "/petitions/liberez-ana/",
         "/don/", "/mentions-legales/", "/donnees-personnelles/", "/nulle-part/"],
    "/en": ["/en/", "/en/victories/", "/en/victories/ana-exemple/", "/en/petitions/",
            "/en/petitions/liberez-ana/", "/en/donate/", "/en/legal-notice/", "/en/nowhere/"],
}  # fmt: skip


@examples("query")
@given(
    prefix=PREFIXES,
    index=st.integers(min_value=0, max_value=8),
    query=st.dictionaries(
        st.sampled_from(["page", "pays", "issue", "amount", "free_amount", "q"]) | ANY_TEXT,
        ANY_TEXT,
        max_size=4,
    ),
)
def test_query_strings_on_every_page_in_both_languages(client, world, prefix, index, query):
    cache.clear()
    paths = PAGES[prefix]
    path = paths[index % len(paths)]
    response = client.get(path, query)
    assert_answers_in(response, "en" if prefix else "fr", f"GET {path} {query!r}")


SIGN_FIELDS = ["first_name", "last_name", "email", "country", "postal_code", "started"]


@examples("sign")
@given(prefix=PREFIXES, junk=st.dictionaries(st.sampled_from(SIGN_FIELDS), ANY_TEXT, max_size=4))
def test_the_signature_form(client, world, prefix, junk):
    cache.clear()
    before = Signature.objects.count()
    path = f"{prefix}/petitions/liberez-ana/{'sign' if prefix else 'signer'}/"
    response = client.post(path, _signature_data(**junk))
    assert_answers_in(response, "en" if prefix else "fr", f"POST {path} {junk!r}")
    if response.status_code != 302:
        assert Signature.objects.count() == before, f"{junk!r} added a signature"


@examples("resend")
@given(prefix=PREFIXES, email=ANY_TEXT)
def test_the_resend_form(client, world, prefix, email):
    cache.clear()
    before = Signature.objects.count()
    path = f"{prefix}/petitions/liberez-ana/{'resend' if prefix else 'renvoyer'}/"
    response = client.post(path, {"email": email})
    assert_answers_in(response, "en" if prefix else "fr", f"POST {path} {email!r}")
    assert Signature.objects.count() == before, f"{email!r} added a signature"


GIFT_FIELDS = ["amount_choice", "free_amount", "first_name", "last_name", "email", "street",
               "postal_code", "city", "country", "account_holder", "iban", "bic", "debit_day",
               "mandate_accepted"]  # fmt: skip


@examples("gift")
@given(prefix=PREFIXES, junk=st.dictionaries(st.sampled_from(GIFT_FIELDS), ANY_TEXT, max_size=4))
def test_the_gift_form(client, world, prefix, junk):
    cache.clear()
    before = (Mandate.objects.count(), Donor.objects.count())
    path = f"{prefix}/{'donate' if prefix else 'don'}/"
    response = client.post(path, _gift_data(**junk))
    assert_answers_in(response, "en" if prefix else "fr", f"POST {path} {junk!r}")
    if response.status_code != 302:
        assert (Mandate.objects.count(), Donor.objects.count()) == before, f"{junk!r} added rows"


SPACE_FORMS = [
    ("mandat/{pk}/modifier/", ["amount", "debit_day"]),
    ("mandat/{pk}/pause/", ["months"]),
    ("mandat/{pk}/arreter/", ["sure"]),
    ("mandat/{pk}/compte/", ["account_holder", "iban", "bic", "mandate_accepted"]),
    ("coordonnees/", ["email", "street", "postal_code", "city", "country"]),
    ("", ["email"]),  # erasing (« effacer/ ») is left out: it would close the space
    ("ouvrir/{junk}/", []),
]


@examples("space")
@given(
    index=st.integers(min_value=0, max_value=len(SPACE_FORMS) - 1),
    data=st.data(),
)
def test_the_personal_space_forms(client, world, index, data):
    """The donor's space open, junk in each of its forms: never a 5xx, and a form that
    does not say it is done (a redirect) changes nothing."""
    from core.tokens import token_issue
    from donations.models import MandateAmendment, MandateTerms
    from tests.factories import MandateFactory

    if "mandate" not in world:
        world["mandate"] = MandateFactory(donor__email="fuzz@exemple.fr")
        raw = token_issue(purpose="space", target="fuzz@exemple.fr", hours=1)
        assert client.post(f"/don/mon-don/ouvrir/{raw}/").status_code == 302
    mandate = world["mandate"]
    cache.clear()
    template, names = SPACE_FORMS[index]
    junk = data.draw(ANY_TEXT)
    path = "/don/mon-don/" + template.format(pk=mandate.pk, junk=junk.replace("/", "") or "x")
    fields = data.draw(st.dictionaries(st.sampled_from(names or ["x"]), ANY_TEXT, max_size=4))
    before = (
        MandateTerms.objects.count(),
        MandateAmendment.objects.count(),
        Mandate.objects.get(pk=mandate.pk).state,
        Donor.objects.filter(email="fuzz@exemple.fr").count(),
    )
    response = client.post(path, fields)
    assert response.status_code < 500, f"POST {path} {fields!r}: {response.status_code}"
    if response.status_code != 302:
        after = (
            MandateTerms.objects.count(),
            MandateAmendment.objects.count(),
            Mandate.objects.get(pk=mandate.pk).state,
            Donor.objects.filter(email="fuzz@exemple.fr").count(),
        )
        assert after == before, f"POST {path} {fields!r} changed something"


CHANGELISTS = [
    ("/admin/cases/case/", ["outcome", "country", "year", "published", "english", "q"]),
    ("/admin/petitions/petition/", ["status__exact", "q"]),
    ("/admin/petitions/signature/", ["country__exact", "petition__id__exact", "q", "o"]),
    ("/admin/donations/mandate/", ["state__exact", "debit_day__exact", "amount", "q", "o"]),
    ("/admin/donations/donor/", ["country__exact", "newsletter__exact", "q", "p"]),
]


@examples("admin")
@given(
    index=st.integers(min_value=0, max_value=len(CHANGELISTS) - 1),
    data=st.data(),
)
def test_admin_filters_and_search(admin_client, world, index, data):
    cache.clear()
    path, names = CHANGELISTS[index]
    query = data.draw(st.dictionaries(st.sampled_from(names) | ANY_TEXT, ANY_TEXT, max_size=3))
    response = admin_client.get(path, query)
    # The admin speaks French (it has no language prefix).
    assert_answers_in(response, "fr", f"GET {path} {query!r}")


def test_the_fuzzing_sends_at_least_10_000_inputs_in_ci():
    assert TOTAL >= 10_000
    ci = (Path(__file__).resolve().parents[2] / ".ci" / "run").read_text()
    assert "FUZZ_FULL=1 REQUIRE_BROWSER=1 CI_STRICT=1 make test" in ci
