"""The signed SEPA mandate as a PDF, made in memory with fpdf2 (no system package).

fpdf2's built-in Helvetica is used with the Windows-1252 encoding, which covers French
(accents, « », œ, €) without shipping a font file. Never written to disk.
"""

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from fpdf import FPDF

from core.formats import format_date, format_money
from donations import rules
from donations.models import sepa_creditor

NBSP = "\u00a0"


def _latin(text: str) -> str:
    """Text the Windows-1252 Helvetica can print (typographic spaces become plain)."""
    text = text.replace("\u202f", NBSP).replace("\u2009", " ")
    return text.encode("cp1252", errors="replace").decode("cp1252")


def mandate_pdf(mandate, *, full_iban: bool = False, compress: bool = True) -> bytes:
    """The mandate as the donor signed it. The copy emailed to the donor shows the masked
    IBAN; the staff copy (``full_iban=True``) the whole account number."""
    language = translation.get_language() or "fr"
    creditor = sepa_creditor()
    donor = mandate.donor

    pdf = FPDF(format="A4")
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_compression(compress)
    pdf.set_title(_latin(_("Mandat de prélèvement SEPA") + " " + mandate.rum))
    pdf.set_author(_latin(creditor["name"]))
    pdf.set_margins(18, 18, 18)
    pdf.add_page()

    def heading(text, size=16):
        pdf.set_font("Helvetica", "B", size)
        pdf.multi_cell(0, 8, _latin(text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)

    def line(label, value):
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(62, 6, _latin(label), new_x="RIGHT", new_y="TOP")
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(0, 6, _latin(value), new_x="LMARGIN", new_y="NEXT")

    def paragraph(text, size=9):
        pdf.set_font("Helvetica", "", size)
        pdf.multi_cell(0, 5, _latin(text), new_x="LMARGIN", new_y="NEXT")
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
    line(_("IBAN"), rules.iban_format(mandate.iban) if full_iban else mandate.iban_masked)
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

    paragraph(
        _(
            "En signant ce formulaire de mandat, vous autorisez %(creditor)s à envoyer des "
            "instructions à votre banque pour débiter votre compte, et votre banque à débiter "
            "votre compte conformément aux instructions de %(creditor)s. Vous bénéficiez du "
            "droit d'être remboursé par votre banque selon les conditions décrites dans la "
            "convention que vous avez passée avec elle. Une demande de remboursement doit "
            "être présentée dans les 8 semaines suivant la date de débit de votre compte pour "
            "un prélèvement autorisé. Vos droits concernant le présent mandat sont expliqués "
            "dans un document que vous pouvez obtenir auprès de votre banque."
        )
        % {"creditor": creditor["name"]}
    )
    return bytes(pdf.output())
