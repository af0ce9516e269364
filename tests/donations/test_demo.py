import io
from datetime import date

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from donations import demo, sepa
from donations.models import (
    BankAnswer,
    Debit,
    DebitBatch,
    Donor,
    Mandate,
    MandateEvent,
    MandateReference,
    Receipt,
    Tier,
)

pytestmark = pytest.mark.django_db


def test_the_demo_gives_four_tiers_four_donors_and_loading_twice_changes_nothing():
    demo.load(stdout=io.StringIO())
    counts = (Tier.objects.count(), Donor.objects.count(), Mandate.objects.count())
    demo.load(stdout=io.StringIO())
    assert counts == (Tier.objects.count(), Donor.objects.count(), Mandate.objects.count())
    assert counts == (4, 4, 4)
    assert [str(tier.amount) for tier in Tier.objects.active()] == [
        "10.00",
        "15.00",
        "25.00",
        "50.00",
    ]
    assert Tier.objects.get(is_default=True).amount == 15


def test_the_demo_mandates_have_recorded_references_and_a_history_dated_at_signature():
    demo.load(stdout=io.StringIO())
    for mandate in Mandate.objects.all():
        assert sepa.rum_is_valid(mandate.rum)
        assert MandateReference.objects.filter(rum=mandate.rum).exists()
        signing = MandateEvent.objects.filter(mandate=mandate, kind__in=["created", "confirmed"])
        assert {event.at for event in signing} == {mandate.signed_at}


def test_the_demo_donors_have_a_year_of_debits_a_few_failed_and_one_mandate_suspended(
    django_capture_on_commit_callbacks,
):
    with (
        time_machine.travel(date(2026, 12, 2)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        demo.load(stdout=io.StringIO())
        counts = (
            Debit.objects.count(),
            DebitBatch.objects.count(),
            BankAnswer.objects.count(),
            Receipt.objects.count(),
        )
        demo.load(stdout=io.StringIO())
    assert counts == (
        Debit.objects.count(),
        DebitBatch.objects.count(),
        BankAnswer.objects.count(),
        Receipt.objects.count(),
    )
    states = dict(Mandate.objects.values_list("idempotency_key", "state"))
    assert states == {
        "demo-1": "active",
        "demo-2": "active",
        "demo-3": "active",
        "demo-4": "suspended",
    }
    # Every donor signed last year: last year's debits, this year's, the coming ones.
    first = Mandate.objects.get(idempotency_key="demo-1")
    assert first.debits.filter(status="collected", collected_on__year=2025).count() >= 10
    assert first.debits.filter(status="collected", collected_on__year=2026).count() >= 8
    assert first.debits.filter(status="refunded", reason_code="MD06").count() == 1
    assert Debit.objects.filter(status="returned").count() == 2
    assert Debit.objects.filter(status="rejected", reason_code="AM04").count() == 3
    assert Debit.objects.filter(batch__isnull=True, status="scheduled").exists()
    assert not Debit.objects.filter(batch__isnull=False, status="scheduled").exists()
    # The bank's answers came as files: a pain.002 per reject, one camt.054.
    assert sorted(BankAnswer.objects.values_list("kind", flat=True)) == [
        "camt.054",
        "pain.002",
        "pain.002",
        "pain.002",
    ]
    assert BankAnswer.objects.get(kind="camt.054").refunded == 1
    # Last year's receipts, one per donor, issued in January, never emailed.
    receipts = Receipt.objects.filter(year=2025)
    assert receipts.count() == 4
    assert {timezone.localtime(r.issued_at).date() for r in receipts} == {date(2026, 1, 15)}
    assert mail.outbox == []
