from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from donations import debits
from donations.models import Debit, Mandate, MandateTerms
from donations.services import (
    DebitRefused,
    debit_fail,
    debits_schedule,
    mandate_cancel,
    mandates_lapse,
)
from tests.factories import DebitFactory, MandateFactory


def _signed(day: date):
    return timezone.make_aware(timezone.datetime(day.year, day.month, day.day, 12))


# --- the pure rules ---------------------------------------------------------------------


def test_the_end_to_end_id_is_the_reference_and_the_month():
    assert debits.end_to_end_id("DON-00000042-7QK2M9XA", date(2026, 12, 1)) == (
        "DON-00000042-7QK2M9XA-202612"
    )


def test_a_long_reference_still_gives_an_end_to_end_id_of_35_characters_at_most():
    rum = "A" * 35
    first = debits.end_to_end_id(rum, date(2026, 12, 1))
    assert len(first) == 35
    assert first.endswith("-202612")
    assert first != debits.end_to_end_id("B" * 35, date(2026, 12, 1))


def test_the_remittance_text_names_the_organisation_and_the_month_in_french():
    assert debits.remittance_text("Victoires", date(2026, 12, 7)) == (
        "Don mensuel Victoires décembre 2026"
    )
    assert len(debits.remittance_text("X" * 300, date(2026, 8, 5))) == 140


def test_a_due_date_on_a_holiday_moves_to_the_next_target2_day():
    # 5 April 2026 is a Sunday, the 6th Easter Monday.
    assert debits.due_date(date(2026, 4, 1), 5) == date(2026, 4, 7)
    assert debits.due_date(date(2026, 12, 1), 5) == date(2026, 12, 7)  # a Saturday


@pytest.mark.parametrize(
    ("code", "refund", "previous", "outcome"),
    [
        ("AC04", False, None, debits.END),
        ("MD07", False, None, debits.END),
        ("MD01", True, None, debits.END),
        ("MD01", False, None, None),
        ("AM04", False, None, None),
        ("AM04", False, "MS03", debits.SUSPEND),
        ("AC06", False, "AC06", debits.SUSPEND),
        ("MS02", False, "MD06", None),
        ("MD06", True, "AM04", None),
    ],
)
def test_what_a_failure_does_to_the_mandate(code, refund, previous, outcome):
    assert debits.failure_outcome(code, refund=refund, previous_code=previous) == outcome


def test_a_mandate_lapses_36_months_after_its_last_debit_presented():
    assert debits.lapse_date(date(2024, 1, 5)) == date(2027, 1, 5)
    assert debits.lapse_date(date(2024, 2, 29)) == date(2027, 2, 28)


def test_business_days_count_only_target2_days():
    # Friday 24 December 2027 -> Tuesday 28: the 25th/26th are a weekend and holidays.
    assert debits.business_days_between(date(2027, 12, 24), date(2027, 12, 28)) == 2
    assert debits.business_days_between(date(2027, 12, 24), date(2027, 12, 24)) == 0


# --- the database -----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_mandate_has_one_debit_per_month_at_most():
    mandate = MandateFactory()
    DebitFactory(mandate=mandate, due_on=date(2027, 1, 5))
    with pytest.raises(IntegrityError), transaction.atomic():
        DebitFactory(mandate=mandate, due_on=date(2027, 1, 15))
    DebitFactory(mandate=mandate, due_on=date(2027, 2, 5))
    assert mandate.debits.count() == 2


@pytest.mark.django_db
def test_a_debit_sent_to_the_bank_belongs_to_a_batch():
    with pytest.raises(IntegrityError), transaction.atomic():
        DebitFactory(status="sent", batch=None)


@pytest.mark.django_db
def test_two_debits_never_share_an_end_to_end_id():
    DebitFactory(end_to_end_id="DON-X")
    with pytest.raises(IntegrityError), transaction.atomic():
        DebitFactory(end_to_end_id="DON-X")


# --- scheduling -------------------------------------------------------------------------


@pytest.mark.django_db
def test_scheduling_creates_the_debits_due_within_the_horizon_once():
    mandate = MandateFactory(
        signed_at=_signed(date(2026, 10, 1)), first_debit_on=date(2026, 11, 5), amount=20
    )
    assert debits_schedule(today=date(2026, 11, 25), days=14) == 1
    debit = mandate.debits.get()
    assert debit.due_on == date(2026, 12, 7)  # 5 December 2026 is a Saturday
    assert debit.month == date(2026, 12, 1)
    assert debit.amount == 20
    assert debit.status == Debit.Status.SCHEDULED
    assert debit.end_to_end_id == f"{mandate.rum}-202612"
    assert debit.remittance.startswith("Don mensuel ")
    assert debit.remittance.endswith(" décembre 2026")
    assert debit.sequence_type == "FRST"
    assert debits_schedule(today=date(2026, 11, 26), days=14) == 0
    assert Debit.objects.count() == 1


@pytest.mark.django_db
def test_the_command_takes_the_horizon_in_days():
    MandateFactory(signed_at=_signed(date(2026, 1, 1)), first_debit_on=date(2026, 2, 5))
    call_command("debits_schedule", "--days", "70")
    today = timezone.localdate()
    assert Debit.objects.count() >= 2
    assert all(today < debit.due_on <= today + timedelta(days=70) for debit in Debit.objects.all())


@pytest.mark.django_db
def test_the_first_debit_comes_at_least_14_days_after_the_pre_notification():
    # Signed on 1 December: the 5th is too close, the first debit is on 5 January.
    mandate = MandateFactory(signed_at=_signed(date(2026, 12, 1)), first_debit_on=date(2026, 12, 4))
    debits_schedule(today=date(2026, 12, 1), days=40)
    assert [d.due_on for d in mandate.debits.all()] == [date(2027, 1, 5)]


@pytest.mark.django_db
def test_the_amount_is_the_one_in_force_on_the_due_date():
    mandate = MandateFactory(
        signed_at=_signed(date(2026, 1, 1)), first_debit_on=date(2026, 2, 5), amount=15
    )
    MandateTerms.objects.create(
        mandate=mandate, amount=30, debit_day=5, effective_from=date(2027, 1, 10)
    )
    debits_schedule(today=date(2026, 12, 20), days=60)
    amounts = {d.due_on: d.amount for d in mandate.debits.all()}
    assert amounts == {date(2027, 1, 5): 15, date(2027, 2, 5): 30}


@pytest.mark.django_db
@pytest.mark.parametrize("state", ["pending", "cancelled"])
def test_nothing_is_scheduled_for_a_mandate_that_is_not_active(state):
    MandateFactory(state=state, signed_at=_signed(date(2026, 1, 1)), first_debit_on=None)
    MandateFactory(
        state=state, signed_at=_signed(date(2026, 1, 1)), first_debit_on=date(2026, 2, 5)
    )
    assert debits_schedule(today=date(2026, 11, 25), days=40) == 0


@pytest.mark.django_db
def test_cancelling_a_mandate_cancels_its_scheduled_debits_and_flags_those_sent():
    mandate = MandateFactory()
    scheduled = DebitFactory(mandate=mandate)
    sent = DebitFactory(mandate=mandate, status="sent", batch=_batch())
    mandate_cancel(mandate=mandate)
    scheduled.refresh_from_db()
    sent.refresh_from_db()
    assert scheduled.status == Debit.Status.CANCELLED
    assert not scheduled.mandate_cancelled_after_sending
    assert sent.status == Debit.Status.SENT
    assert sent.mandate_cancelled_after_sending
    assert mail.outbox == []


def _batch(**kwargs):
    from donations.models import DebitBatch

    values = {
        "message_id": f"TEST-{DebitBatch.objects.count() + 1}",
        "created_at": timezone.now(),
        "due_on": date(2026, 12, 7),
        "version": "pain.008.001.02",
        "debit_count": 1,
        "total": 15,
        "content": "<xml/>",
        "sha256": "0" * 64,
    }
    values.update(kwargs)
    return DebitBatch.objects.create(**values)


# --- failures and lapse -----------------------------------------------------------------


def _sent_debit(mandate, due_on, **kwargs):
    return DebitFactory(
        mandate=mandate,
        due_on=due_on,
        status=kwargs.pop("status", "sent"),
        batch=_batch(due_on=due_on),
        **kwargs,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "code"), [("rejected", "AC04"), ("returned", "MD07"), ("refunded", "MD01")]
)
def test_a_closed_account_a_death_or_an_unauthorised_debit_end_the_mandate_at_once(
    status, code, django_capture_on_commit_callbacks
):
    mandate = MandateFactory()
    debit = _sent_debit(mandate, date(2026, 11, 5))
    later = DebitFactory(mandate=mandate, due_on=date(2026, 12, 7))
    with django_capture_on_commit_callbacks(execute=True):
        debit_fail(debit=debit, status=status, reason_code=code, on=date(2026, 11, 9))
    mandate.refresh_from_db()
    later.refresh_from_db()
    assert mandate.state == "cancelled"
    assert later.status == "cancelled"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [mandate.donor.email]
    assert "n’a pas abouti" in mail.outbox[0].body


@pytest.mark.django_db
def test_md01_on_a_reject_does_not_end_the_mandate():
    mandate = MandateFactory()
    debit_fail(debit=_sent_debit(mandate, date(2026, 11, 5)), status="rejected", reason_code="MD01")
    mandate.refresh_from_db()
    assert mandate.state == "active"


@pytest.mark.django_db
def test_two_insufficient_funds_in_a_row_suspend_the_mandate_and_nothing_is_re_presented():
    mandate = MandateFactory()
    first = _sent_debit(mandate, date(2026, 10, 5))
    second = _sent_debit(mandate, date(2026, 11, 5))
    debit_fail(debit=first, status="rejected", reason_code="AM04")
    mandate.refresh_from_db()
    assert mandate.state == "active"
    debit_fail(debit=second, status="returned", reason_code="MS03")
    mandate.refresh_from_db()
    assert mandate.state == "suspended"
    assert Debit.objects.filter(mandate=mandate, status="scheduled").count() == 0
    assert debits_schedule(today=date(2026, 11, 25), days=40) == 0


@pytest.mark.django_db
def test_a_collected_debit_between_two_failures_breaks_the_row():
    mandate = MandateFactory()
    first = _sent_debit(mandate, date(2026, 9, 7))
    _sent_debit(mandate, date(2026, 10, 5), status="collected")
    third = _sent_debit(mandate, date(2026, 11, 5))
    debit_fail(debit=first, status="rejected", reason_code="AM04")
    debit_fail(debit=third, status="rejected", reason_code="AM04")
    mandate.refresh_from_db()
    assert mandate.state == "active"


@pytest.mark.django_db
def test_a_debit_cannot_fail_from_a_state_that_does_not_allow_it():
    debit = DebitFactory()
    with pytest.raises(DebitRefused):
        debit_fail(debit=debit, status="rejected", reason_code="AM04")
    with pytest.raises(DebitRefused):
        debit_fail(debit=debit, status="bogus", reason_code="AM04")
    debit.refresh_from_db()
    assert debit.status == "scheduled" and debit.reason_code == ""


@pytest.mark.django_db
def test_a_mandate_lapses_36_months_after_the_last_debit_presented_whatever_its_outcome():
    mandate = MandateFactory(signed_at=_signed(date(2022, 1, 10)))
    _sent_debit(mandate, date(2023, 3, 6), status="rejected", reason_code="AM04")
    never_debited = MandateFactory(signed_at=_signed(date(2023, 1, 10)))
    recent = MandateFactory(signed_at=_signed(date(2022, 1, 10)))
    _sent_debit(recent, date(2024, 6, 5), status="collected")
    assert mandates_lapse(today=date(2026, 1, 9)) == 0
    assert mandates_lapse(today=date(2026, 1, 10)) == 1
    assert Mandate.objects.get(pk=never_debited.pk).state == "lapsed"
    assert mandates_lapse(today=date(2026, 3, 5)) == 0
    assert mandates_lapse(today=date(2026, 3, 6)) == 1
    mandate.refresh_from_db()
    assert mandate.state == "lapsed"
    assert mandates_lapse(today=date(2026, 3, 6)) == 0
    assert Mandate.objects.get(pk=recent.pk).state == "active"
