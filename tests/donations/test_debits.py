from datetime import date

import pytest
from django.db import IntegrityError, transaction

from tests.factories import DebitFactory, MandateFactory

pytestmark = pytest.mark.django_db


def test_a_mandate_has_one_debit_per_month_at_most():
    mandate = MandateFactory()
    DebitFactory(mandate=mandate, due_on=date(2027, 1, 5))
    with pytest.raises(IntegrityError), transaction.atomic():
        DebitFactory(mandate=mandate, due_on=date(2027, 1, 15))
    DebitFactory(mandate=mandate, due_on=date(2027, 2, 5))
    assert mandate.debits.count() == 2


def test_a_debit_sent_to_the_bank_belongs_to_a_batch():
    with pytest.raises(IntegrityError), transaction.atomic():
        DebitFactory(status="sent", batch=None)


def test_two_debits_never_share_an_end_to_end_id():
    DebitFactory(end_to_end_id="DON-X")
    with pytest.raises(IntegrityError), transaction.atomic():
        DebitFactory(end_to_end_id="DON-X")
