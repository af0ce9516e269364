from django.contrib import admin, messages
from django.db import models
from django.http import HttpResponseRedirect, QueryDict
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import get_language, ngettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from modeltranslation.admin import TranslationAdmin

from core.admin import (
    AdminNames,
    AdminNamesMixin,
    LanguageSwitchMixin,
    PhotoAdminMixin,
    ReadOnlyAdminMixin,
    photo_focal_preview,
)
from core.admin_actions import confirmed_action
from core.formats import format_int
from core.history import HistoryAdmin
from core.search import FoldedSearchAdminMixin
from petitions import admin_views
from petitions.models import Appeal, Petition, Signature, SignatureExport
from petitions.services import (
    appeals_end,
    petition_mark_won,
    signature_resend_confirmation,
    signatures_erase,
)

CAMPAIGN_PERMISSION = "petitions.run_campaign"


class NulSafeListMixin:
    """A NUL byte in the search box or a filter would crash PostgreSQL: drop it."""

    def changelist_view(self, request, extra_context=None):
        if any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(key.replace("\x00", ""), [v.replace("\x00", "") for v in values])
            return HttpResponseRedirect(f"{request.path}?{cleaned.urlencode()}")
        return super().changelist_view(request, extra_context)

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, search_term.replace("\x00", ""))


@admin.register(Petition)
class PetitionAdmin(
    AdminNamesMixin,
    PhotoAdminMixin,
    FoldedSearchAdminMixin,
    NulSafeListMixin,
    LanguageSwitchMixin,
    HistoryAdmin,
    TranslationAdmin,
):
    names = AdminNames(
        plural=_("Pétitions"),
        add=_("Ajouter une pétition"),
        change=_("Modifier la pétition"),
        view=_("Consulter la pétition"),
        saved=_("La pétition « %(obj)s » est enregistrée."),
        deleted=_("La pétition « %(obj)s » est supprimée."),
    )
    list_display = [
        "title",
        "status",
        "confirmed_column",
        "pending_column",
        "offline_column",
        "case",
    ]
    list_filter = ["status"]
    search_fields = ["title", "slug", "target"]
    list_select_related = ["case"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["confirmed_display", "photo_preview"]
    actions = ["mark_won"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "target", "ask", "text"]}),
        (
            _("Photo"),
            {"fields": ["photo", "photo_preview", ("photo_focal_x", "photo_focal_y"), "photo_alt"]},
        ),
        (_("Campagne"), {"fields": ["status", "case", "goal", "opens_at", "closes_at"]}),
        (_("Compteur"), {"fields": ["confirmed_display", "offline_count"]}),
    ]

    campaign_fields = ["status", "case", "goal", "opens_at", "closes_at"]
    staff_views = [
        (
            "admin:petitions_petition_export",
            _("exporter les signatures"),
            admin_views.EXPORT_PERMISSION,
        )
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_pending_count().with_confirmed_total()

    def has_run_campaign_permission(self, request):
        return request.user.has_perm(CAMPAIGN_PERMISSION)

    def get_readonly_fields(self, request, obj=None):
        """Editors write the texts; opening, scheduling, closing and winning is Mobilisation's."""
        fields = list(super().get_readonly_fields(request, obj))
        if not self.has_run_campaign_permission(request):
            fields += self.campaign_fields
        return fields

    def has_delete_permission(self, request, obj=None):
        """A petition with signatures is closed, never deleted: they are its proof."""
        if obj is not None and (
            obj.confirmed_count or obj.count_shards.exists() or obj.signatures.exists()
        ):
            return False
        return super().has_delete_permission(request, obj)

    @admin.display(description=_("aperçu"))
    def photo_preview(self, obj):
        return photo_focal_preview(obj, "photo", "photo_alt")

    @admin.display(description=_("confirmées"), ordering="confirmed_total")
    def confirmed_column(self, obj):
        return format_int(obj.confirmed_total, get_language() or "fr")

    @admin.display(description=_("signatures confirmées"))
    def confirmed_display(self, obj):
        # The counter and the confirmations not yet folded into it (petitions/counts.py).
        total = getattr(obj, "confirmed_total", None)
        if total is None:
            total = Petition.objects.with_confirmed_total().get(pk=obj.pk).confirmed_total
        return format_int(total, get_language() or "fr")

    @admin.display(description=_("en attente"), ordering="pending_count")
    def pending_column(self, obj):
        return format_int(obj.pending_count, get_language() or "fr")

    @admin.display(description=_("signatures hors ligne"), ordering="offline_count")
    def offline_column(self, obj):
        return format_int(obj.offline_count, get_language() or "fr")

    @admin.display(description=_("export"))
    def export_link(self, obj):
        url = reverse("admin:petitions_petition_export", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("CSV des signatures"))

    def get_list_display(self, request):
        columns = super().get_list_display(request)
        if request.user.has_perm(admin_views.EXPORT_PERMISSION):
            columns = [*columns, "export_link"]
        return columns

    def get_urls(self):
        urls = [
            path(
                "<int:pk>/export/",
                self.admin_site.admin_view(admin_views.signatures_export),
                name="petitions_petition_export",
            ),
        ]
        return urls + super().get_urls()

    def save_model(self, request, obj, form, change):
        becomes_won = obj.status == Petition.Status.WON and (
            not change or "status" in form.changed_data
        )
        becomes_closed = (
            obj.status == Petition.Status.CLOSED and change and "status" in form.changed_data
        )
        super().save_model(request, obj, form, change)
        if becomes_won:
            petition_mark_won(petition=obj)
        if becomes_closed:
            appeals_end(petition=obj)

    @confirmed_action(
        description=_("Marquer comme gagnées (et prévenir les signataires)"),
        permissions=["run_campaign"],
        title=ngettext_lazy(
            "Marquer %(count)d pétition gagnée ?", "Marquer %(count)d pétitions gagnées ?", "count"
        ),
        explanation=_(
            "Chaque pétition choisie passe à « gagnée » et ne reçoit plus de signatures ; son "
            "appel urgent s'arrête ; les signataires qui ont demandé à connaître l'issue "
            "reçoivent un courriel (une seule fois). Cela ne se défait pas."
        ),
        button=ngettext_lazy(
            "Marquer cette pétition gagnée", "Marquer ces %(count)d pétitions gagnées", "count"
        ),
    )
    def mark_won(self, request, queryset):
        for petition in queryset:
            petition_mark_won(petition=petition)
        self.message_user(
            request,
            ngettext(
                "%(n)d pétition marquée gagnée ; les signataires qui l'ont demandé seront prévenus.",
                "%(n)d pétitions marquées gagnées ; les signataires qui l'ont demandé seront prévenus.",
                queryset.count(),
            )
            % {"n": queryset.count()},
            messages.SUCCESS,
        )


class SignatureStateFilter(admin.SimpleListFilter):
    title = _("état")
    parameter_name = "etat"

    def lookups(self, request, model_admin):
        return [("pending", _("en attente")), ("confirmed", _("confirmée"))]

    def queryset(self, request, queryset):
        if self.value() == "pending":
            return queryset.pending()
        if self.value() == "confirmed":
            return queryset.confirmed()
        return queryset


class SignatureCountryFilter(admin.SimpleListFilter):
    """The countries signers actually gave, not the world's 250."""

    title = _("pays")
    parameter_name = "pays"

    def lookups(self, request, model_admin):
        codes = Signature.objects.order_by().values_list("country", flat=True).distinct()
        return sorted(((code, countries.name(code)) for code in codes), key=lambda c: c[1])

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(country=self.value())
        return queryset


@admin.register(Signature)
class SignatureAdmin(AdminNamesMixin, FoldedSearchAdminMixin, NulSafeListMixin, admin.ModelAdmin):
    names = AdminNames(
        plural=_("Signatures"),
        add=_("Ajouter une signature"),
        change=_("Consulter la signature"),
        view=_("Consulter la signature"),
        saved=_("La signature de « %(obj)s » est enregistrée."),
        deleted=_("La signature de « %(obj)s » est effacée."),
    )
    # Short columns: the list fits a 1366 px screen beside the filters.
    list_display = ["__str__", "petition_column", "country", "language", "signed_on", "state"]
    list_filter = [
        SignatureStateFilter,
        "petition",
        "language",
        "newsletter",
        "notify_outcome",
        SignatureCountryFilter,
    ]
    search_fields = ["email", "last_name", "first_name", "postal_code"]
    list_select_related = ["petition"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "petition",
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
        "won_notified_at",
    ]
    exclude = ["ip_hash"]
    actions = ["resend_confirmation"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("pétition"), ordering="petition__title")
    def petition_column(self, obj):
        return Truncator(obj.petition.title).chars(40)

    @admin.display(description=_("signée le"), ordering="created_at")
    def signed_on(self, obj):
        return timezone.localtime(obj.created_at).strftime("%d/%m/%Y %H:%M")

    @admin.display(description=_("état"), ordering="confirmed_at")
    def state(self, obj):
        return _("confirmée") if obj.confirmed_at else _("en attente")

    def delete_model(self, request, obj):
        signatures_erase(signatures=Signature.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        signatures_erase(signatures=queryset)

    def has_resend_confirmation_permission(self, request):
        return request.user.has_perm("petitions.resend_confirmation")

    @confirmed_action(
        description=_("Renvoyer le lien de confirmation"),
        permissions=["resend_confirmation"],
        title=ngettext_lazy(
            "Renvoyer le lien de confirmation à %(count)d signataire ?",
            "Renvoyer le lien de confirmation à %(count)d signataires ?",
            "count",
        ),
        explanation=_(
            "Chaque signataire dont la signature attend encore sa confirmation reçoit un "
            "nouveau courriel avec un nouveau lien ; l'ancien lien ne marche plus."
        ),
        button=ngettext_lazy("Renvoyer ce lien", "Renvoyer ces %(count)d liens", "count"),
        affected=lambda signatures: signatures.pending(),
        nothing=_(
            "Aucune signature de la sélection n'attend sa confirmation : aucun lien renvoyé."
        ),
    )
    def resend_confirmation(self, request, queryset):
        sent = sum(
            signature_resend_confirmation(signature=signature)
            for signature in queryset.pending().iterator()
        )
        self.message_user(
            request,
            ngettext(
                "%(n)d lien de confirmation renvoyé.", "%(n)d liens de confirmation renvoyés.", sent
            )
            % {"n": sent},
            messages.SUCCESS,
        )


@admin.register(Appeal)
class AppealAdmin(
    AdminNamesMixin, NulSafeListMixin, LanguageSwitchMixin, HistoryAdmin, TranslationAdmin
):
    names = AdminNames(
        plural=_("Appels urgents (bandeaux)"),
        add=_("Ajouter un appel urgent"),
        change=_("Modifier l'appel urgent"),
        view=_("Consulter l'appel urgent"),
        saved=_("L'appel urgent « %(obj)s » est enregistré."),
        deleted=_("L'appel urgent « %(obj)s » est supprimé."),
    )
    list_display = ["label", "text", "starts_at", "ends_at", "state_column"]
    list_filter = ["is_active"]
    list_select_related = ["petition"]
    fields = ["label", "text", "petition", "url", "starts_at", "ends_at", "is_active"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.display(description=_("état"))
    def state_column(self, obj):
        labels = {
            "live": _("en ligne maintenant"),
            "scheduled": _("programmé"),
            "ended": _("terminé"),
            "off": _("désactivé"),
        }
        state = obj.state()
        return format_html(
            '<span class="appeal-state appeal-state--{}">{}</span>', state, labels[state]
        )


@admin.register(SignatureExport)
class SignatureExportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Every export of signatures: who, when, which petition, why, how many rows. Read by
    superusers only (the people who answer for what leaves the association)."""

    list_display = ["at", "by", "petition", "purpose", "rows"]
    list_filter = ["petition"]
    list_select_related = ["by", "petition"]
    fields = ["at", "by", "petition", "purpose", "columns", "rows"]
    readonly_fields = fields

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser
