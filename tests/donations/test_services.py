"""The mandate's moves, terms and amendments, through the services."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError

from donations import services, states
from donations.models import Mandate, MandateAmendment, MandateTerms
from tests.factories import MandateFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("start", "target", "actor", "kind"),
    [
        (states.ACTIVE, states.PAUSED, states.DONOR, "paused"),
        (states.PAUSED, states.ACTIVE, states.DONOR, "resumed"),
        (states.ACTIVE, states.SUSPENDED, states.RULE, "suspended"),
        (states.SUSPENDED, states.ACTIVE, states.STAFF, "resumed"),
        (states.ACTIVE, states.LAPSED, states.RULE, "lapsed"),
        (states.SUSPENDED, states.CANCELLED, states.RULE, "cancelled"),
        (states.PENDING, states.CANCELLED, states.STAFF, "cancelled"),
    ],
)
def test_an_allowed_move_changes_the_state_and_is_recorded_with_who_made_it(
    start, target, actor, kind
):
    mandate = MandateFactory(state=start)
    services.mandate_move(mandate=mandate, state=target, actor=actor, note="appel")
    mandate.refresh_from_db()
    assert mandate.state == target
    event = mandate.events.get()
    assert (event.kind, event.old_state, event.new_state, event.actor, event.note) == (
        kind,
        start,
        target,
        actor,
        "appel",
    )
    assert (mandate.cancelled_at is not None) is (target == states.CANCELLED)


@pytest.mark.parametrize(
    ("start", "target", "actor"),
    [
        (states.PENDING, states.ACTIVE, states.STAFF),
        (states.PENDING, states.ACTIVE, states.DONOR),  # only by confirming it
        (states.ACTIVE, states.LAPSED, states.STAFF),
        (states.ACTIVE, states.SUSPENDED, states.DONOR),
        (states.CANCELLED, states.ACTIVE, states.STAFF),
        (states.LAPSED, states.ACTIVE, states.DONOR),
        (states.PENDING, states.PAUSED, states.DONOR),
    ],
)
def test_a_refused_move_changes_nothing(start, target, actor):
    mandate = MandateFactory(state=start)
    with pytest.raises(states.TransitionRefused):
        services.mandate_move(mandate=mandate, state=target, actor=actor)
    mandate.refresh_from_db()
    assert mandate.state == start
    assert not mandate.events.exists()


def test_the_wrappers_name_the_moves():
    mandate = MandateFactory()
    services.mandate_pause(mandate=mandate, actor=states.DONOR)
    services.mandate_resume(mandate=mandate, actor=states.DONOR)
    services.mandate_suspend(mandate=mandate, actor=states.RULE, note="AM04 deux fois")
    services.mandate_lapse(mandate=mandate)
    mandate.refresh_from_db()
    assert mandate.state == states.LAPSED
    assert list(mandate.events.values_list("kind", flat=True)) == [
        "paused",
        "resumed",
        "suspended",
        "lapsed",
    ]


def test_every_mandate_starts_with_one_terms_row():
    mandate = MandateFactory(amount=Decimal("15"), debit_day=5)
    (terms,) = mandate.terms.all()
    assert (terms.amount, terms.debit_day) == (Decimal("15"), 5)


def test_terms_on_reads_the_row_in_force_on_each_day():
    mandate = MandateFactory(amount=Decimal("15"), debit_day=5)
    today = date(2027, 3, 1)
    first = mandate.terms.get().effective_from
    services.mandate_change(mandate=mandate, amount=Decimal("20"), today=today)
    services.mandate_change(mandate=mandate, debit_day=15, today=today + timedelta(days=20))
    mandate = Mandate.objects.prefetch_related("terms").get(pk=mandate.pk)

    def terms(day):
        row = mandate.terms_on(day)
        return row.amount, row.debit_day

    assert terms(first) == (Decimal("15"), 5)
    assert terms(date(2027, 3, 14)) == (Decimal("15"), 5)
    assert terms(date(2027, 3, 15)) == (Decimal("20"), 5)  # 14 days later
    assert terms(date(2027, 4, 3)) == (Decimal("20"), 5)
    assert terms(date(2027, 4, 4)) == (Decimal("20"), 15)  # the second change builds on it
    assert terms(first - timedelta(days=400)) == (Decimal("15"), 5)
    assert [row.effective_from for row in mandate.terms_upcoming(today)] == [
        date(2027, 3, 15),
        date(2027, 4, 4),
    ]


def test_a_second_change_the_same_day_replaces_the_first():
    mandate = MandateFactory(amount=Decimal("15"))
    today = date(2027, 3, 1)
    services.mandate_change(mandate=mandate, amount=Decimal("20"), today=today)
    services.mandate_change(mandate=mandate, amount=Decimal("30"), today=today)
    assert mandate.terms.count() == 2
    assert mandate.terms_on(date(2027, 3, 15)).amount == Decimal("30")


def test_a_change_that_changes_nothing_writes_nothing():
    mandate = MandateFactory(amount=Decimal("15"), debit_day=5)
    assert services.mandate_change(mandate=mandate, amount=Decimal("15"), debit_day=5) is None
    assert mandate.terms.count() == 1 and not mandate.events.exists()


def test_applying_copies_the_terms_in_force_and_only_once():
    mandate = MandateFactory(amount=Decimal("15"), debit_day=5)
    today = date(2027, 3, 1)
    services.mandate_change(mandate=mandate, amount=Decimal("20"), debit_day=15, today=today)
    assert services.mandate_changes_apply(today=date(2027, 3, 14)) == 0
    assert services.mandate_changes_apply(today=date(2027, 3, 15)) == 1
    assert services.mandate_changes_apply(today=date(2027, 3, 16)) == 0
    mandate.refresh_from_db()
    assert (mandate.amount, mandate.debit_day) == (Decimal("20"), 15)
    applied = mandate.events.get(kind="applied")
    assert (applied.old_amount, applied.new_amount, applied.effective_on) == (
        Decimal("15"),
        Decimal("20"),
        date(2027, 3, 15),
    )


def test_cancelling_drops_the_terms_not_yet_in_force():
    mandate = MandateFactory(amount=Decimal("15"))
    services.mandate_change(mandate=mandate, amount=Decimal("20"))
    services.mandate_cancel(mandate=mandate)
    assert list(mandate.terms.values_list("amount", flat=True)) == [Decimal("15")]


def test_a_pending_or_ended_mandate_takes_no_change():
    for state in (states.PENDING, states.CANCELLED, states.LAPSED):
        mandate = MandateFactory(state=state)
        with pytest.raises(ValueError):
            services.mandate_change(mandate=mandate, amount=Decimal("20"))
        with pytest.raises(ValueError):
            services.mandate_bank_change(mandate=mandate, iban="DE89370400440532013000")


def test_a_paused_mandate_takes_a_change():
    mandate = MandateFactory(state=states.PAUSED, amount=Decimal("15"))
    assert services.mandate_change(mandate=mandate, amount=Decimal("20")) is not None


def test_two_terms_rows_cannot_share_a_day():
    mandate = MandateFactory()
    day = mandate.terms.get().effective_from
    with pytest.raises(IntegrityError):
        MandateTerms.objects.create(mandate=mandate, amount=20, debit_day=5, effective_from=day)


def test_a_change_of_account_is_a_dated_amendment_with_the_old_account():
    user = get_user_model().objects.create_user("dons-test")
    mandate = MandateFactory(sequence_type="RCUR", bic="")
    services.mandate_bank_change(
        mandate=mandate,
        iban="DE89 3704 0044 0532 0130 00",
        bic="COBADEFFXXX",
        by=user,
        today=date(2027, 2, 3),
    )
    amendment = MandateAmendment.objects.get()
    assert amendment.changed_on == date(2027, 2, 3)
    assert amendment.old_iban == "FR7630006000011234567890189"
    assert amendment.old_iban_masked == "FR76 **** **** **** **** **** 189"
    assert amendment.old_bic == ""
    assert amendment.new_iban_masked == "DE89 **** **** **** ***0 00"
    assert (amendment.new_bic, amendment.other_bank, amendment.by) == ("COBADEFFXXX", True, user)
    assert list(MandateAmendment.objects.unsent()) == [amendment]
    mandate.refresh_from_db()
    assert mandate.iban == "DE89370400440532013000"
    assert mandate.sequence_type == "RCUR"  # since the 2016 rulebook, no new FRST


def test_an_account_at_the_same_bank_is_not_another_bank():
    mandate = MandateFactory()  # FR76 30006 ...
    services.mandate_bank_change(mandate=mandate, iban="FR7630006000011234567890189")
    assert MandateAmendment.objects.get().other_bank is False


def test_the_old_iban_is_encrypted_at_rest():
    from django.db import connection

    mandate = MandateFactory()
    services.mandate_bank_change(mandate=mandate, iban="DE89370400440532013000")
    with connection.cursor() as cursor:
        cursor.execute("SELECT old_iban FROM donations_mandateamendment")
        (stored,) = cursor.fetchone()
    assert "30006" not in stored and stored.startswith("gAAAA")
