"""Encrypted columns and the rotation of their key without downtime."""

import io
from datetime import date

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection

from donations.fields import encrypted_fields
from donations.models import Debit, DebitBatch, Mandate, MandateAmendment
from donations.services import bank_file_create
from tests.donations.conftest import IBAN_FR
from tests.factories import DebitFactory, MandateFactory

pytestmark = pytest.mark.django_db

OLD = Fernet.generate_key().decode()
NEW = Fernet.generate_key().decode()
IBAN_DE = "DE89370400440532013000"


def stored(model, field: str, pk) -> str:
    """The column as the database holds it."""
    table, column = model._meta.db_table, model._meta.get_field(field).column
    with connection.cursor() as cursor:
        quote = connection.ops.quote_name
        cursor.execute(f"SELECT {quote(column)} FROM {quote(table)} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def readable_with(key: str, token: str) -> bool:
    try:
        Fernet(key.encode()).decrypt(token.encode())
    except Exception:  # noqa: BLE001
        return False
    return True


@pytest.fixture
def written_with_the_old_key(settings):
    """A mandate, its bank change, a bank file and its debit, all written with OLD."""
    settings.FIELD_ENCRYPTION_KEY = OLD
    settings.FIELD_ENCRYPTION_KEYS_OLD = []
    debit = DebitFactory(due_on=date(2026, 12, 7), mandate=MandateFactory(iban=IBAN_FR))
    (batch,) = bank_file_create(due_on=date(2026, 12, 7), today=date(2026, 12, 1))
    amendment = MandateAmendment.objects.create(
        mandate=debit.mandate, changed_on=date(2026, 11, 2), old_iban=IBAN_DE
    )
    rows = {
        (Mandate, "iban", debit.mandate_id),
        (MandateAmendment, "old_iban", amendment.pk),
        (Debit, "sent_iban", debit.pk),
        (DebitBatch, "content", batch.pk),
    }
    assert all(readable_with(OLD, stored(*row)) for row in rows)
    return {"rows": rows, "debit": debit, "batch": batch, "amendment": amendment}


def test_every_encrypted_column_is_found_so_a_new_one_is_rotated_too():
    found = {(model._meta.label, field.name) for model, field in encrypted_fields()}
    assert found == {
        ("donations.Mandate", "iban"),
        ("donations.MandateAmendment", "old_iban"),
        ("donations.Debit", "sent_iban"),
        ("donations.Debit", "sent_amendment"),
        ("donations.DebitBatch", "content"),
    }


def test_with_the_old_key_listed_old_values_are_read_and_new_ones_written_with_the_new_key(
    written_with_the_old_key, settings
):
    settings.FIELD_ENCRYPTION_KEY = NEW
    settings.FIELD_ENCRYPTION_KEYS_OLD = [OLD]
    mandate = Mandate.objects.get()
    assert mandate.iban == IBAN_FR
    mandate.save()
    assert readable_with(NEW, stored(Mandate, "iban", mandate.pk))
    assert not readable_with(OLD, stored(Mandate, "iban", mandate.pk))


def test_without_the_old_key_an_old_value_cannot_be_read(written_with_the_old_key, settings):
    settings.FIELD_ENCRYPTION_KEY = NEW
    settings.FIELD_ENCRYPTION_KEYS_OLD = []
    with pytest.raises(ImproperlyConfigured, match="FIELD_ENCRYPTION_KEYS_OLD"):
        Mandate.objects.get()


def test_the_command_reencrypts_every_value_with_the_current_key(
    written_with_the_old_key, settings
):
    batch = written_with_the_old_key["batch"]
    settings.FIELD_ENCRYPTION_KEY = NEW
    settings.FIELD_ENCRYPTION_KEYS_OLD = [OLD]
    with pytest.raises(CommandError, match="4 valeur"):
        call_command("reencrypt_fields", "--check", stdout=io.StringIO())

    out = io.StringIO()
    call_command("reencrypt_fields", stdout=out)
    assert "donations.Mandate.iban : 1 valeur(s) rechiffrée(s) sur 1." in out.getvalue()
    assert "donations.DebitBatch.content : 1 valeur(s) rechiffrée(s) sur 1." in out.getvalue()
    for row in written_with_the_old_key["rows"]:
        assert readable_with(NEW, stored(*row)), row

    # The old key can go: everything reads with the new one alone, byte for byte.
    settings.FIELD_ENCRYPTION_KEYS_OLD = []
    call_command("reencrypt_fields", "--check", stdout=io.StringIO())
    assert Mandate.objects.get().iban == IBAN_FR
    assert MandateAmendment.objects.get().old_iban == IBAN_DE
    assert Debit.objects.get().sent_iban == IBAN_FR
    fresh = DebitBatch.objects.get()
    assert fresh.content == batch.content and fresh.sha256 == batch.sha256

    # A second run has nothing left to do.
    again = io.StringIO()
    call_command("reencrypt_fields", stdout=again)
    assert "donations.Mandate.iban : 0 valeur(s) rechiffrée(s) sur 1." in again.getvalue()


def test_a_value_no_key_reads_stops_the_command_and_changes_nothing(
    written_with_the_old_key, settings
):
    settings.FIELD_ENCRYPTION_KEY = NEW
    settings.FIELD_ENCRYPTION_KEYS_OLD = [Fernet.generate_key().decode()]  # not OLD
    before = {row: stored(*row) for row in written_with_the_old_key["rows"]}
    with pytest.raises(CommandError, match="aucune clé"):
        call_command("reencrypt_fields", stdout=io.StringIO())
    assert {row: stored(*row) for row in before} == before
