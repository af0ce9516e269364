"""The data migration that turns the pending-change fields into MandateTerms rows."""

import hashlib
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils.crypto import salted_hmac

from core.models import EmailToken

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


def _first_wave_token(purpose: str, pk: int) -> str:
    """The link token emailed before core.tokens: derived from the row id and the key."""
    return salted_hmac(f"victoires.confirm.{purpose}", str(pk), algorithm="sha256").hexdigest()


@pytest.mark.django_db(transaction=True)
def test_a_confirmation_link_emailed_before_the_move_to_random_tokens_still_works(client):
    before = [("donations", "0018_mandate_pdf_access")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    Donor = apps.get_model("donations", "Donor")
    Mandate = apps.get_model("donations", "Mandate")
    donor = Donor.objects.create(
        first_name="Ana", last_name="Lima", email="ana@example.org", street="1 rue A",
        postal_code="75001", city="Paris",
    )  # fmt: skip
    common = {"donor": donor, "account_holder": "Ana Lima", "amount": 15, "debit_day": 5,
              "iban": "FR7630006000011234567890189", "iban_masked": "x"}  # fmt: skip
    pending = Mandate.objects.create(rum="R1", state="pending", **common)
    active = Mandate.objects.create(rum="R2", state="active", **common)
    tokens = {}
    for mandate in (pending, active):
        tokens[mandate.rum] = _first_wave_token("mandate", mandate.pk)
        mandate.token_digest = hashlib.sha256(tokens[mandate.rum].encode()).hexdigest()
        mandate.save(update_fields=["token_digest"])

    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    # The pending mandate's link still confirms; a confirmed one's old summary link is gone.
    assert client.get(f"/don/confirmer/{tokens['R1']}/").status_code == 200
    assert client.post(f"/don/confirmer/{tokens['R1']}/").status_code == 302
    assert client.get(f"/don/confirmer/{tokens['R2']}/").status_code == 404
    assert client.get(f"/don/merci/{tokens['R2']}/").status_code == 404
    token = EmailToken.objects.get(purpose="mandate", target_id=str(pending.pk))
    assert token.expires_at == pending.created_at + timedelta(days=7)
