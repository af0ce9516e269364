"""make bench-money runs every money step on the mandates it makes, and leaves nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from donations.models import Debit, Mandate, Receipt

pytestmark = pytest.mark.django_db


def test_the_money_bench_runs_each_step_and_rolls_everything_back():
    out = StringIO()
    call_command("money_bench", "--mandates", "30", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("30 mandats créés en ")
    steps = [line.split()[0] for line in lines[1:]]
    assert steps == ["debits_schedule", "bank_file", "batch_collect", "tax_receipts", "1000"]
    assert "30 prélèvements programmés" in lines[1]
    assert "30 prélèvements en 1 fichier," in lines[2]
    assert "30 prélèvements encaissés" in lines[3]
    assert "30 reçus émis (2027-000001 à 2027-000030)" in lines[4]
    assert "30 PDF de reçus" in lines[5]
    assert not Mandate.objects.exists()
    assert not Debit.objects.exists()
    assert not Receipt.objects.exists()
