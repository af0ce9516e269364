"""The tax receipt as a PDF, with every mention of model Cerfa 11580*05.

Always in French, whatever the donor's language: it is a document for the French tax
office, so its text is written here once, in French, rather than through the catalogues.
Made in memory with fpdf2 and a Unicode TrueType font (any name prints right: Kılıç,
Łukasz, Dvořák). The same receipt always gives the same bytes (the creation date is the
issue date), so a copy made again years later is the document that was sent.
"""

from datetime import date

from django.conf import settings
from django.utils import timezone

from core.formats import format_date, format_money, french_typography
from core.pdf import FONT_FAMILY, pdf_document
from donations.words import amount_in_words

NBSP = "\u00a0"
FAMILY = FONT_FAMILY
RED = (179, 0, 27)
GREY = (90, 90, 90)

TITLE = "Reçu au titre des dons à certains organismes d'intérêt général"
SUBTITLE = "Article 200 du code général des impôts — mentions du modèle Cerfa n° 11580*05"
CERTIFICATION = (
    "Le bénéficiaire certifie sur l'honneur que les dons et versements qu'il reçoit ouvrent "
    "droit à la réduction d'impôt prévue à l'article 200 du code général des impôts."
)
ACKNOWLEDGEMENT = (
    "Le bénéficiaire reconnaît avoir reçu, au titre des dons et versements ouvrant droit à "
    "réduction d'impôt, la somme de :"
)
KEEP = (
    "Conservez ce reçu : il justifie la réduction d'impôt sur le revenu que vous indiquerez "
    "dans votre déclaration (article 200 du code général des impôts)."
)


def _fr(text: str) -> str:
    """French typesetting: no-break spaces, the typographic apostrophe, « n° » kept with
    its number."""
    return french_typography(text).replace("'", "\u2019").replace("n° ", "n°" + NBSP)


def _day(value) -> str:
    """« 5 juin 2025 », never broken across two lines."""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return format_date(value, "day", "fr").replace(" ", NBSP)


def receipt_pdf(receipt, *, compress: bool = True) -> bytes:
    """The receipt, the cancelling receipt or the corrected receipt as issued."""
    Kind = type(receipt).Kind
    issued = timezone.localtime(receipt.issued_at)
    original = receipt.original

    pdf = pdf_document(
        title=f"Reçu fiscal n° {receipt.number}",
        author=settings.ORGANISATION_NAME,
        compress=compress,
    )
    pdf.set_creation_date(issued)
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(True, margin=16)
    pdf.add_page()

    def text(value, size=10, style="", height=5.2, color=None):
        pdf.set_font(FAMILY, style, size)
        if color:
            pdf.set_text_color(*color)
        pdf.multi_cell(0, height, _fr(value), new_x="LMARGIN", new_y="NEXT", align="L")
        if color:
            pdf.set_text_color(0, 0, 0)

    def heading(value):
        pdf.ln(3)
        pdf.set_font(FAMILY, "B", 11)
        pdf.set_fill_color(235, 235, 235)
        pdf.cell(0, 7, _fr(value), new_x="LMARGIN", new_y="NEXT", fill=True)
        pdf.ln(1.5)

    def line(label, value):
        pdf.set_font(FAMILY, "B", 9.5)
        pdf.cell(48, 5.2, _fr(label), new_x="RIGHT", new_y="TOP")
        pdf.set_font(FAMILY, "", 9.5)
        pdf.multi_cell(0, 5.2, _fr(value), new_x="LMARGIN", new_y="NEXT", align="L")

    if settings.ORGANISATION_IS_DEMO:
        text(
            "DÉMONSTRATION : reçu sans valeur fiscale, organisme fictif.",
            size=11,
            style="B",
            color=RED,
        )
        pdf.ln(1)

    text(TITLE, size=14, style="B", height=7)
    text(SUBTITLE, size=8.5, color=GREY)
    pdf.ln(2)
    pdf.set_font(FAMILY, "B", 12)
    pdf.cell(0, 8, _fr(f"Reçu n° {receipt.number}"), new_x="LMARGIN", new_y="NEXT", border="B")
    pdf.ln(2)
    if receipt.kind == Kind.CANCELLATION:
        text("Reçu d'annulation", size=12, style="B", color=RED)
        text(
            f"Ce reçu annule le reçu n° {original.number} du "
            f"{_day(timezone.localdate(original.issued_at))}, d'un montant de "
            f"{format_money(original.amount)}, qui ne doit plus être utilisé pour la "
            "déclaration de revenus : un ou plusieurs prélèvements ont été remboursés ou "
            "retournés par la banque, ou la somme reçue a changé. Le reçu rectificatif qui "
            "l'accompagne, s'il y en a un, indique la somme juste."
        )
    elif receipt.kind == Kind.CORRECTION:
        text("Reçu rectificatif", size=12, style="B")
        text(
            f"Ce reçu remplace le reçu n° {original.number} du "
            f"{_day(timezone.localdate(original.issued_at))}, annulé."
        )

    heading("Bénéficiaire des versements")
    line("Nom", settings.ORGANISATION_NAME)
    line("Adresse", settings.ORGANISATION_ADDRESS)
    line("Objet", settings.ORGANISATION_OBJECT)
    line("Statut", settings.ORGANISATION_STATUS)
    line("N° RNA ou SIREN", settings.ORGANISATION_REGISTRATION)

    heading("Donateur")
    line("Nom et prénom", receipt.donor_name)
    line("Adresse", receipt.donor_address)

    if receipt.kind == Kind.CANCELLATION:
        heading("Somme annulée")
        line("Montant", format_money(receipt.amount))
        line("En toutes lettres", amount_in_words(receipt.amount))
    else:
        heading("Dons reçus en " + str(receipt.year))
        text(ACKNOWLEDGEMENT, size=9.5)
        pdf.ln(1)
        pdf.set_font(FAMILY, "B", 13)
        pdf.cell(0, 8, _fr(format_money(receipt.amount)), new_x="LMARGIN", new_y="NEXT")
        line("Somme en toutes lettres", amount_in_words(receipt.amount))
        line("Forme du don", "déclaration de don manuel")
        line("Nature du don", "numéraire")
        line("Mode de versement", "prélèvement SEPA (dons mensuels)")
        dates = receipt.payment_dates
        line(
            "Dates des versements" if len(dates) > 1 else "Date du versement",
            ", ".join(_day(value) for value in dates) + ".",
        )
        pdf.ln(2)
        text(CERTIFICATION, size=9.5, style="B")

    pdf.ln(4)
    text(f"Fait le {_day(issued.date())}.", size=9.5)
    text(
        f"{settings.ORGANISATION_SIGNER_NAME}, {settings.ORGANISATION_SIGNER_ROLE}",
        size=9.5,
        style="B",
    )
    text("Signature imprimée.", size=8.5, color=GREY)
    if receipt.kind != Kind.CANCELLATION:
        pdf.ln(4)
        text(KEEP, size=8.5, color=GREY)
    return bytes(pdf.output())
