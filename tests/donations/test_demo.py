import io

import pytest

from donations import demo, sepa
from donations.models import Donor, Mandate, MandateEvent, MandateReference, Tier

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
        assert mandate.state == "active" and sepa.rum_is_valid(mandate.rum)
        assert MandateReference.objects.filter(rum=mandate.rum).exists()
        assert {event.at for event in MandateEvent.objects.filter(mandate=mandate)} == {
            mandate.signed_at
        }
