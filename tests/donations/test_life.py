"""The whole life of a monthly gift, with the clock moved: pledged on the public form,
confirmed from the email, scheduled, sent in bank files, collected (one file rejected by
the bank), and the tax receipt issued the next January with the right figures."""

import io
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from pypdf import PdfReader

from donations.models import Debit, DebitBatch, Mandate, Receipt
from donations.services import batch_collect
from tests.donations.test_bank_answers import fixture
from tests.donations.test_gift import confirm_link

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def _at(*args):
    return datetime(*args, tzinfo=PARIS)


def test_a_monthly_gift_from_the_form_to_the_tax_receipt(
    client, gift_data, django_capture_on_commit_callbacks, tmp_path, settings
):
    settings.ORGANISATION_IS_DEMO = False
    # 2 March 2025: Camille pledges 15 € a month, debited on the 5th, and confirms.
    with (
        time_machine.travel(_at(2025, 3, 2, 10, 0), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post("/don/", gift_data(debit_day="5"))
    assert response.status_code == 302
    with (
        time_machine.travel(_at(2025, 3, 2, 10, 5), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        client.post(confirm_link(mail.outbox[0]))
    mandate = Mandate.objects.get()
    assert mandate.state == "active"
    # At least 14 days after the pre-notification; 5 April 2025 is a Saturday.
    assert mandate.first_debit_on == date(2025, 4, 7)

    # Each month: the daily schedule on the 25th, the bank file, collected after the due date.
    batches = []
    for month in range(3, 12):
        with time_machine.travel(_at(2025, month, 25, 6, 0), tick=False):
            call_command("debits_schedule", stdout=io.StringIO())
            debit = Debit.objects.get(status="scheduled")
            call_command(
                "bank_file",
                "--due",
                debit.due_on.isoformat(),
                "--output",
                str(tmp_path / f"remise-{month}.xml"),
                stdout=io.StringIO(),
            )
            batch = DebitBatch.objects.get(debits=debit)
            batches.append(batch)
        if month == 8:
            # The bank rejects the September file as a whole (FF01, bad format).
            with time_machine.travel(_at(2025, 8, 26, 9, 0), tick=False):
                answer = tmp_path / "rejet.xml"
                answer.write_bytes(
                    fixture(
                        "pain002_file_rejected.xml",
                        message_id="STS-2025-09",
                        batch=batch.message_id,
                    )
                )
                call_command("bank_answer", str(answer), stdout=io.StringIO())
            continue
        with time_machine.travel(_at(2025, month + 1, debit.due_on.day, 9, 0) + timedelta(days=1)):
            batch_collect(batch=batch)

    debits = list(Debit.objects.order_by("due_on"))
    assert [debit.due_on.isoformat() for debit in debits] == [
        "2025-04-07",
        "2025-05-05",
        "2025-06-05",
        "2025-07-07",
        "2025-08-05",
        "2025-09-05",
        "2025-10-06",
        "2025-11-05",
        "2025-12-05",
    ]
    assert [debit.sequence_type for debit in debits] == ["FRST"] + ["RCUR"] * 8
    assert [debit.status for debit in debits].count("collected") == 8
    assert Debit.objects.get(due_on="2025-09-05").reason_code == "FF01"
    assert all(debit.amount == Decimal("15.00") for debit in debits)
    assert debits[0].remittance == f"Don mensuel {settings.ORGANISATION_NAME} avril 2025"

    # January 2026: the receipt of the gift year 2025, for the 8 debits collected.
    mail.outbox.clear()
    with (
        time_machine.travel(_at(2026, 1, 12, 8, 0), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("tax_receipts", "--year", "2025", stdout=io.StringIO())
    receipt = Receipt.objects.get()
    assert receipt.number == "2025-000001"
    assert receipt.amount == Decimal("120.00")
    assert receipt.payment_dates == [
        "2025-04-07",
        "2025-05-05",
        "2025-06-05",
        "2025-07-07",
        "2025-08-05",
        "2025-10-06",
        "2025-11-05",
        "2025-12-05",
    ]
    (message,) = mail.outbox
    assert message.to == ["camille@example.org"]
    ((name, content, _type),) = message.attachments
    assert name == "recu-fiscal-2025-000001.pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    text = " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())
    for mention in [
        "Reçu n° 2025-000001",
        "Camille Martin",
        "12 rue des Lilas",
        "69003 Lyon",
        "120,00 €",
        "cent vingt euros",
        "7 avril 2025",
        "6 octobre 2025",
        "5 décembre 2025",
        "Fait le 12 janvier 2026",
    ]:
        assert mention in text, mention
    assert "5 septembre 2025" not in text
