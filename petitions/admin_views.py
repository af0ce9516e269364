"""Big admin actions: the CSV export of a petition's signatures, for a stated purpose."""

from dataclasses import dataclass

from django import forms
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.spreadsheets import csv_response
from core.unsubscribe import unsubscribe_url
from petitions.models import Petition, Signature, SignatureExport

EXPORT_PERMISSION = "petitions.export_signatures"


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else ""


def _yes(value) -> str:
    return "oui" if value else "non"


def _unsubscribe_url(pk) -> str:
    return unsubscribe_url("petitions.signature", pk)


# Every column staff may choose: (header, field, how a cell is written).
COLUMNS = {
    "first_name": ("Prénom", "first_name", str),
    "last_name": ("Nom", "last_name", str),
    "email": ("E-mail", "email", str),
    "country": ("Pays", "country", str),
    "postal_code": ("Code postal", "postal_code", str),
    "language": ("Langue", "language", str),
    "newsletter": ("Lettre d'information", "newsletter", _yes),
    "notify_outcome": ("Veut connaître l'issue", "notify_outcome", _yes),
    "share_name": ("Nom remis aux destinataires", "share_name", _yes),
    "created_at": ("Signée le", "created_at", _local),
    "confirmed_at": ("Confirmée le", "confirmed_at", _local),
    # For the mailing tool: each newsletter email's List-Unsubscribe (RFC 8058) header.
    "unsubscribe_url": ("Lien de désinscription", "pk", _unsubscribe_url),
}


@dataclass(frozen=True)
class Purpose:
    """A stated purpose: which columns it may carry and which signatures it may name."""

    label: str
    help: str
    columns: tuple[str, ...]
    rows: dict
    per_country: bool = False


PURPOSES = {
    "handover": Purpose(
        label=_("Remise aux destinataires de la pétition"),
        help=_(
            "Seules les signatures dont l'auteur a coché « nom remis aux destinataires » pour "
            "cette pétition (RGPD art. 9.2.a)."
        ),
        columns=("first_name", "last_name", "country", "confirmed_at"),
        rows={"share_name": True},
    ),
    "counts": Purpose(
        label=_("Nombre de signatures par pays (aucun nom)"),
        help=_("Ce qui peut quitter l'association sans consentement particulier."),
        columns=("country",),
        rows={},
        per_country=True,
    ),
    "newsletter": Purpose(
        label=_("Lettre d'information"),
        help=_("Seuls les signataires qui ont accepté la lettre d'information."),
        columns=("first_name", "email", "language", "unsubscribe_url"),
        rows={"newsletter": True},
    ),
    "internal": Purpose(
        label=_("Contrôle interne (doublons, abus) : le fichier ne quitte pas l'association"),
        help=_("Toutes les signatures confirmées ; choisissez le moins de colonnes possible."),
        columns=tuple(COLUMNS),
        rows={},
    ),
}


class ExportForm(forms.Form):
    purpose = forms.ChoiceField(
        label=_("Finalité de l'export"),
        choices=[(key, p.label) for key, p in PURPOSES.items()],
        widget=forms.RadioSelect,
        error_messages={"required": _("Dites à quoi servira ce fichier.")},
    )
    columns = forms.MultipleChoiceField(
        label=_("Colonnes"),
        choices=[(key, header) for key, (header, _f, _w) in COLUMNS.items()],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        purpose = PURPOSES.get(cleaned.get("purpose"))
        if purpose is None:
            return cleaned
        if purpose.per_country:
            cleaned["columns"] = list(purpose.columns)
            return cleaned
        chosen = cleaned.get("columns") or []
        if not chosen:
            self.add_error("columns", _("Choisissez au moins une colonne."))
        refused = [COLUMNS[key][0] for key in chosen if key not in purpose.columns]
        if refused:
            self.add_error(
                "columns",
                _("Cette finalité ne permet pas ces colonnes : %(columns)s.")
                % {"columns": ", ".join(refused)},
            )
        return cleaned


def export_signatures(petition: Petition, purpose: Purpose):
    return (
        Signature.objects.filter(petition=petition, **purpose.rows)
        .confirmed()
        .identified()
        .order_by("confirmed_at", "pk")
    )


def _rows(signatures, columns):
    fields = [COLUMNS[key][1] for key in columns]
    writers = [COLUMNS[key][2] for key in columns]
    for row in signatures.values_list(*fields).iterator(chunk_size=2000):
        yield [
            write(value) if value is not None else ""
            for write, value in zip(writers, row, strict=True)
        ]


def _per_country(petition: Petition):
    """Confirmed signatures per country, anonymised ones included: counts are not personal."""
    counts = (
        Signature.objects.filter(petition=petition)
        .confirmed()
        .order_by()
        .values("country")
        .annotate(n=Count("pk"))
        .order_by("-n", "country")
    )
    return [[row["country"] or "?", row["n"]] for row in counts]


@staff_member_required
def signatures_export(request, pk):
    """Choose a stated purpose and the columns it allows; every export is recorded (who,
    when, which petition, purpose, columns, how many rows), never its rows."""
    if not request.user.has_perm(EXPORT_PERMISSION):
        raise PermissionDenied
    petition = get_object_or_404(Petition, pk=pk)
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        purpose = PURPOSES[form.cleaned_data["purpose"]]
        columns = form.cleaned_data["columns"]
        filename = f"signatures-{petition.slug}-{timezone.localdate():%Y-%m-%d}.csv"
        if purpose.per_country:
            rows = _per_country(petition)
            header = ["Pays", "Signatures confirmées"]
        else:
            signatures = export_signatures(petition, purpose)
            rows = _rows(signatures, columns)
            header = [COLUMNS[key][0] for key in columns]
        count = len(rows) if purpose.per_country else signatures.count()
        SignatureExport.objects.create(
            petition=petition,
            by=request.user,
            purpose=str(purpose.label)[:200],
            columns=list(columns),
            rows=count,
        )
        return csv_response(header, rows, filename=filename)
    context = {
        **admin.site.each_context(request),
        "title": _("Exporter les signatures"),
        "petition": petition,
        "form": form,
        "purposes": PURPOSES,
        "opts": Petition._meta,
    }
    return render(request, "admin/petitions/petition/export.html", context)
