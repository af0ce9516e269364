"""The gifts' declaration: what an active, a cancelled and a pending mandate keep, and when."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from core.personal_data import declaration, retention_apply
from donations.models import Donor, Mandate, MandatePdfAccess
from donations.privacy import BANK_DATA, PDF_OPENINGS, PENDING
from donations.services import mandate_cancel
from tests.factories import DonorFactory, MandateFactory

pytestmark = pytest.mark.django_db


def test_an_active_mandate_is_never_touched_by_retention():
    mandate = MandateFactory()
    with time_machine.travel(timezone.now() + timedelta(days=365 * 10), tick=False):
        retention_apply()
    mandate.refresh_from_db()
    assert mandate.iban == "FR7630006000011234567890189"
    assert mandate.donor.last_name and mandate.donor.anonymised_at is None


def test_a_cancelled_mandate_keeps_its_bank_data_13_months_then_the_donor_goes():
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        mandate = mandate_cancel(mandate=MandateFactory(bic="BNPAFRPP"))
        clock.move_to(BANK_DATA.after(start) - timedelta(minutes=1))
        retention_apply()
        mandate.refresh_from_db()
        assert mandate.iban and mandate.bic == "BNPAFRPP"
        clock.move_to(BANK_DATA.after(start) + timedelta(minutes=1))
        retention_apply()
    mandate.refresh_from_db()
    assert (mandate.iban, mandate.iban_masked, mandate.bic, mandate.signature_place) == (
        "",
        "",
        "",
        "",
    )
    assert mandate.rum and mandate.amount == 15 and mandate.signed_at
    donor = Donor.objects.get(pk=mandate.donor_id)
    assert donor.anonymised_at and (donor.first_name, donor.email, donor.city) == ("", "", "")


def test_a_donor_with_one_running_mandate_keeps_their_name():
    donor = DonorFactory()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        mandate_cancel(mandate=MandateFactory(donor=donor))
        MandateFactory(donor=donor)
        clock.move_to(BANK_DATA.after(start) + timedelta(days=1))
        retention_apply()
    donor.refresh_from_db()
    assert donor.last_name and donor.anonymised_at is None


def test_pending_requests_go_after_seven_days():
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        mandate = MandateFactory(state="pending", signed_at=None)
        clock.move_to(PENDING.after(start) + timedelta(minutes=1))
        retention_apply()
    assert not Mandate.objects.filter(pk=mandate.pk).exists()
    assert not Donor.objects.filter(pk=mandate.donor_id).exists()


def test_erasing_a_donor_who_only_asked_deletes_everything():
    mandate = MandateFactory(state="pending", signed_at=None, donor__email="x@exemple.fr")
    result = declaration("donations").erase("X@exemple.fr", now=timezone.now())
    assert result.counts["donors_deleted"] == 1 and result.kept == []
    assert not Donor.objects.filter(pk=mandate.donor_id).exists()


def _presented_debit(mandate, due_on):
    from decimal import Decimal

    from donations.models import Debit, DebitBatch

    batch = DebitBatch.objects.create(
        message_id=f"MSG-{mandate.pk}-{due_on:%Y%m%d}",
        created_at=timezone.now(),
        due_on=due_on,
        version="pain.008.001.02",
        debit_count=1,
        total=Decimal("15"),
        sha256="0" * 64,
    )
    return Debit.objects.create(
        mandate=mandate,
        month=due_on.replace(day=1),
        due_on=due_on,
        amount=Decimal("15"),
        sequence_type="RCUR",
        end_to_end_id=f"E2E-{mandate.pk}-{due_on:%Y%m%d}",
        remittance="Don mensuel",
        status="collected",
        batch=batch,
        sent_iban="FR7630006000011234567890189",
        sent_debtor_name="Camille Martin",
    )


def test_the_13_months_run_from_the_last_debit_when_it_comes_after_the_end():
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        mandate = mandate_cancel(mandate=MandateFactory())
        debit = _presented_debit(mandate, (start + timedelta(days=20)).date())
        clock.move_to(BANK_DATA.after(start) + timedelta(days=1))
        retention_apply()
        mandate.refresh_from_db()
        assert mandate.iban  # the last debit came 20 days after the end
        export = declaration("donations").export(mandate.donor.email)
        assert export["donors"][0]["mandates"][0]["debits"][0]["amount"] == "15.00"
        clock.move_to(BANK_DATA.after(start + timedelta(days=21)))
        retention_apply()
    mandate.refresh_from_db()
    debit.refresh_from_db()
    assert mandate.iban == "" and debit.sent_iban == "" and debit.sent_debtor_name == ""
    assert debit.amount == 15 and debit.status == "collected"  # gifts per month stay


def test_a_receipt_keeps_the_name_and_address_6_years_after_it_was_issued():
    from decimal import Decimal

    from donations.models import Receipt
    from donations.privacy import TAX_RECORDS

    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        mandate = mandate_cancel(mandate=MandateFactory())
        receipt_at = start + timedelta(days=60)
        clock.move_to(receipt_at)
        receipt = Receipt.objects.create(
            number="2026-000001",
            year=2026,
            sequence=1,
            donor=mandate.donor,
            amount=Decimal("180"),
            donor_name="Camille Martin",
            donor_address="12 rue des Lilas, 69003 Lyon",
            issued_at=receipt_at,
        )
        clock.move_to(BANK_DATA.after(start) + timedelta(days=1))
        retention_apply()
        mandate.refresh_from_db()
        assert mandate.iban == ""  # the bank data go at 13 months...
        donor = Donor.objects.get(pk=mandate.donor_id)
        assert donor.last_name and donor.street  # ...the name and address stay
        result = declaration("donations").erase(donor.email, now=timezone.now())
        assert any("L. 102 E" in str(kept.why) for kept in result.kept)
        clock.move_to(TAX_RECORDS.after(receipt_at) + timedelta(days=1))
        retention_apply()
    donor.refresh_from_db()
    receipt.refresh_from_db()
    assert donor.anonymised_at and donor.last_name == ""
    assert (receipt.donor_name, receipt.donor_address) == ("", "")
    assert receipt.number == "2026-000001" and receipt.amount == 180


def test_the_openings_of_signed_mandates_are_kept_one_year():
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        old = MandatePdfAccess.objects.create(rum="DON-1", by_username="dons")
        clock.move_to(PDF_OPENINGS.after(start) - timedelta(minutes=1))
        recent = MandatePdfAccess.objects.create(rum="DON-2", by_username="dons")
        retention_apply()
        assert MandatePdfAccess.objects.count() == 2
        clock.move_to(PDF_OPENINGS.after(start) + timedelta(minutes=1))
        retention_apply()
    assert list(MandatePdfAccess.objects.all()) == [recent]
    assert not MandatePdfAccess.objects.filter(pk=old.pk).exists()
