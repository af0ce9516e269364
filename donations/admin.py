from datetime import date

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models.functions import TruncMonth
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django_countries import countries
from modeltranslation.admin import TranslationAdmin

from core.admin import AdminNames, AdminNamesMixin, LanguageSwitchMixin, ReadOnlyAdminMixin
from core.admin_actions import confirmed_action
from core.formats import MONTHS, format_date, format_money
from core.history import HistoryAdmin
from core.search import FoldedSearchAdminMixin
from donations import admin_views, sepa, services, states, tax
from donations.forms import ACCOUNT_HOLDER_MAX_LENGTH, HOLDER_TOO_LONG, IBAN_MESSAGES
from donations.models import (
    DEBIT_DAYS,
    ICS_HELP,
    BankAnswer,
    Debit,
    DebitBatch,
    Donor,
    DonsDashboard,
    GiftSettings,
    Mandate,
    MandateAmendment,
    MandateEvent,
    MandatePdfAccess,
    MandateTerms,
    Receipt,
    Tier,
    sepa_creditor,
)


class GiftSettingsAdminForm(forms.ModelForm):
    """The tax rate typed as the law writes it (66 or 75), stored as a fraction (0.66)."""

    tax_rate_percent = forms.TypedChoiceField(
        label=_("Taux de réduction d'impôt"),
        coerce=int,
        choices=[(rate, f"{rate} %") for rate in tax.TAX_RATES],
        error_messages={
            "invalid_choice": _(
                "Seuls les taux de l'article 200 du Code général des impôts sont possibles : "
                "66 %% ou 75 %%."
            )
        },
    )

    class Meta:
        model = GiftSettings
        fields = ["free_amount_min", "free_amount_max"]
        help_texts = {"creditor_id": ICS_HELP}  # the read-only line below the form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        year = timezone.localdate().year
        ceiling = format_money(tax.coluche_ceiling(year))
        self.fields["tax_rate_percent"].help_text = _(
            "66 %% pour un organisme d'intérêt général comme le nôtre (article 200 du Code "
            "général des impôts). 75 %% est réservé aux organismes qui fournissent gratuitement "
            "repas, soins ou logement aux personnes en difficulté, ou qui aident les victimes "
            "de violences conjugales, et seulement jusqu'à %(ceiling)s de dons par an en "
            "%(year)s (66 %% au-delà). Chaque changement est gardé dans l'historique."
        ) % {"ceiling": ceiling, "year": year}
        if self.instance.pk:
            self.initial.setdefault("tax_rate_percent", self.instance.tax_rate_percent)

    def clean_tax_rate_percent(self):
        percent = self.cleaned_data["tax_rate_percent"]
        if not tax.tax_rate_is_allowed(percent):
            message = self.fields["tax_rate_percent"].error_messages["invalid_choice"]
            raise forms.ValidationError(message, params={"value": percent})
        return percent

    def save(self, commit=True):
        self.instance.tax_rate = tax.rate_fraction(self.cleaned_data["tax_rate_percent"])
        return super().save(commit)


@admin.register(GiftSettings)
class GiftSettingsAdmin(AdminNamesMixin, HistoryAdmin):
    names = AdminNames(
        plural=_("Réglages des dons"),
        add=_("Régler les dons"),
        change=_("Modifier les réglages des dons"),
        view=_("Consulter les réglages des dons"),
        saved=_("Les réglages des dons sont enregistrés."),
        deleted=_("Les réglages des dons sont supprimés."),
    )
    form = GiftSettingsAdminForm
    fields = ["tax_rate_percent", "free_amount_min", "free_amount_max", "creditor_id"]
    readonly_fields = ["creditor_id"]

    @admin.display(description=_("identifiant créancier SEPA (ICS)"))
    def creditor_id(self, obj):
        creditor = sepa_creditor()
        if creditor["is_demo"]:
            return _("%(id)s (identifiant de démonstration : aucun vrai prélèvement possible)") % {
                "id": creditor["id"]
            }
        return creditor["id"]

    def add_view(self, request, form_url="", extra_context=None):
        """One row only: "add" opens it."""
        if not self.has_add_permission(request):
            return super().add_view(request, form_url, extra_context)
        obj = GiftSettings.load()
        return redirect(reverse("admin:donations_giftsettings_change", args=[obj.pk]))

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            return super().changelist_view(request, extra_context)
        obj = GiftSettings.load()
        return redirect(reverse("admin:donations_giftsettings_change", args=[obj.pk]))


class TierAdminForm(forms.ModelForm):
    class Meta:
        model = Tier
        fields = ["amount", "description", "order", "is_default", "is_active"]

    def clean_is_default(self):
        is_default = self.cleaned_data.get("is_default")
        other = Tier.objects.filter(is_default=True).exclude(pk=self.instance.pk).first()
        if is_default and other is not None:
            raise forms.ValidationError(
                _(
                    "Un seul palier peut être proposé par défaut : c'est déjà celui de "
                    "%(amount)s. Décochez-le d'abord."
                )
                % {"amount": format_money(other.amount, get_language() or "fr")}
            )
        return is_default


@admin.register(Tier)
class TierAdmin(AdminNamesMixin, LanguageSwitchMixin, HistoryAdmin, TranslationAdmin):
    names = AdminNames(
        plural=_("Paliers de don mensuel"),
        add=_("Ajouter un palier"),
        change=_("Modifier le palier"),
        view=_("Consulter le palier"),
        saved=_("Le palier « %(obj)s » est enregistré."),
        deleted=_("Le palier « %(obj)s » est supprimé."),
    )
    form = TierAdminForm
    list_display = ["amount_display", "description", "order", "is_default", "is_active"]
    list_editable = ["order", "is_active"]
    list_display_links = ["amount_display"]
    fields = ["amount", "description", "order", "is_default", "is_active"]

    @admin.display(description=_("montant mensuel"), ordering="amount")
    def amount_display(self, obj):
        return format_money(obj.amount)


class AmountFilter(admin.SimpleListFilter):
    title = _("montant mensuel")
    parameter_name = "montant"
    ranges = {
        "lt15": (None, 15),
        "15-30": (15, 30),
        "30-50": (30, 50),
        "gte50": (50, None),
    }

    def lookups(self, request, model_admin):
        return [
            ("lt15", _("moins de 15 €")),
            ("15-30", _("de 15 à 30 €")),
            ("30-50", _("de 30 à 50 €")),
            ("gte50", _("50 € et plus")),
        ]

    def queryset(self, request, queryset):
        if self.value() not in self.ranges:
            return queryset
        low, high = self.ranges[self.value()]
        if low is not None:
            queryset = queryset.filter(amount__gte=low)
        if high is not None:
            queryset = queryset.filter(amount__lt=high)
        return queryset


class StartMonthFilter(admin.SimpleListFilter):
    """The month of the first debit (the start of the gift)."""

    title = _("mois de début")
    parameter_name = "debut"

    def lookups(self, request, model_admin):
        months = (
            Mandate.objects.exclude(first_debit_on=None)
            .annotate(month=TruncMonth("first_debit_on"))
            .values_list("month", flat=True)
            .distinct()
            .order_by("-month")
        )
        return [(f"{m:%Y-%m}", f"{MONTHS['fr'][m.month - 1]} {m.year}") for m in months if m]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        try:
            year, month = (int(part) for part in value.split("-"))
            start = date(year, month, 1)
        except ValueError:
            return queryset.none()
        return queryset.filter(first_debit_on__year=start.year, first_debit_on__month=start.month)


class MandateEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = MandateEvent
    extra = 0
    fields = [
        "at",
        "kind",
        "effective_on",
        "old_amount",
        "new_amount",
        "old_debit_day",
        "new_debit_day",
        "old_iban_masked",
        "new_iban_masked",
        "old_state",
        "new_state",
        "actor",
        "by",
        "note",
    ]
    readonly_fields = fields


class MandateTermsInline(ReadOnlyAdminMixin, admin.TabularInline):
    """The amount and day from each date on, as the debits will read them."""

    model = MandateTerms
    extra = 0
    fields = ["effective_from", "amount", "debit_day", "created_at", "by"]
    readonly_fields = fields


class MandateAmendmentInline(ReadOnlyAdminMixin, admin.TabularInline):
    """Changes of bank account; the old IBAN is shown masked only."""

    model = MandateAmendment
    extra = 0
    fields = [
        "changed_on",
        "old_iban_masked",
        "old_bic",
        "new_iban_masked",
        "new_bic",
        "other_bank",
        "sent_on",
        "by",
    ]
    readonly_fields = fields


class NoEchoTextInput(forms.TextInput):
    """A text box that never gives back what was typed (the form shown again after an
    error must not print a whole IBAN)."""

    def format_value(self, value):
        return None


class MandateAdminForm(forms.ModelForm):
    """Amount and debit day (applied 14 days later, the donor told by email), or a new
    bank account (an amendment). The IBAN on file is never shown in full."""

    new_iban = forms.CharField(
        label=_("Nouvel IBAN (changement de compte)"),
        required=False,
        help_text=_("À remplir seulement si le donateur change de compte bancaire."),
        widget=NoEchoTextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    new_bic = forms.CharField(label=_("Nouveau BIC"), required=False, max_length=15)
    new_account_holder = forms.CharField(
        label=_("Nouveau titulaire du compte"),
        required=False,
        max_length=ACCOUNT_HOLDER_MAX_LENGTH,
        error_messages={"max_length": HOLDER_TOO_LONG},
    )
    change_note = forms.CharField(
        label=_("Note sur la modification"),
        required=False,
        max_length=300,
        help_text=_("Par exemple : « appel du donateur le 3 mars »."),
    )

    class Meta:
        model = Mandate
        fields = ["amount", "debit_day"]
        widgets = {"debit_day": forms.Select(choices=DEBIT_DAYS)}

    def clean_amount(self):
        amount = self.cleaned_data.get("amount")
        if amount is not None and amount <= 0:
            raise forms.ValidationError(_("Le montant mensuel doit être supérieur à zéro."))
        return amount

    def clean_new_iban(self):
        raw = self.cleaned_data.get("new_iban", "")
        if not raw.strip():
            return ""
        try:
            return sepa.iban_check(raw)
        except sepa.IBANProblem as problem:
            raise forms.ValidationError(IBAN_MESSAGES[problem.code]) from None

    def clean_new_bic(self):
        raw = self.cleaned_data.get("new_bic", "")
        if not raw.strip():
            return ""
        try:
            return sepa.bic_check(raw)
        except sepa.IBANProblem as problem:
            raise forms.ValidationError(IBAN_MESSAGES[problem.code]) from None

    def clean(self):
        cleaned = super().clean()
        iban = cleaned.get("new_iban")
        if iban and sepa.bic_required(iban) and not cleaned.get("new_bic"):
            self.add_error("new_bic", IBAN_MESSAGES["bic_required"])
        changing = bool(iban) or (
            self.has_changed()
            and any(name in self.changed_data for name in ("amount", "debit_day"))
        )
        if changing and self.instance.state not in states.CHANGEABLE:
            raise forms.ValidationError(
                _("Un mandat en attente, caduc ou annulé ne peut pas être modifié.")
            )
        return cleaned


class MandateCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Pourquoi ?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Gardé dans l'historique du mandat avec votre nom, par exemple « demande du "
            "donateur par téléphone le 3 mars »."
        ),
    )


def _mandate_line(mandate) -> str:
    return f"{mandate.rum} — {mandate.donor} ({mandate.get_state_display()})"


@admin.register(Mandate)
class MandateAdmin(AdminNamesMixin, FoldedSearchAdminMixin, admin.ModelAdmin):
    folded_search_path = "donor__search_text"
    exact_search_fields = ("rum",)
    names = AdminNames(
        plural=_("Mandats de prélèvement"),
        add=_("Ajouter un mandat"),
        change=_("Modifier le mandat"),
        view=_("Consulter le mandat"),
        saved=_("Le mandat « %(obj)s » est enregistré."),
        deleted=_("Le mandat « %(obj)s » est supprimé."),
    )
    form = MandateAdminForm
    # Short headings: the list must fit beside the admin's menu and filters.
    list_display = [
        "rum_display",
        "donor",
        "state",
        "amount_display",
        "debit_day_display",
        "iban_display",
        "first_debit_on",
    ]
    list_display_links = ["rum_display"]
    list_filter = ["state", AmountFilter, StartMonthFilter, "debit_day"]
    search_fields = ["rum", "donor__last_name", "donor__first_name", "donor__email"]
    list_select_related = ["donor"]
    readonly_fields = [
        "rum",
        "donor_link",
        "state",
        "account_holder",
        "iban_masked",
        "bic",
        "sequence_type",
        "signed_at",
        "signature_place",
        "first_debit_on",
        "pending_change",
        "cancelled_at",
        "pdf_link",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "rum",
                    "donor_link",
                    "state",
                    "signed_at",
                    "signature_place",
                    "first_debit_on",
                    "sequence_type",
                    "cancelled_at",
                    "pdf_link",
                ]
            },
        ),
        (
            _("Montant et jour de prélèvement"),
            {
                "fields": ["amount", "debit_day", "pending_change", "change_note"],
                "description": _(
                    "Une modification prend effet 14 jours plus tard ; le donateur en est "
                    "informé par courriel."
                ),
            },
        ),
        (
            _("Compte bancaire"),
            {
                "fields": [
                    "account_holder",
                    "iban_masked",
                    "bic",
                    "new_iban",
                    "new_bic",
                    "new_account_holder",
                ]
            },
        ),
    ]
    staff_views = [
        (
            "admin:donations_mandate_pdf",
            _("télécharger le mandat signé"),
            admin_views.PDF_PERMISSION,
        )
    ]
    inlines = [MandateTermsInline, MandateAmendmentInline, MandateEventInline]
    actions = ["cancel_mandates", "pause_mandates", "resume_mandates", "suspend_mandates"]

    def has_add_permission(self, request):
        return False

    @method_decorator(sensitive_post_parameters("new_iban", "new_bic", "new_account_holder"))
    @method_decorator(sensitive_variables())
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A new bank account passes through here: hidden from error reports."""
        if request.method == "GET" and object_id:
            mandate = self.get_object(request, object_id)
            if mandate is not None:
                self._warn_recent_member(request, mandate)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def _warn_recent_member(self, request, mandate):
        """Joining SEPA does not make every bank of a country take debits at once."""
        joined = sepa.recent_member(mandate.iban)
        if joined is None:
            return
        messages.warning(
            request,
            _(
                "Compte d'un pays entré récemment dans la zone SEPA (%(country)s, en "
                "%(joined)s) : ses banques n'acceptent peut-être pas encore les prélèvements. "
                "Attendez-vous à des rejets ; le BIC et l'adresse du donateur accompagnent "
                "chaque prélèvement."
            )
            % {
                "country": countries.name(mandate.iban[:2]),
                "joined": format_date(joined, "month", get_language() or "fr"),
            },
        )

    def has_delete_permission(self, request, obj=None):
        # Signed mandates are kept (13 months after the last debit): cancel them instead.
        if obj is not None and obj.state != Mandate.State.PENDING:
            return False
        return super().has_delete_permission(request, obj)

    def get_urls(self):
        return [
            path(
                "<int:pk>/pdf/",
                self.admin_site.admin_view(admin_views.mandate_pdf_download),
                name="donations_mandate_pdf",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("par mois"), ordering="amount")
    def amount_display(self, obj):
        return format_money(obj.amount)

    @admin.display(description=_("RUM"), ordering="rum")
    def rum_display(self, obj):
        return format_html('<span class="nowrap">{}</span>', obj.rum)

    @admin.display(description=_("jour"), ordering="debit_day")
    def debit_day_display(self, obj):
        return obj.debit_day

    @admin.display(description=_("IBAN"))
    def iban_display(self, obj):
        return format_html('<span class="nowrap">{}</span>', obj.iban_masked)

    @admin.display(description=_("donateur"))
    def donor_link(self, obj):
        url = reverse("admin:donations_donor_change", args=[obj.donor_id])
        return format_html('<a href="{}">{}</a>', url, obj.donor)

    @admin.display(description=_("modification à venir"))
    def pending_change(self, obj):
        upcoming = obj.terms_upcoming(timezone.localdate()) if obj.pk else []
        if not upcoming:
            return "-"
        return format_html_join(
            mark_safe("<br>"),
            "{}",
            (
                (
                    _("%(amount)s, le %(day)s du mois, à partir du %(date)s")
                    % {
                        "amount": format_money(terms.amount),
                        "day": terms.debit_day,
                        "date": format_date(terms.effective_from, "day", get_language() or "fr"),
                    },
                )
                for terms in upcoming
            ),
        )

    @admin.display(description=_("mandat signé (PDF)"))
    def pdf_link(self, obj):
        if obj.pk is None or obj.state == Mandate.State.PENDING:
            return "-"
        url = reverse("admin:donations_mandate_pdf", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Télécharger le mandat"))

    def save_model(self, request, obj, form, change):
        """Changes go through the services, which record them in the history."""
        data = form.cleaned_data
        original = Mandate.objects.get(pk=obj.pk)
        if data.get("new_iban"):
            services.mandate_bank_change(
                mandate=original,
                iban=data["new_iban"],
                bic=data.get("new_bic", ""),
                account_holder=data.get("new_account_holder", ""),
                by=request.user,
            )
            messages.info(request, _("Le nouveau compte bancaire est enregistré (amendement)."))
        if data["amount"] != original.amount or data["debit_day"] != original.debit_day:
            event = services.mandate_change(
                mandate=original,
                amount=data["amount"],
                debit_day=data["debit_day"],
                by=request.user,
                note=data.get("change_note", ""),
            )
            if event is not None:
                messages.info(
                    request,
                    _("La modification prendra effet le %(date)s ; le donateur est prévenu.")
                    % {"date": format_date(event.effective_on, "day", get_language() or "fr")},
                )
        obj.refresh_from_db()

    def _move(self, request, queryset, state, done_message):
        # done_message: a function of the count (ngettext), so the words agree with it.
        """Move each selected mandate the staff may move (``donations.states``); say how
        many moved and how many could not."""
        moved = refused = 0
        for mandate in queryset:
            if mandate.state == state:
                continue
            try:
                services.mandate_move(
                    mandate=mandate, state=state, actor=states.STAFF, by=request.user
                )
            except states.TransitionRefused:
                refused += 1
            else:
                moved += 1
        self.message_user(request, done_message(moved) % {"count": moved}, messages.SUCCESS)
        self._refused(request, refused)

    def _refused(self, request, refused):
        if refused:
            self.message_user(
                request,
                ngettext(
                    "%(count)d mandat laissé tel quel : son état ne le permet pas.",
                    "%(count)d mandats laissés tels quels : leur état ne le permet pas.",
                    refused,
                )
                % {"count": refused},
                level=messages.WARNING,
            )

    @confirmed_action(
        description=_("Annuler les mandats sélectionnés"),
        permissions=["change"],
        title=ngettext_lazy("Annuler %(count)d mandat ?", "Annuler %(count)d mandats ?", "count"),
        explanation=_(
            "Chaque mandat annulé ne sera plus jamais prélevé : ses prélèvements programmés "
            "sont annulés, et le donateur reçoit un courriel qui le lui dit. Cela ne se défait "
            "pas."
        ),
        button=ngettext_lazy("Annuler ce mandat", "Annuler ces %(count)d mandats", "count"),
        form_class=MandateCancelForm,
        describe=_mandate_line,
    )
    def cancel_mandates(self, request, queryset, data):
        """Each is cancelled with who and why, its scheduled debits cancelled, its donor
        told by email."""
        cancelled = refused = 0
        for mandate in queryset.select_related("donor").order_by("rum"):
            try:
                services.mandate_staff_cancel(
                    mandate=mandate, by=request.user, reason=data["reason"]
                )
            except states.TransitionRefused:
                refused += 1
            else:
                cancelled += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d mandat annulé ; le donateur est prévenu par courriel.",
                "%(count)d mandats annulés ; les donateurs sont prévenus par courriel.",
                cancelled,
            )
            % {"count": cancelled},
            messages.SUCCESS,
        )
        self._refused(request, refused)

    @confirmed_action(
        description=_("Mettre en pause les mandats sélectionnés"),
        permissions=["change"],
        title=ngettext_lazy(
            "Mettre en pause %(count)d mandat ?", "Mettre en pause %(count)d mandats ?", "count"
        ),
        explanation=_(
            "Chaque mandat en pause n'est plus prélevé : ses prélèvements programmés sont "
            "annulés. Il reste valable et reprend quand on le réactive. Le donateur n'est pas "
            "prévenu par le site."
        ),
        button=ngettext_lazy(
            "Mettre ce mandat en pause", "Mettre ces %(count)d mandats en pause", "count"
        ),
        describe=_mandate_line,
    )
    def pause_mandates(self, request, queryset):
        self._move(
            request,
            queryset,
            states.PAUSED,
            lambda n: ngettext(
                "%(count)d mandat mis en pause.", "%(count)d mandats mis en pause.", n
            ),
        )

    @confirmed_action(
        description=_("Réactiver les mandats sélectionnés"),
        permissions=["change"],
        title=ngettext_lazy(
            "Réactiver %(count)d mandat ?", "Réactiver %(count)d mandats ?", "count"
        ),
        explanation=_(
            "Chaque mandat en pause ou suspendu redevient actif : ses prochains prélèvements "
            "seront programmés et envoyés à la banque. Un mandat annulé ou caduc ne peut pas "
            "être réactivé."
        ),
        button=ngettext_lazy("Réactiver ce mandat", "Réactiver ces %(count)d mandats", "count"),
        describe=_mandate_line,
    )
    def resume_mandates(self, request, queryset):
        self._move(
            request,
            queryset,
            states.ACTIVE,
            lambda n: ngettext("%(count)d mandat réactivé.", "%(count)d mandats réactivés.", n),
        )

    @confirmed_action(
        description=_("Suspendre les mandats sélectionnés"),
        permissions=["change"],
        title=ngettext_lazy(
            "Suspendre %(count)d mandat ?", "Suspendre %(count)d mandats ?", "count"
        ),
        explanation=_(
            "Chaque mandat suspendu n'est plus prélevé, le temps d'une vérification : ses "
            "prélèvements programmés sont annulés, et rien n'est représenté à la banque tant "
            "qu'il n'est pas réactivé. Le donateur n'est pas prévenu par le site."
        ),
        button=ngettext_lazy("Suspendre ce mandat", "Suspendre ces %(count)d mandats", "count"),
        describe=_mandate_line,
    )
    def suspend_mandates(self, request, queryset):
        self._move(
            request,
            queryset,
            states.SUSPENDED,
            lambda n: ngettext("%(count)d mandat suspendu.", "%(count)d mandats suspendus.", n),
        )


class MandateInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Mandate
    extra = 0
    show_change_link = True
    fields = ["rum", "state", "amount", "debit_day", "iban_masked", "first_debit_on"]
    readonly_fields = fields


@admin.register(Donor)
class DonorAdmin(AdminNamesMixin, FoldedSearchAdminMixin, admin.ModelAdmin):
    names = AdminNames(
        plural=_("Donateurs et donatrices"),
        add=_("Ajouter une fiche de donateur"),
        change=_("Modifier la fiche de donateur"),
        view=_("Consulter la fiche de donateur"),
        saved=_("La fiche de « %(obj)s » est enregistrée."),
        deleted=_("La fiche de « %(obj)s » est supprimée."),
    )
    list_display = ["last_name", "first_name", "email", "city", "country", "newsletter"]
    list_filter = ["newsletter", "country", "mandates__state"]
    search_fields = ["last_name", "first_name", "email", "postal_code", "city"]
    fields = [*Donor.CONTACT_FIELDS, "language"]
    inlines = [MandateInline]

    def has_add_permission(self, request):
        # Donors come from the gift form, which records their signed mandate.
        return False


class ReceiptYearFilter(admin.SimpleListFilter):
    title = _("année des dons")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = Receipt.objects.order_by("-year").values_list("year", flat=True).distinct()
        return [(str(year), str(year)) for year in years]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(year=int(value))
        return queryset


@admin.register(Receipt)
class ReceiptAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Tax receipts: issued by the service only, never edited nor deleted (kept 6 years)."""

    list_display = [
        "number_display",
        "kind",
        "donor_name",
        "amount_display",
        "issued_on",
        "state_display",
        "emailed_on",
    ]
    list_display_links = ["number_display"]
    list_filter = [ReceiptYearFilter, "kind", ("cancelled_at", admin.EmptyFieldListFilter)]
    search_fields = ["number", "donor_name", "donor__email", "donor__last_name"]
    list_select_related = ["original"]
    fields = [
        "number",
        "kind",
        "year",
        "donor_link",
        "donor_name",
        "donor_address",
        "amount_display",
        "dates_display",
        "original_link",
        "followers_display",
        "issued_at",
        "cancelled_at",
        "emailed_at",
        "pdf_link",
    ]
    readonly_fields = fields
    actions = ["resend_receipts"]
    staff_views = [
        ("admin:donations_receipt_pdf", _("télécharger le reçu"), admin_views.RECEIPT_VIEW)
    ]

    def get_urls(self):
        return [
            path(
                "<int:pk>/pdf/",
                self.admin_site.admin_view(admin_views.receipt_pdf_download),
                name="donations_receipt_pdf",
            ),
            path(
                "declaration/",
                self.admin_site.admin_view(admin_views.receipts_declaration),
                name="donations_receipt_declaration",
            ),
            path(
                "ledger/<int:year>/",
                self.admin_site.admin_view(admin_views.receipts_ledger),
                name="donations_receipt_ledger",
            ),
            path(
                "issue/",
                self.admin_site.admin_view(admin_views.receipts_issue_view),
                name="donations_receipt_issue",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("montant"), ordering="amount")
    def amount_display(self, obj):
        return format_money(obj.amount)

    @admin.display(description=_("numéro"), ordering="number")
    def number_display(self, obj):
        return format_html('<span class="nowrap">{}</span>', obj.number)

    @admin.display(description=_("émis le"), ordering="issued_at")
    def issued_on(self, obj):
        return format_date(timezone.localdate(obj.issued_at), "day", get_language() or "fr")

    @admin.display(description=_("envoyé le"), ordering="emailed_at")
    def emailed_on(self, obj):
        if obj.emailed_at is None:
            return "-"
        return format_date(timezone.localdate(obj.emailed_at), "day", get_language() or "fr")

    @admin.display(description=_("état"))
    def state_display(self, obj):
        if obj.kind == Receipt.Kind.CANCELLATION:
            return _("annule le n° %(number)s") % {"number": obj.original.number}
        if obj.cancelled_at:
            return _("annulé")
        return _("en vigueur")

    @admin.display(description=_("dates des versements"))
    def dates_display(self, obj):
        language = get_language() or "fr"
        return ", ".join(
            format_date(date.fromisoformat(value), "day", language) for value in obj.payment_dates
        )

    @admin.display(description=_("donateur"))
    def donor_link(self, obj):
        url = reverse("admin:donations_donor_change", args=[obj.donor_id])
        return format_html('<a href="{}">{}</a>', url, obj.donor)

    @admin.display(description=_("reçu annulé ou remplacé"))
    def original_link(self, obj):
        if obj.original is None:
            return "-"
        url = reverse("admin:donations_receipt_change", args=[obj.original_id])
        return format_html('<a href="{}">{}</a>', url, obj.original.number)

    @admin.display(description=_("annulé ou remplacé par"))
    def followers_display(self, obj):
        followers = obj.followers.order_by("sequence")
        if not followers:
            return "-"
        return format_html_join(
            ", ",
            '<a href="{}">{}</a> ({})',
            (
                (
                    reverse("admin:donations_receipt_change", args=[f.pk]),
                    f.number,
                    f.get_kind_display(),
                )
                for f in followers
            ),
        )

    @admin.display(description=_("reçu (PDF)"))
    def pdf_link(self, obj):
        url = reverse("admin:donations_receipt_pdf", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Télécharger le reçu"))

    @confirmed_action(
        description=_("Renvoyer les reçus sélectionnés par courriel"),
        permissions=["view"],
        title=ngettext_lazy(
            "Renvoyer %(count)d reçu fiscal par courriel ?",
            "Renvoyer %(count)d reçus fiscaux par courriel ?",
            "count",
        ),
        explanation=_(
            "Chaque reçu choisi est envoyé de nouveau, en PDF, à l'adresse e-mail actuelle de "
            "son donateur. Le reçu lui-même ne change pas."
        ),
        button=ngettext_lazy("Renvoyer ce reçu", "Renvoyer ces %(count)d reçus", "count"),
        describe=lambda receipt: f"{receipt.number} — {receipt.donor_name}",
    )
    def resend_receipts(self, request, queryset):
        count = 0
        for receipt in queryset:
            services.receipt_send(receipt=receipt)
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d reçu renvoyé par courriel.",
                "%(count)d reçus renvoyés par courriel.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


# --- Debits and bank files ---------------------------------------------------------------


class DebitFailureForm(forms.Form):
    """What the bank said about the debits selected: rejected, returned or refunded."""

    status = forms.ChoiceField(
        label=_("Ce que la banque a répondu"),
        choices=[
            (Debit.Status.REJECTED, _("rejeté avant l'échéance (pain.002)")),
            (Debit.Status.RETURNED, _("retourné après l'échéance")),
            (Debit.Status.REFUNDED, _("remboursé au donateur")),
        ],
    )
    reason_code = forms.CharField(
        label=_("Code motif ISO"),
        max_length=4,
        min_length=4,
        help_text=_("4 caractères, par exemple AM04 (provision insuffisante), AC04 (compte clos)."),
    )
    failed_on = forms.DateField(label=_("Date"), help_text=_("AAAA-MM-JJ ou JJ/MM/AAAA."))

    def clean_reason_code(self):
        code = self.cleaned_data["reason_code"].strip().upper()
        if not code.isalnum():
            raise forms.ValidationError(_("Le code motif est fait de 4 lettres ou chiffres."))
        return code


@admin.register(Debit)
class DebitAdmin(admin.ModelAdmin):
    list_display = [
        "end_to_end_id",
        "mandate",
        "due_on",
        "amount_display",
        "sequence_type",
        "status",
        "reason_code",
        "flagged",
    ]
    list_filter = ["status", "sequence_type", "due_on", "mandate_cancelled_after_sending"]
    search_fields = ["end_to_end_id", "mandate__rum", "mandate__donor__last_name"]
    list_select_related = ["mandate"]
    date_hierarchy = "due_on"
    readonly_fields = [
        "mandate",
        "month",
        "due_on",
        "amount",
        "sequence_type",
        "end_to_end_id",
        "remittance",
        "status",
        "reason_code",
        "batch",
        "sent_at",
        "collected_on",
        "failed_on",
        "cancelled_at",
        "mandate_cancelled_after_sending",
        "sent_debtor_name",
        "sent_bic",
        "sent_mandate_signed_on",
    ]
    fields = readonly_fields
    actions = ["mark_failed"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "tableau/",
                self.admin_site.admin_view(admin_views.dons_dashboard),
                name="donations_dashboard",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("montant"), ordering="amount")
    def amount_display(self, obj):
        return format_money(obj.amount)

    @admin.display(description=_("à signaler"), boolean=True)
    def flagged(self, obj):
        return obj.mandate_cancelled_after_sending

    @confirmed_action(
        description=_("Marquer rejeté, retourné ou remboursé (code motif)…"),
        permissions=["change"],
        title=ngettext_lazy(
            "Réponse de la banque pour %(count)d prélèvement",
            "Réponse de la banque pour %(count)d prélèvements",
            "count",
        ),
        explanation=_(
            "Un prélèvement échoué n'est jamais présenté à nouveau. Le donateur est prévenu "
            "par courriel ; AC04, MD07 (et MD01 sur un remboursement) mettent fin au mandat, "
            "deux échecs de suite AM04, AC06, MS02 ou MS03 le suspendent."
        ),
        button=ngettext_lazy(
            "Enregistrer la réponse pour ce prélèvement",
            "Enregistrer la réponse pour ces %(count)d prélèvements",
            "count",
        ),
        form_class=DebitFailureForm,
        describe=lambda debit: (
            f"{debit.end_to_end_id} — {format_money(debit.amount)} — {debit.get_status_display()}"
        ),
    )
    def mark_failed(self, request, queryset, data):
        done, refused = 0, []
        for debit in queryset:
            try:
                services.debit_fail(
                    debit=debit,
                    status=data["status"],
                    reason_code=data["reason_code"],
                    on=data["failed_on"],
                    by=request.user,
                )
                done += 1
            except services.DebitRefused as exc:
                refused.append(f"{debit.end_to_end_id} : {exc}")
        self.message_user(
            request,
            ngettext(
                "%(count)d prélèvement mis à jour.", "%(count)d prélèvements mis à jour.", done
            )
            % {"count": done},
            messages.SUCCESS,
        )
        for line in refused:
            self.message_user(request, line, level=messages.WARNING)


@admin.register(DonsDashboard)
class DonsDashboardAdmin(admin.ModelAdmin):
    """« Tableau des dons » in the admin's menu and app list: its link opens the Dons page
    (``admin_views.dons_dashboard``), for whoever may view the debits."""

    actions = None

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("donations.view_debit")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return redirect("admin:donations_dashboard")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return self.changelist_view(request)


class NewBankFileForm(forms.Form):
    due_on = forms.DateField(
        label=_("Date d'échéance"),
        help_text=_("Les prélèvements programmés à cette date et jamais envoyés. AAAA-MM-JJ."),
    )


@admin.register(DebitBatch)
class DebitBatchAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    can_add = True  # « Nouveau fichier de prélèvements » (add_view below)
    list_display = [
        "message_id",
        "due_on",
        "part",
        "debit_count",
        "total_display",
        "status",
        "created_at",
        "created_by",
    ]
    list_filter = ["status", "version"]
    readonly_fields = [
        "message_id",
        "created_at",
        "created_by",
        "due_on",
        "version",
        "part",
        "status",
        "collected_at",
        "debit_count",
        "total",
        "sha256",
        "links",
    ]
    fields = readonly_fields
    actions = ["mark_collected", "export_csv"]
    staff_views = [
        (
            "admin:donations_debitbatch_download",
            _("télécharger le fichier bancaire"),
            "donations.download_debitbatch",
        ),
        ("admin:donations_debitbatch_csv", _("exporter en CSV"), "donations.view_debitbatch"),
    ]

    def get_urls(self):
        return [
            path(
                "<int:pk>/telecharger/",
                self.admin_site.admin_view(admin_views.batch_file_download),
                name="donations_debitbatch_download",
            ),
            path(
                "<int:pk>/export.csv",
                self.admin_site.admin_view(admin_views.batch_csv_export),
                name="donations_debitbatch_csv",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("montant"), ordering="total")
    def total_display(self, obj):
        return format_money(obj.total)

    @admin.display(description=_("fichiers"))
    def links(self, obj):
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("admin:donations_debitbatch_download", args=[obj.pk]),
            _("Télécharger le fichier bancaire (XML)"),
            reverse("admin:donations_debitbatch_csv", args=[obj.pk]),
            _("Exporter les prélèvements (CSV)"),
        )

    def add_view(self, request, form_url="", extra_context=None):
        """A new bank file: the due date, then the batches made from the debits never sent."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = NewBankFileForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                batches = services.bank_file_create(
                    due_on=form.cleaned_data["due_on"], by=request.user
                )
            except services.BankFileRefused as exc:
                form.add_error("due_on", str(exc))
            else:
                if not batches:
                    self.message_user(
                        request,
                        _("Aucun prélèvement à envoyer pour cette échéance."),
                        level=messages.WARNING,
                    )
                for batch in batches:
                    self.message_user(
                        request,
                        ngettext(
                            "Fichier %(id)s créé : %(count)s prélèvement, %(total)s.",
                            "Fichier %(id)s créé : %(count)s prélèvements, %(total)s.",
                            batch.debit_count,
                        )
                        % {
                            "id": batch.message_id,
                            "count": batch.debit_count,
                            "total": format_money(batch.total),
                        },
                    )
                return redirect("admin:donations_debitbatch_changelist")
        return TemplateResponse(
            request,
            "admin/donations/debitbatch/new.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Nouveau fichier de prélèvements"),
                "form": form,
                "opts": self.model._meta,
                "submission_days": settings.SEPA_SUBMISSION_DAYS,
                "creditor_id": settings.SEPA_CREDITOR_ID,
            },
        )

    @confirmed_action(
        description=_("Marquer encaissés (après l'échéance)"),
        permissions=["add"],
        title=ngettext_lazy(
            "Marquer %(count)d fichier encaissé ?",
            "Marquer %(count)d fichiers encaissés ?",
            "count",
        ),
        explanation=_(
            "Les prélèvements de chaque fichier choisi que la banque n'a ni rejetés ni "
            "retournés deviennent « encaissés » à leur échéance, et comptent dans les reçus "
            "fiscaux. Possible seulement une fois l'échéance passée."
        ),
        button=ngettext_lazy(
            "Marquer ce fichier encaissé", "Marquer ces %(count)d fichiers encaissés", "count"
        ),
        describe=lambda batch: (
            f"{batch.message_id} — {format_date(batch.due_on)} — {format_money(batch.total)}"
        ),
    )
    def mark_collected(self, request, queryset):
        for batch in queryset:
            try:
                count = services.batch_collect(batch=batch, by=request.user)
            except services.DebitRefused as exc:
                self.message_user(request, f"{batch.message_id} : {exc}", level=messages.ERROR)
                continue
            self.message_user(
                request,
                ngettext(
                    "%(id)s : %(count)d prélèvement encaissé.",
                    "%(id)s : %(count)d prélèvements encaissés.",
                    count,
                )
                % {"id": batch.message_id, "count": count},
                messages.SUCCESS,
            )

    @admin.action(description=_("Exporter les prélèvements (CSV)"), permissions=["view"])
    def export_csv(self, request, queryset):
        return admin_views.batches_csv(queryset)


BANK_ANSWER_MAX_BYTES = 20 * 1024 * 1024


class BankAnswerForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier de la banque"),
        help_text=_(
            "Le fichier XML reçu de la banque : pain.002 (prélèvements rejetés avant "
            "l’échéance) ou camt.054 (retournés ou remboursés après). 20 Mo au plus."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > BANK_ANSWER_MAX_BYTES:
            raise forms.ValidationError(
                _("Ce fichier dépasse 20 Mo : est-ce bien une réponse de la banque ?")
            )
        content = upload.read()
        try:
            self.document = services.bank_answer_read(content)
        except services.BankAnswerRefused as exc:
            raise forms.ValidationError(str(exc)) from None
        self.content = content
        return upload


@admin.register(BankAnswer)
class BankAnswerAdmin(admin.ModelAdmin):
    list_display = [
        "message_id",
        "kind",
        "sent_at",
        "created_at",
        "by",
        "rejected",
        "returned",
        "refunded",
        "unchanged",
        "not_applied",
    ]
    list_filter = ["kind"]
    search_fields = ["message_id", "original_message_id", "filename"]
    list_select_related = ["by"]
    readonly_fields = [
        "kind",
        "version",
        "message_id",
        "sent_at",
        "original_message_id",
        "filename",
        "sha256",
        "created_at",
        "by",
        "channel",
        "rejected",
        "returned",
        "refunded",
        "unchanged",
        "not_applied",
        "report",
    ]
    fields = readonly_fields

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def add_view(self, request, form_url="", extra_context=None):
        """Upload a pain.002 or camt.054: checked against its schema, applied once."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = BankAnswerForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                answer, created = services.bank_answer_import(
                    content=form.content, filename=upload.name, by=request.user
                )
            except services.BankAnswerRefused as exc:
                form.add_error("file", str(exc))
            else:
                if not created:
                    form.add_error(
                        "file",
                        _(
                            "Ce fichier (message %(id)s) a déjà été importé le %(date)s : "
                            "rien n’a changé."
                        )
                        % {
                            "id": answer.message_id,
                            "date": format_date(timezone.localdate(answer.created_at)),
                        },
                    )
                else:
                    self.message_user(request, bank_answer_summary(answer))
                    if answer.not_applied:
                        self.message_user(
                            request,
                            _("Voyez le compte rendu des lignes non appliquées."),
                            level=messages.WARNING,
                        )
                    return redirect("admin:donations_bankanswer_change", answer.pk)
        return TemplateResponse(
            request,
            "admin/donations/bankanswer/new.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Importer une réponse de la banque"),
                "form": form,
                "opts": self.model._meta,
            },
        )


def bank_answer_summary(answer: BankAnswer) -> str:
    """« pain.002 MSG-1 importé : 2 prélèvements rejetés, … », with the plurals right."""
    parts = [
        ngettext("%(count)d prélèvement rejeté", "%(count)d prélèvements rejetés", answer.rejected)
        % {"count": answer.rejected},
        ngettext(
            "%(count)d prélèvement retourné", "%(count)d prélèvements retournés", answer.returned
        )
        % {"count": answer.returned},
        ngettext(
            "%(count)d prélèvement remboursé", "%(count)d prélèvements remboursés", answer.refunded
        )
        % {"count": answer.refunded},
        ngettext("%(count)d déjà noté", "%(count)d déjà notés", answer.unchanged)
        % {"count": answer.unchanged},
        ngettext("%(count)d non appliqué", "%(count)d non appliqués", answer.not_applied)
        % {"count": answer.not_applied},
    ]
    return _("Fichier %(id)s importé : %(parts)s.") % {
        "id": answer.message_id,
        "parts": ", ".join(parts),
    }


@admin.register(MandatePdfAccess)
class MandatePdfAccessAdmin(admin.ModelAdmin):
    """Every opening of a signed mandate with its whole IBAN: who and when. Listed for
    whoever holds its view permission (superusers only by default: those who answer for
    the bank data); written by the PDF's page alone, never changed nor deleted."""

    list_display = ["at", "by_username", "rum"]
    list_filter = ["by_username"]
    search_fields = ["rum", "by_username"]
    date_hierarchy = "at"
    fields = ["at", "by_username", "by", "rum", "mandate"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
