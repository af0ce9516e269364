"""Staff-only pages of the donations admin: the signed mandate, the receipts, the bank
files and their CSV export, the Dons team's page."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.spreadsheets import csv_response
from donations import selectors, services, tasks
from donations.models import Debit, DebitBatch, Mandate, Receipt
from donations.receipt_pdf import receipt_pdf

PDF_PERMISSION = "donations.view_mandate_pdf"


def mandate_pdf_download(request, pk):
    """The signed mandate with the whole IBAN, for the "Dons" group; made in memory,
    never stored, each opening recorded (``MandatePdfAccess``)."""
    if not request.user.has_perm(PDF_PERMISSION):
        raise PermissionDenied
    mandate = get_object_or_404(Mandate.objects.with_donor(), pk=pk)
    content = services.mandate_pdf_open(mandate=mandate, by=request.user)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="mandat-{mandate.rum}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


RECEIPT_VIEW = "donations.view_receipt"
RECEIPT_ISSUE = "donations.add_receipt"
LEDGER_HEADER = [
    "Numéro",
    "Type",
    "Année des dons",
    "Émis le",
    "Donateur",
    "Adresse",
    "Montant (€)",
    "Dates des versements",
    "Reçu annulé ou remplacé",
    "Annulé le",
    "Envoyé par courriel le",
]


def _require(request, permission):
    if not request.user.has_perm(permission):
        raise PermissionDenied


def receipt_pdf_download(request, pk):
    """A receipt as issued (always the same bytes), for the "Dons" group."""
    _require(request, RECEIPT_VIEW)
    receipt = get_object_or_404(Receipt.objects.select_related("original"), pk=pk)
    response = HttpResponse(receipt_pdf(receipt), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{receipt.filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else ""


def _ledger_rows(year: int, kinds: dict):
    receipts = (
        Receipt.objects.for_year(year)
        .select_related("original")
        .order_by("sequence")
        .only(
            "number",
            "kind",
            "year",
            "issued_at",
            "donor_name",
            "donor_address",
            "amount",
            "payment_dates",
            "cancelled_at",
            "emailed_at",
            "original__number",
        )
    )
    for receipt in receipts.iterator(chunk_size=2000):
        yield [
            receipt.number,
            kinds[receipt.kind],
            receipt.year,
            _local(receipt.issued_at),
            receipt.donor_name,
            receipt.donor_address.replace("\n", ", "),
            f"{receipt.amount:.2f}".replace(".", ","),
            " ".join(f"{value[8:10]}/{value[5:7]}/{value[:4]}" for value in receipt.payment_dates),
            receipt.original.number if receipt.original else "",
            _local(receipt.cancelled_at),
            _local(receipt.emailed_at),
        ]


def receipts_ledger(request, year):
    """The receipts ledger of a gift year as CSV, for the accountant (kept 6 years,
    LPF art. L. 102 E): every receipt in number order, cancellations included."""
    _require(request, RECEIPT_VIEW)
    with translation.override("fr"):
        kinds = {kind: str(label) for kind, label in Receipt.Kind.choices}
    return csv_response(
        LEDGER_HEADER, _ledger_rows(year, kinds), filename=f"recus-fiscaux-{year}.csv"
    )


def receipts_declaration(request):
    """The yearly totals the association declares (CGI art. 222 bis): per gift year, the
    number of receipts in force and their amount."""
    _require(request, RECEIPT_VIEW)
    years = list(Receipt.objects.declaration())
    context = {
        **admin.site.each_context(request),
        "title": _("Déclaration annuelle des reçus fiscaux"),
        "years": years,
        "can_issue": request.user.has_perm(RECEIPT_ISSUE),
        "opts": Receipt._meta,
    }
    return TemplateResponse(request, "admin/donations/receipt/declaration.html", context)


class ReceiptsIssueForm(forms.Form):
    year = forms.IntegerField(label=_("Année des dons"))

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2000 <= year < self.today.year:
            raise forms.ValidationError(
                _("Choisissez une année terminée, entre 2000 et %(last)s.")
                % {"last": self.today.year - 1}
            )
        return year


def receipts_issue_view(request):
    """Issue the receipts of a finished gift year: one per donor, emailed. Issuing twice
    issues nothing new; a refund since gives a cancelling and a corrected receipt."""
    _require(request, RECEIPT_ISSUE)
    today = timezone.localdate()
    if request.method == "POST":
        form = ReceiptsIssueForm(request.POST, today=today)
        if form.is_valid():
            year = form.cleaned_data["year"]
            tasks.receipts_issue_task.enqueue(year)
            messages.success(
                request,
                _(
                    "L'émission des reçus fiscaux %(year)s est lancée : ils apparaissent dans "
                    "la liste dès qu'ils sont émis, et partent par courriel."
                )
                % {"year": year},
            )
            return redirect(f"{reverse('admin:donations_receipt_changelist')}?year={year}")
    else:
        form = ReceiptsIssueForm(initial={"year": today.year - 1}, today=today)
    year = form.cleaned_data.get("year") if form.is_bound and form.is_valid() else today.year - 1
    context = {
        **admin.site.each_context(request),
        "title": _("Émettre les reçus fiscaux"),
        "form": form,
        "summary": Receipt.objects.year_summary(year),
        "opts": Receipt._meta,
    }
    return TemplateResponse(request, "admin/donations/receipt/issue.html", context)


def batch_file_download(request, pk):
    """The bank file, byte for byte as it was made; each download is recorded."""
    _require(request, "donations.download_debitbatch")
    batch = get_object_or_404(DebitBatch, pk=pk)
    content = services.batch_download(batch=batch, by=request.user, channel="admin")
    response = HttpResponse(content, content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{batch.filename}"'
    response["Cache-Control"] = "no-store"
    return response


CSV_HEADER = [
    "Fichier",
    "Échéance",
    "Référence de bout en bout",
    "RUM",
    "Donateur",
    "Montant",
    "Séquence",
    "Statut",
    "Code motif",
    "Encaissé le",
    "Échoué le",
]


def _csv_date(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _batches_csv_rows(batches):
    """The collected and failed debits of the batches, to match the bank's credit."""
    rows = (
        Debit.objects.filter(batch__in=batches)
        .exclude(status__in=[Debit.Status.SCHEDULED, Debit.Status.CANCELLED])
        .select_related("batch", "mandate__donor")
        .order_by("batch__due_on", "batch__part", "end_to_end_id")
    )
    for debit in rows.iterator(chunk_size=2000):
        yield [
            debit.batch.message_id,
            _csv_date(debit.due_on),
            debit.end_to_end_id,
            debit.mandate.rum,
            str(debit.mandate.donor),
            f"{debit.amount:.2f}".replace(".", ","),
            debit.sequence_type,
            debit.get_status_display(),
            debit.reason_code,
            _csv_date(debit.collected_on),
            _csv_date(debit.failed_on),
        ]


def batches_csv(batches):
    name = batches[0].message_id if len(batches) == 1 else f"{timezone.localdate():%Y-%m-%d}"
    return csv_response(CSV_HEADER, _batches_csv_rows(batches), filename=f"prelevements-{name}.csv")


def batch_csv_export(request, pk):
    _require(request, "donations.view_debitbatch")
    return batches_csv(list(DebitBatch.objects.filter(pk=pk)) or _not_found())


def _not_found():
    raise Http404


def dons_dashboard(request):
    """The Dons team's page: the debits month by month, the mandates in force, and when
    ``manage.py daily`` last ran (no run means no money)."""
    _require(request, "donations.view_debit")
    context = {
        **admin.site.each_context(request),
        "title": _("Tableau des dons"),
        "months": selectors.debits_by_month(),
        "mandates": selectors.mandates_in_force(),
        "daily": selectors.daily_last_run(),
        "flagged": selectors.debits_flagged()[:50],
        "donor_changes": selectors.donor_changes(),
        "batches": DebitBatch.objects.order_by("-created_at")[:10],
        "receipts": selectors.receipts_of_year(timezone.localdate().year - 1),
        "declaration": list(Receipt.objects.declaration()[:6]),
        "can_issue": request.user.has_perm(RECEIPT_ISSUE),
        "can_view_receipts": request.user.has_perm(RECEIPT_VIEW),
    }
    return TemplateResponse(request, "admin/donations/dashboard.html", context)
