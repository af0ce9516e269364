"""The signed SEPA mandate as a PDF, made in memory with fpdf2; never written to disk.

Set in the committed DejaVu Sans (``core.pdf``), so every name prints as written
(Kılıç, Łukasz, Dvořák). The legal text is the one template the page and the emails use
(``donations/_mandate_legal.txt``).
"""

from html import unescape

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.formats import format_date, format_money
from core.pdf import FONT_FAMILY, pdf_document
from donations import sepa
from donations.models import sepa_creditor


def mandate_legal_text(creditor: dict) -> str:
    """The scheme's text (authorisation, 8-week refund, rights), as plain text."""
    html = render_to_string("donations/_mandate_legal.txt", {"creditor": creditor})
    return unescape(html).strip()


def mandate_pdf(mandate, *, full_iban: bool = False, compress: bool = True) -> bytes:
    """The mandate as the donor signed it. The copy emailed to the donor shows the masked
    IBAN; the staff copy (``full_iban=True``) the whole account number."""
    language = translation.get_language() or "fr"
    creditor = sepa_creditor()
    donor = mandate.donor

    pdf = pdf_document(
        title=_("Mandat de prélèvement SEPA") + " " + mandate.rum,
        author=creditor["name"],
        compress=compress,
    )
    pdf.set_margins(18, 18, 18)
    pdf.add_page()

    def heading(text, size=16):
        pdf.set_font(FONT_FAMILY, "B", size)
        pdf.multi_cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)

    def line(label, value):
        pdf.set_font(FONT_FAMILY, "B", 10)
        pdf.cell(62, 6, label, new_x="RIGHT", new_y="TOP")
        pdf.set_font(FONT_FAMILY, "", 10)
        pdf.multi_cell(0, 6, value, new_x="LMARGIN", new_y="NEXT")

    def paragraph(text, size=9):
        pdf.set_font(FONT_FAMILY, "", size)
        pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)

    if creditor["is_demo"]:
        pdf.set_text_color(179, 0, 27)
        heading(_("DÉMONSTRATION : mandat sans valeur, créancier fictif"), size=12)
        pdf.set_text_color(0, 0, 0)

    heading(_("Mandat de prélèvement SEPA"))
    line(_("Référence unique du mandat (RUM)"), mandate.rum)
    line(_("Type de paiement"), _("Paiement récurrent (mensuel)"))
    pdf.ln(3)

    heading(_("Créancier"), size=12)
    line(pgettext("créancier", "Nom"), creditor["name"])
    line(_("Adresse"), creditor["address"])
    line(_("Identifiant créancier SEPA (ICS)"), creditor["id"])
    pdf.ln(3)

    heading(_("Débiteur"), size=12)
    line(_("Titulaire du compte"), mandate.account_holder)
    line(_("Donateur"), f"{donor.first_name} {donor.last_name}")
    line(
        _("Adresse"),
        f"{donor.street}, {donor.postal_code} {donor.city}, {donor.country.name}",
    )
    line(_("IBAN"), sepa.iban_format(mandate.iban) if full_iban else mandate.iban_masked)
    if mandate.bic:
        line(_("BIC"), mandate.bic)
    pdf.ln(3)

    heading(_("Prélèvement"), size=12)
    line(_("Montant mensuel"), format_money(mandate.amount, language))
    line(_("Jour de prélèvement"), _("le %(day)s de chaque mois") % {"day": mandate.debit_day})
    if mandate.first_debit_on:
        line(_("Premier prélèvement"), format_date(mandate.first_debit_on, "day", language))
    signed = timezone.localtime(mandate.signed_at) if mandate.signed_at else None
    line(
        _("Signé le"),
        format_date(signed.date(), "day", language) + signed.strftime(" %H:%M")
        if signed
        else _("non signé"),
    )
    line(_("Lieu de signature"), mandate.signature_place or "-")
    line(_("Signature"), _("électronique, par confirmation depuis l'adresse du donateur"))
    pdf.ln(4)

    paragraph(mandate_legal_text(creditor))
    return bytes(pdf.output())
