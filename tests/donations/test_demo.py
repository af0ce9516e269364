import io
from datetime import date

import pytest
import time_machine

from donations import demo, sepa
from donations.models import (
    Debit,
    DebitBatch,
    Donor,
    Mandate,
    MandateEvent,
    MandateReference,
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


def test_the_demo_donors_have_a_year_of_debits_a_few_failed_and_one_mandate_suspended():
    with time_machine.travel(date(2026, 12, 2)):
        demo.load(stdout=io.StringIO())
        counts = Debit.objects.count(), DebitBatch.objects.count()
        demo.load(stdout=io.StringIO())
    assert counts == (Debit.objects.count(), DebitBatch.objects.count())
    states = dict(Mandate.objects.values_list("idempotency_key", "state"))
    assert states == {
        "demo-1": "active",
        "demo-2": "active",
        "demo-3": "active",
        "demo-4": "suspended",
    }
    first = Mandate.objects.get(idempotency_key="demo-1")
    collected = first.debits.filter(status="collected")
    assert collected.count() >= 8
    assert first.debits.filter(status="returned", reason_code="MD06").count() == 1
    assert Debit.objects.filter(status="rejected", reason_code="AM04").count() == 3
    assert Debit.objects.filter(batch__isnull=True, status="scheduled").exists()
    assert not Debit.objects.filter(batch__isnull=False, status="scheduled").exists()
