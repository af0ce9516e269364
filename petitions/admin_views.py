"""Big admin actions: the streamed CSV export of a petition's confirmed signatures."""

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone

from core.spreadsheets import csv_response
from petitions.models import Petition, Signature

EXPORT_PERMISSION = "petitions.export_signatures"
HEADER = [
    "Prénom",
    "Nom",
    "E-mail",
    "Pays",
    "Code postal",
    "Langue",
    "Lettre d'information",
    "Veut connaître l'issue",
    "Signée le",
    "Confirmée le",
]


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else ""


def _rows_of(petition: Petition):
    """The confirmed signatures, one row at a time (``.iterator()``: a million rows never
    sit in memory)."""
    signatures = (
        Signature.objects.filter(petition=petition)
        .confirmed()
        .order_by("confirmed_at", "pk")
        .values_list(
            "first_name",
            "last_name",
            "email",
            "country",
            "postal_code",
            "language",
            "newsletter",
            "notify_outcome",
            "created_at",
            "confirmed_at",
        )
    )
    for row in signatures.iterator(chunk_size=2000):
        first, last, email, country, postal, language, newsletter, notify, created, confirmed = row
        yield [
            first,
            last,
            email,
            country,
            postal,
            language,
            "oui" if newsletter else "non",
            "oui" if notify else "non",
            _local(created),
            _local(confirmed),
        ]


@staff_member_required
def signatures_export(request, pk):
    if not request.user.has_perm(EXPORT_PERMISSION):
        raise PermissionDenied
    petition = get_object_or_404(Petition, pk=pk)
    filename = f"signatures-{petition.slug}-{timezone.localdate():%Y-%m-%d}.csv"
    return csv_response(HEADER, _rows_of(petition), filename=filename)
