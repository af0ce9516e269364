"""The signed mandate as a PDF (donations.pdf), read back as a person would read it."""

from html import unescape

from django.utils import translation

from donations.pdf import mandate_pdf
from tests.donations.conftest import IBAN_FR
from tests.factories import DonorFactory, MandateFactory


def test_the_pdf_mandate_carries_every_mention_of_the_scheme(db, pdf_text):
    mandate = MandateFactory(
        rum="DON-00000042-ABCD1234", donor=DonorFactory(first_name="Zoé", last_name="Lefèvre")
    )
    with translation.override("fr"):
        text = pdf_text(mandate_pdf(mandate))
    for expected in [
        "Mandat de prélèvement SEPA",
        "DON-00000042-ABCD1234",
        "Victoires — section française (DÉMO)",
        "FR72ZZZ123456",
        "1 rue de l'Exemple, 75000 Paris, France",
        "Paiement récurrent (mensuel)",
        "Zoé Lefèvre",
        "FR76 **** **** **** **** **** 189",
        "15,00 €",
        "DÉMONSTRATION : mandat sans valeur, créancier fictif",
        "Lieu de signature",
        "8 semaines",
    ]:
        assert expected in text, expected
    assert IBAN_FR not in text


def test_the_english_pdf_names_the_creditor_and_the_refund_right(db, pdf_text):
    mandate = MandateFactory(rum="DON-00000042-ABCD1234")
    with translation.override("en"):
        text = pdf_text(mandate_pdf(mandate))
    for expected in [
        "SEPA Direct Debit Mandate",
        "Unique mandate reference (UMR)",
        "Name",
        "SEPA creditor identifier",
        "Recurrent payment (monthly)",
        "within 8 weeks",
        "€15.00",
    ]:
        assert expected in text, expected
    assert "Last name" not in text


def test_the_staff_copy_of_the_pdf_shows_the_whole_iban(db, pdf_text):
    mandate = MandateFactory()
    text = pdf_text(mandate_pdf(mandate, full_iban=True))
    assert "FR76 3000 6000 0112 3456 7890 189" in text


def test_names_outside_latin_1_print_as_written(db, pdf_text):
    mandate = MandateFactory(
        donor=DonorFactory(first_name="Łukasz", last_name="Dvořák"),
        account_holder="Kılıç & Fils – N’Diaye",
    )
    content = mandate_pdf(mandate)
    text = pdf_text(content)
    assert "Łukasz Dvořák" in text
    assert "Kılıç & Fils – N’Diaye" in text
    assert b"/FontFile2" in content  # the TrueType font is embedded


def test_the_pdf_legal_text_is_the_pages_text(db, pdf_text, client):
    from donations.models import sepa_creditor
    from donations.pdf import mandate_legal_text

    legal = mandate_legal_text(sepa_creditor())
    assert legal.startswith("En signant ce formulaire de mandat, vous autorisez Victoires")
    assert legal in pdf_text(mandate_pdf(MandateFactory()))
    assert legal in unescape(client.get("/don/").content.decode())


def test_the_emails_carry_the_same_legal_text(
    client, gift_data, django_capture_on_commit_callbacks
):
    from django.core import mail

    from donations.models import Mandate, sepa_creditor
    from donations.pdf import mandate_legal_text
    from donations.services import mandate_confirm

    legal = mandate_legal_text(sepa_creditor())
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/don/", gift_data())
    with django_capture_on_commit_callbacks(execute=True):
        mandate_confirm(mandate=Mandate.objects.get())
    pending, confirmed = mail.outbox
    for message in (pending, confirmed):
        assert legal in message.body
        assert legal in unescape(message.alternatives[0][0])
