"""Emailed tokens: random, stored as a digest, one purpose, one use, expiring."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.models import EmailToken
from core.personal_data import person_erase
from core.tokens import token_digest, token_issue, token_revoke, token_use
from tests.concurrency import in_threads
from tests.factories import PetitionFactory, SignatureFactory

pytestmark = pytest.mark.django_db


def test_a_token_is_random_and_only_its_digest_is_stored():
    signature = SignatureFactory()
    raw = token_issue(purpose="signature", target=signature, days=7)
    other = token_issue(purpose="mandate", target=signature, days=7)
    assert raw != other and len(raw) >= 43
    row = EmailToken.objects.get(purpose="signature")
    assert row.digest == token_digest(raw)
    assert raw not in {row.digest, row.target_id}
    assert row.target_model == "petitions.signature" and row.target_id == str(signature.pk)


def test_a_token_gives_back_its_target_once():
    signature = SignatureFactory()
    raw = token_issue(purpose="signature", target=signature, days=7)
    assert token_use(purpose="signature", raw=raw, consume=False) == signature
    assert token_use(purpose="signature", raw=raw) == signature
    assert token_use(purpose="signature", raw=raw) is None
    assert token_use(purpose="signature", raw=raw, consume=False) is None


def test_a_token_serves_only_its_purpose():
    signature = SignatureFactory()
    raw = token_issue(purpose="signature", target=signature, days=7)
    assert token_use(purpose="mandate", raw=raw) is None
    assert token_use(purpose="signature", raw=raw) == signature


def test_a_token_expires():
    signature = SignatureFactory()
    issued = timezone.now()
    raw = token_issue(purpose="signature", target=signature, days=7, now=issued)
    assert token_use(purpose="signature", raw=raw, consume=False, now=issued + timedelta(days=6))
    assert token_use(purpose="signature", raw=raw, now=issued + timedelta(days=7)) is None


def test_a_resend_replaces_the_earlier_token():
    signature = SignatureFactory()
    first = token_issue(purpose="signature", target=signature, days=7)
    token_use(purpose="signature", raw=first)
    second = token_issue(purpose="signature", target=signature, days=7)
    assert EmailToken.objects.count() == 1
    assert token_use(purpose="signature", raw=first) is None
    assert token_use(purpose="signature", raw=second) == signature


def test_a_token_can_name_an_address_instead_of_a_row():
    raw = token_issue(purpose="space", target="ana@exemple.fr", hours=1)
    assert token_use(purpose="space", raw=raw) == "ana@exemple.fr"


def test_a_token_whose_target_is_gone_or_revoked_opens_nothing():
    signature, other = SignatureFactory(), SignatureFactory()
    raw = token_issue(purpose="signature", target=signature, days=7)
    signature.delete()
    assert token_use(purpose="signature", raw=raw) is None
    raw = token_issue(purpose="signature", target=other, days=7)
    assert token_revoke(purpose="signature", target=other) == 1
    assert token_use(purpose="signature", raw=raw) is None


@pytest.mark.parametrize("raw", ["", "x" * 500, "not-a-token", None, 12])
def test_anything_else_is_no_token(raw):
    token_issue(purpose="signature", target=SignatureFactory(), days=7)
    assert token_use(purpose="signature", raw=raw) is None


def test_a_token_needs_a_saved_target_a_purpose_and_a_lifetime():
    signature = SignatureFactory.build(petition=PetitionFactory())
    with pytest.raises(ValueError):
        token_issue(purpose="signature", target=signature, days=7)
    with pytest.raises(ValueError):
        token_issue(purpose="", target="ana@exemple.fr", days=7)
    with pytest.raises(ValueError):
        token_issue(purpose="space", target="ana@exemple.fr", days=0)


def test_rotating_the_secret_key_breaks_no_link(settings):
    signature = SignatureFactory()
    raw = token_issue(purpose="signature", target=signature, days=7)
    settings.SECRET_KEY = "an-entirely-new-secret-key-" + "x" * 40
    assert token_use(purpose="signature", raw=raw) == signature


def test_spent_and_expired_tokens_are_purged_daily():
    now = timezone.now()
    spent = token_issue(purpose="signature", target=SignatureFactory(), days=7)
    token_use(purpose="signature", raw=spent)
    token_issue(purpose="signature", target=SignatureFactory(), days=1, now=now - timedelta(days=2))
    live = token_issue(purpose="signature", target=SignatureFactory(), days=7)
    call_command("apply_retention", stdout=io.StringIO())
    assert list(EmailToken.objects.values_list("digest", flat=True)) == [token_digest(live)]


def test_erasing_an_address_removes_its_pending_links():
    token_issue(purpose="space", target="ana@exemple.fr", hours=1)
    token_issue(purpose="space", target="bob@exemple.fr", hours=1)
    person_erase(email="Ana@Exemple.fr", channel="command")
    assert list(EmailToken.objects.values_list("target_id", flat=True)) == ["bob@exemple.fr"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_token_used_by_ten_requests_at_once_serves_exactly_one():
    from django.db import transaction

    signature = SignatureFactory()
    raw = token_issue(purpose="signature", target=signature, days=7)
    results = []

    def use(_index):
        with transaction.atomic():
            results.append(token_use(purpose="signature", raw=raw))

    assert in_threads(10, use) == []
    assert [result for result in results if result is not None] == [signature]
    assert EmailToken.objects.get().used_at is not None


def test_a_token_whose_target_is_gone_is_spent_and_opens_nothing():
    signature = SignatureFactory()
    raw = token_issue(purpose="signature", target=signature, days=7)
    signature.delete()
    assert token_use(purpose="signature", raw=raw) is None
    assert EmailToken.objects.get().used_at is not None


def test_a_token_reads_its_target_through_the_queryset_given():
    from petitions.models import Signature

    signature = SignatureFactory()
    raw = token_issue(purpose="signature", target=signature, days=7)
    found = token_use(
        purpose="signature", raw=raw, queryset=Signature.objects.select_related("petition")
    )
    assert found == signature
    assert "petition" in found._state.fields_cache
    # A queryset of another model is not the target's: the target is read as usual.
    raw = token_issue(purpose="space-link", target=signature, days=7)
    assert token_use(purpose="space-link", raw=raw, queryset=EmailToken.objects.all()) == signature
