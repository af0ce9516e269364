"""Big admin actions: the streamed CSV export of a petition's confirmed signatures."""

import csv

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone

from petitions.models import Petition, Signature

EXPORT_PERMISSION = "petitions.export_signatures"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
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


def neutralise(value) -> str:
    """A cell a spreadsheet will show as text: formulas (= + - @, tab, CR) get a leading '."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


class _Echo:
    def write(self, value):
        return value


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else ""


def export_rows(petition: Petition):
    """The CSV lines, one at a time (``.iterator()``: a million rows never sit in memory)."""
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield "\ufeff" + writer.writerow(HEADER)
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
        yield writer.writerow(
            [
                neutralise(first),
                neutralise(last),
                neutralise(email),
                neutralise(country),
                neutralise(postal),
                neutralise(language),
                "oui" if newsletter else "non",
                "oui" if notify else "non",
                _local(created),
                _local(confirmed),
            ]
        )


@staff_member_required
def signatures_export(request, pk):
    if not request.user.has_perm(EXPORT_PERMISSION):
        raise PermissionDenied
    petition = get_object_or_404(Petition, pk=pk)
    filename = f"signatures-{petition.slug}-{timezone.localdate():%Y-%m-%d}.csv"
    response = StreamingHttpResponse(export_rows(petition), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
