"""Staff act on a person's request (export, erasure) from the admin, and the journal of
those requests. Each team acts on the apps it may see (Mobilisation: signatures; Dons:
gifts); the page reminds them to check the person's identity first."""

import json

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdminMixin
from core.models import PrivacyRequest
from core.personal_data import declarations, person_erase, person_export_journaled


class PersonRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse électronique de la personne"),
        error_messages={
            "required": _("Indiquez l'adresse électronique de la personne."),
            "invalid": _("Cette adresse électronique n'est pas valide."),
        },
    )
    action = forms.ChoiceField(
        label=_("Demande"),
        choices=[
            ("export", _("Lui envoyer ses données (export JSON)")),
            ("erase", _("Effacer ses données (ce que la loi n'oblige pas à garder)")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez la demande.")},
    )
    identity_checked = forms.BooleanField(
        label=_(
            "J'ai vérifié que la demande vient bien de cette personne (par exemple, elle écrit "
            "depuis cette adresse, ou elle a répondu au courriel que nous lui avons envoyé)."
        ),
        error_messages={"required": _("Vérifiez d'abord l'identité de la personne.")},
    )


def _apps_for(user) -> list[str]:
    return [
        d.app_label for d in declarations() if d.app_label != "core" and user.has_perm(d.permission)
    ]


def person_request(request, model_admin):
    """One form: an address, export or erase, and the identity check; journaled."""
    apps_labels = _apps_for(request.user)
    if not apps_labels:
        raise PermissionDenied
    form = PersonRequestForm(request.POST or None)
    results = None
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        channel = PrivacyRequest.Channel.ADMIN
        if form.cleaned_data["action"] == "export":
            document = person_export_journaled(
                email=email,
                channel=channel,
                by=request.user,
                identity_checked=True,
                apps_labels=apps_labels,
            )
            response = HttpResponse(
                json.dumps(document, ensure_ascii=False, indent=2),
                content_type="application/json; charset=utf-8",
            )
            response["Content-Disposition"] = (
                f'attachment; filename="donnees-{timezone.localdate():%Y-%m-%d}.json"'
            )
            response["Cache-Control"] = "no-store"
            return response
        results = person_erase(
            email=email,
            channel=channel,
            by=request.user,
            identity_checked=True,
            apps_labels=apps_labels,
        )
        form = PersonRequestForm()
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Demande d'une personne sur ses données"),
        "form": form,
        "results": results,
        "apps": [d for d in declarations() if d.app_label in apps_labels],
        "opts": PrivacyRequest._meta,
    }
    return render(request, "admin/core/privacyrequest/person_request.html", context)


@admin.register(PrivacyRequest)
class PrivacyRequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The journal: read-only, for superusers; the request page, for the teams who act."""

    list_display = ["at", "kind", "channel", "by", "identity_checked", "apps"]
    list_filter = ["kind", "channel"]
    list_select_related = ["by"]
    fields = ["at", "kind", "channel", "by", "identity_checked", "apps", "summary"]
    readonly_fields = fields

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_urls(self):
        return [
            path(
                "demande/",
                self.admin_site.admin_view(lambda request: person_request(request, self)),
                name="core_privacyrequest_person",
            ),
            *super().get_urls(),
        ]
