"""The data migration that turns the pending-change fields into MandateTerms rows."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("donations", "0006_terms_amendments_states")]
AFTER = [("donations", "0008_remove_mandate_pending_fields")]


@pytest.mark.django_db(transaction=True)
def test_existing_mandates_get_their_terms_and_their_waiting_change_as_rows():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Donor = apps.get_model("donations", "Donor")
    Mandate = apps.get_model("donations", "Mandate")
    donor = Donor.objects.create(
        first_name="Ana",
        last_name="Lima",
        email="ana@example.org",
        street="1 rue A",
        postal_code="75001",
        city="Paris",
    )
    signed = datetime(2026, 3, 1, 23, 30, tzinfo=ZoneInfo("UTC"))  # 2 March in Paris
    common = {
        "donor": donor,
        "state": "active",
        "account_holder": "Ana Lima",
        "iban": "FR7630006000011234567890189",
        "iban_masked": "x",
        "signed_at": signed,
    }
    plain = Mandate.objects.create(rum="R1", amount=15, debit_day=5, **common)
    waiting = Mandate.objects.create(
        rum="R2",
        amount=15,
        debit_day=5,
        pending_amount=Decimal("25"),
        pending_effective_on=date(2026, 4, 1),
        **common,
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    Terms = apps.get_model("donations", "MandateTerms")

    def rows(mandate):
        return list(
            Terms.objects.filter(mandate_id=mandate.pk)
            .order_by("effective_from")
            .values_list("effective_from", "amount", "debit_day")
        )

    assert rows(plain) == [(date(2026, 3, 2), Decimal("15.00"), 5)]
    assert rows(waiting) == [
        (date(2026, 3, 2), Decimal("15.00"), 5),
        (date(2026, 4, 1), Decimal("25.00"), 5),
    ]
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
