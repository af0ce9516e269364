"""Staff-only pages of the donations admin."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from donations.models import Mandate
from donations.pdf import mandate_pdf

PDF_PERMISSION = "donations.view_mandate_pdf"


def mandate_pdf_download(request, pk):
    """The signed mandate with the whole IBAN, for the "Dons" group; made in memory,
    never stored."""
    if not request.user.has_perm(PDF_PERMISSION):
        raise PermissionDenied
    mandate = get_object_or_404(Mandate.objects.with_donor(), pk=pk)
    response = HttpResponse(mandate_pdf(mandate, full_iban=True), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="mandat-{mandate.rum}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
