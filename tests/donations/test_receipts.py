import io
import os
import stat
import threading
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone
from pypdf import PdfReader

from donations import services
from donations.models import Debit, DebitBatch, Receipt, ReceiptCounter
from donations.receipt_pdf import receipt_pdf
from tests.concurrency import in_threads
from tests.factories import DebitFactory, DonorFactory, MandateFactory

PARIS = ZoneInfo("Europe/Paris")
JANUARY = date(2026, 1, 15)


def collect(mandate, *days, amount="15", status=Debit.Status.COLLECTED):
    """Debits of ``mandate`` due and settled on ``days``, sent in one bank file."""
    batch = DebitBatch.objects.create(
        message_id=f"MSG-{DebitBatch.objects.count() + 1}-{days[0]:%Y%m%d}",
        created_at=timezone.now(),
        due_on=days[0],
        version="pain.008.001.02",
        debit_count=len(days),
        total=Decimal(amount) * len(days),
        content="<Document/>",
        sha256="0" * 64,
    )
    return [
        DebitFactory(
            mandate=mandate,
            due_on=day,
            month=day.replace(day=1),
            amount=Decimal(amount),
            status=status,
            batch=batch,
            sent_at=timezone.now(),
            collected_on=day if status != Debit.Status.REJECTED else None,
        )
        for day in days
    ]


def months(year, *numbers, day=5):
    return [date(year, number, day) for number in numbers]


def pdf_text(content: bytes) -> str:
    """The text of a PDF, no-break spaces read as spaces."""
    pages = PdfReader(io.BytesIO(content)).pages
    return "\n".join(page.extract_text() for page in pages).replace("\u00a0", " ")


@pytest.fixture
def issue(django_capture_on_commit_callbacks):
    """Issue a year's receipts in January 2026, the emails sent as on commit."""

    def run(year=2025, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return services.receipts_issue(year=year, today=JANUARY, **kwargs)

    return run


@pytest.fixture
def camille(db):
    mandate = MandateFactory(
        donor=DonorFactory(first_name="Camille", last_name="Kılıç-Dvořák", language="fr")
    )
    collect(mandate, *months(2025, 1, 2, 3, 4, 5, 6))
    return mandate


# --- Issuing ---------------------------------------------------------------------------


def test_one_receipt_per_donor_numbered_by_gift_year(camille, issue):
    other = MandateFactory()
    collect(other, *months(2025, 3, 4), amount="50")
    second_mandate_of_camille = MandateFactory(donor=camille.donor, amount=10)
    collect(second_mandate_of_camille, date(2025, 11, 15), amount="10")

    result = issue()

    assert (result.originals, result.cancellations, result.corrections) == (2, 0, 0)
    receipts = list(Receipt.objects.order_by("sequence"))
    assert [r.number for r in receipts] == ["2025-000001", "2025-000002"]
    mine = Receipt.objects.get(donor=camille.donor)
    assert mine.amount == Decimal("100.00")
    assert mine.payment_dates[0] == "2025-01-05" and mine.payment_dates[-1] == "2025-11-15"
    assert mine.donor_name == "Camille Kılıç-Dvořák"
    assert mine.donor_address == "12 rue des Lilas\n69003 Lyon"
    assert mine.debits.count() == 7
    assert ReceiptCounter.objects.get(year=2025).last == 2


def test_a_returned_or_refunded_or_rejected_debit_is_excluded(camille, issue):
    collect(camille, date(2025, 7, 5), status=Debit.Status.RETURNED)
    collect(camille, date(2025, 8, 5), status=Debit.Status.REFUNDED)
    collect(camille, date(2025, 9, 5), status=Debit.Status.REJECTED)
    DebitFactory(mandate=camille, due_on=date(2025, 10, 5), month=date(2025, 10, 1))

    issue()

    receipt = Receipt.objects.get()
    assert receipt.amount == Decimal("90.00")
    assert "2025-07-05" not in receipt.payment_dates
    assert len(receipt.payment_dates) == 6


def test_only_the_debits_collected_in_the_gift_year_count(camille, issue):
    collect(camille, date(2024, 12, 5), date(2026, 1, 5))

    issue()

    assert Receipt.objects.get().amount == Decimal("90.00")


def test_a_donor_with_nothing_collected_gets_no_receipt(db, issue):
    collect(MandateFactory(), date(2025, 3, 5), status=Debit.Status.RETURNED)

    assert issue().total == 0
    assert not Receipt.objects.exists()


def test_running_twice_issues_nothing_new(camille, issue):
    issue()
    mail.outbox.clear()

    result = issue()

    assert result.total == 0
    assert Receipt.objects.count() == 1
    assert ReceiptCounter.objects.get(year=2025).last == 1
    assert mail.outbox == []


def test_the_gift_year_must_be_over(camille):
    with pytest.raises(ValueError):
        services.receipts_issue(year=2026, today=date(2026, 12, 31))
    assert not Receipt.objects.exists()


def test_each_gift_year_has_its_own_sequence(camille, issue):
    collect(camille, date(2024, 12, 5))
    services.receipts_issue(year=2024, today=JANUARY)
    issue()

    assert sorted(Receipt.objects.values_list("number", flat=True)) == [
        "2024-000001",
        "2025-000001",
    ]


# --- Refunds after a receipt -----------------------------------------------------------


def test_a_refund_after_the_receipt_cancels_it_and_issues_a_corrected_one(camille, issue):
    collect(MandateFactory(), date(2025, 5, 5))
    issue()
    original = Receipt.objects.get(donor=camille.donor)
    refunded = camille.debits.get(due_on=date(2025, 3, 5))
    refunded.status = Debit.Status.REFUNDED
    refunded.reason_code = "MD06"
    refunded.save()
    mail.outbox.clear()

    result = issue()

    assert (result.originals, result.cancellations, result.corrections) == (0, 1, 1)
    cancellation = Receipt.objects.get(kind=Receipt.Kind.CANCELLATION)
    correction = Receipt.objects.get(kind=Receipt.Kind.CORRECTION)
    original.refresh_from_db()
    # The numbers continue the year's sequence.
    assert (original.number, cancellation.number, correction.number) == (
        "2025-000001",
        "2025-000003",
        "2025-000004",
    )
    assert original.cancelled_at is not None
    assert cancellation.original == original and correction.original == original
    assert cancellation.amount == Decimal("90.00")
    assert correction.amount == Decimal("75.00")
    assert "2025-03-05" not in correction.payment_dates
    assert list(Receipt.objects.in_force().filter(donor=camille.donor)) == [correction]
    text = pdf_text(receipt_pdf(cancellation))
    assert "Reçu d’annulation" in text and "2025-000001" in text
    assert "quatre-vingt-dix euros" in text
    assert "remplace le reçu n° 2025-000001" in pdf_text(receipt_pdf(correction))
    # One email carries both documents.
    assert len(mail.outbox) == 1
    names = [name for name, _content, _type in mail.outbox[0].attachments]
    assert names == ["recu-fiscal-2025-000003.pdf", "recu-fiscal-2025-000004.pdf"]
    assert "2025-000001" in mail.outbox[0].subject or "2025-000001" in mail.outbox[0].body
    # And nothing more the next time.
    assert issue().total == 0


def test_when_everything_is_refunded_only_a_cancelling_receipt_is_issued(camille, issue):
    issue()
    camille.debits.update(status=Debit.Status.REFUNDED)

    result = issue()

    assert (result.cancellations, result.corrections) == (1, 0)
    assert not Receipt.objects.in_force().exists()
    assert "2025-000001" in mail.outbox[-1].subject
    assert [name for name, _c, _t in mail.outbox[-1].attachments] == ["recu-fiscal-2025-000002.pdf"]


# --- Sending ---------------------------------------------------------------------------


def test_each_receipt_is_emailed_as_a_pdf_in_the_donors_language(camille, issue):
    english = MandateFactory(donor=DonorFactory(language="en", first_name="Sam"))
    collect(english, date(2025, 6, 5))

    issue()

    assert len(mail.outbox) == 2
    by_address = {message.to[0]: message for message in mail.outbox}
    french = by_address[camille.donor.email]
    assert french.subject == "Votre reçu fiscal pour vos dons de 2025"
    name, content, mimetype = french.attachments[0]
    assert (name, mimetype) == ("recu-fiscal-2025-000001.pdf", "application/pdf")
    assert content == receipt_pdf(Receipt.objects.get(donor=camille.donor))
    assert by_address[english.donor.email].subject == "Your tax receipt for your 2025 gifts"
    assert Receipt.objects.filter(emailed_at=None).count() == 0


def test_no_email_when_asked(camille, issue):
    issue(send=False)

    assert mail.outbox == []
    assert Receipt.objects.get().emailed_at is None


# --- The PDF ---------------------------------------------------------------------------


def test_the_pdf_carries_every_mention_of_the_cerfa_model(camille, settings, issue):
    settings.ORGANISATION_IS_DEMO = False
    issue(send=False)
    receipt = Receipt.objects.get()
    receipt.issued_at = datetime(2026, 1, 15, 10, 0, tzinfo=PARIS)

    text = pdf_text(receipt_pdf(receipt))

    for mention in [
        "Reçu n° 2025-000001",
        settings.ORGANISATION_NAME,
        settings.ORGANISATION_ADDRESS.replace("'", "’"),
        settings.ORGANISATION_OBJECT,
        settings.ORGANISATION_STATUS,
        settings.ORGANISATION_REGISTRATION,
        "Camille Kılıç-Dvořák",
        "12 rue des Lilas",
        "69003 Lyon",
        "90,00 €",
        "quatre-vingt-dix euros",
        "5 janvier 2025",
        "5 juin 2025",
        "déclaration de don manuel",
        "numéraire",
        "prélèvement SEPA",
        "article 200 du code général des impôts",
        "certifie sur l’honneur",
        f"{settings.ORGANISATION_SIGNER_NAME}, {settings.ORGANISATION_SIGNER_ROLE}",
        "Fait le 15 janvier 2026",
    ]:
        assert mention in text, mention
    assert "DÉMONSTRATION" not in text


def test_the_pdf_says_demo_with_the_demo_identity(camille, settings, issue):
    settings.ORGANISATION_IS_DEMO = True
    issue(send=False)

    assert "DÉMONSTRATION" in pdf_text(receipt_pdf(Receipt.objects.get()))


def test_the_pdf_is_french_whatever_the_language_and_the_same_bytes_each_time(camille, issue):
    from django.utils import translation

    issue(send=False)
    receipt = Receipt.objects.get()
    first = receipt_pdf(receipt)
    with translation.override("en"):
        again = receipt_pdf(Receipt.objects.get())
    assert first == again
    assert "Dons reçus en 2025" in pdf_text(first)


# --- The command -----------------------------------------------------------------------


def test_the_command_issues_and_writes_the_pdfs_for_the_post(camille, tmp_path):
    out = io.StringIO()
    directory = tmp_path / "recus"

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "localdate", lambda *args: JANUARY)
        call_command("tax_receipts", year=2025, output_dir=directory, stdout=out)
        call_command("tax_receipts", "--year", "2025", "--output-dir", str(directory), stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0] == ("2025 : reçus émis : 1, reçus d'annulation : 0, reçus rectificatifs : 0.")
    assert "Numéros 2025-000001 à 2025-000001." in lines
    assert f"PDF écrits dans {directory} : 1." in lines
    assert f"PDF écrits dans {directory} : 0." in lines
    path = directory / "recu-fiscal-2025-000001.pdf"
    assert path.read_bytes() == receipt_pdf(Receipt.objects.get())
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert Receipt.objects.count() == 1


def test_the_command_refuses_a_year_not_over(db):
    with pytest.raises(CommandError, match="L'année des dons doit être terminée"):
        call_command("tax_receipts", year=timezone.localdate().year)


# --- Numbering under concurrency (PostgreSQL) ------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_numbers_stay_gapless_and_unique_when_taken_at_once_and_some_roll_back():
    taken = []
    lock = threading.Lock()

    class Abandon(Exception):
        pass

    def work(index):
        for attempt in range(5):
            try:
                with transaction.atomic():
                    numbers = services.receipt_numbers_take(year=2025, count=1 + index % 3)
                    if (index + attempt) % 4 == 0:
                        raise Abandon
                    with lock:
                        taken.extend(numbers)
            except Abandon:
                pass

    errors = in_threads(8, work)

    assert errors == []
    assert sorted(taken) == list(range(1, len(taken) + 1))
    assert ReceiptCounter.objects.get(year=2025).last == len(taken)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_issue_one_receipt_per_donor_with_gapless_numbers():
    mandates = [MandateFactory() for _ in range(30)]
    for mandate in mandates:
        collect(mandate, date(2025, 4, 5), date(2025, 5, 5))

    errors = in_threads(
        4,
        lambda index: services.receipts_issue(year=2025, today=JANUARY, send=False, chunk_size=7),
    )

    assert errors == []
    sequences = sorted(Receipt.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, 31))
    assert Receipt.objects.values("donor").distinct().count() == 30


# --- Staff: the admin, the declaration, the ledger, permissions -------------------------


def staff(username, group_name=None):
    user = get_user_model().objects.create_user(username=username, password="x", is_staff=True)
    if group_name:
        user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def dons_client(client):
    client.force_login(staff("dons", "Dons"))
    return client


def test_the_dons_group_reaches_receipts_their_pdf_the_declaration_and_the_ledger(
    camille, dons_client, issue
):
    issue(send=False)
    receipt = Receipt.objects.get()

    listing = dons_client.get("/admin/donations/receipt/")
    assert listing.status_code == 200 and "2025-000001" in listing.content.decode()
    assert dons_client.get(f"/admin/donations/receipt/{receipt.pk}/change/").status_code == 200
    pdf = dons_client.get(f"/admin/donations/receipt/{receipt.pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content == receipt_pdf(receipt)
    declaration = dons_client.get("/admin/donations/receipt/declaration/")
    assert declaration.status_code == 200
    assert "90,00\u00a0€" in declaration.content.decode()
    assert dons_client.get("/admin/donations/receipt/ledger/2025/").status_code == 200
    issue_page = dons_client.get("/admin/donations/receipt/issue/")
    assert issue_page.status_code == 200
    assert "reçus en vigueur :" in issue_page.content.decode()
    assert "(s)" not in issue_page.content.decode()


@pytest.mark.parametrize(
    ("username", "group_name"),
    [("editeur", "Éditeurs"), ("mobilisation", "Mobilisation"), ("staff", None)],
)
def test_only_the_dons_group_reaches_receipts(camille, client, username, group_name, issue):
    issue(send=False)
    receipt = Receipt.objects.get()
    client.force_login(staff(username, group_name))
    for url in [
        "/admin/donations/receipt/",
        f"/admin/donations/receipt/{receipt.pk}/change/",
        f"/admin/donations/receipt/{receipt.pk}/pdf/",
        "/admin/donations/receipt/declaration/",
        "/admin/donations/receipt/ledger/2025/",
        "/admin/donations/receipt/issue/",
    ]:
        assert client.get(url).status_code == 403, url
    assert client.post("/admin/donations/receipt/issue/", {"year": "2025"}).status_code == 403
    assert Receipt.objects.count() == 1


def test_receipts_cannot_be_edited_nor_deleted_even_by_dons(camille, dons_client, issue):
    issue(send=False)
    receipt = Receipt.objects.get()

    response = dons_client.post(f"/admin/donations/receipt/{receipt.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert Receipt.objects.filter(pk=receipt.pk).exists()


def test_the_declaration_counts_the_receipts_in_force_and_their_total(camille, dons_client, issue):
    other = MandateFactory()
    collect(other, date(2025, 3, 5), amount="50")
    issue(send=False)
    refunded = camille.debits.get(due_on=date(2025, 1, 5))
    refunded.status = Debit.Status.REFUNDED
    refunded.save()
    issue(send=False)

    (row,) = Receipt.objects.declaration()

    assert (row["year"], row["count"], row["total"]) == (2025, 2, Decimal("125.00"))
    assert (row["issued"], row["cancellations"]) == (4, 1)
    page = dons_client.get("/admin/donations/receipt/declaration/").content.decode()
    assert "125,00\u00a0€" in page and "222 bis" in page


def test_the_ledger_lists_every_receipt_in_number_order_as_a_spreadsheet_reads_it(
    camille, dons_client, issue
):
    hostile = MandateFactory(donor=DonorFactory(first_name="=HYPERLINK(1)", last_name="X"))
    collect(hostile, date(2025, 9, 5))
    issue(send=False)
    camille.debits.filter(due_on=date(2025, 1, 5)).update(status=Debit.Status.RETURNED)
    issue(send=False)

    response = dons_client.get("/admin/donations/receipt/ledger/2025/")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="recus-fiscaux-2025.csv"' in response["Content-Disposition"]
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeffNuméro;Type;Année des dons;")
    lines = content.split("\r\n")
    assert [line.split(";")[0] for line in lines[1:5]] == [
        "2025-000001",
        "2025-000002",
        "2025-000003",
        "2025-000004",
    ]
    assert ";'=HYPERLINK(1) X;" in content
    assert "reçu d’annulation" in lines[3] and ";90,00;" in lines[3]
    assert ";75,00;" in lines[4] and "2025-000001" in lines[4]


def test_dons_issue_the_years_receipts_from_the_admin(
    camille, dons_client, django_capture_on_commit_callbacks
):
    with pytest.MonkeyPatch.context() as patch, django_capture_on_commit_callbacks(execute=True):
        patch.setattr(timezone, "localdate", lambda *args: JANUARY)
        wrong = dons_client.post("/admin/donations/receipt/issue/", {"year": "2026"})
        assert "Choisissez une année terminée, entre 2000 et 2025." in wrong.content.decode()
        assert not Receipt.objects.exists()
        response = dons_client.post("/admin/donations/receipt/issue/", {"year": "2025"})

    assert response.status_code == 302
    assert Receipt.objects.get().number == "2025-000001"
    assert len(mail.outbox) == 1


def test_the_resend_action_emails_the_receipt_again(
    camille, dons_client, issue, django_capture_on_commit_callbacks
):
    issue()
    receipt = Receipt.objects.get()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        dons_client.post(
            "/admin/donations/receipt/",
            {"action": "resend_receipts", "_selected_action": [receipt.pk], "confirm": "yes"},
        )

    assert len(mail.outbox) == 1
    assert mail.outbox[0].attachments[0][0] == "recu-fiscal-2025-000001.pdf"


def test_an_issue_date_is_written_in_paris_time(camille, issue):
    issue(send=False)
    receipt = Receipt.objects.get()
    receipt.issued_at = datetime(2026, 1, 15, 23, 30, tzinfo=ZoneInfo("UTC"))

    assert "Fait le 16 janvier 2026" in pdf_text(receipt_pdf(receipt))
    assert timezone.localtime(receipt.issued_at).tzinfo.key == PARIS.key


def test_the_demo_issues_last_years_receipts_dated_in_january_once_and_emails_none(camille):
    from donations import demo

    out = io.StringIO()
    demo._load_receipts(stdout=out, today=date(2026, 12, 2))
    demo._load_receipts(stdout=out, today=date(2026, 12, 2))

    receipt = Receipt.objects.get()
    assert timezone.localtime(receipt.issued_at).date() == date(2026, 1, 15)
    assert out.getvalue() == "Dons : 1 reçu fiscal de démonstration pour 2025."
    assert mail.outbox == []


def test_an_output_dir_that_cannot_be_written_is_a_clear_message(camille, tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "localdate", lambda *args: JANUARY)
        with pytest.raises(CommandError, match="n'ont pas pu être écrits"):
            call_command("tax_receipts", year=2025, output_dir=blocked / "recus", no_email=True)

    assert Receipt.objects.count() == 1
