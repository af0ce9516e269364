"""The editorial admin of victories: the CMS campaign staff use every day."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, F, Max, OuterRef, Q
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language, ngettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline
from text_unidecode import unidecode

from cases import rules
from cases.models import TRANSLATED_FIELDS, Case, MobilisationFigure, OutcomeEvent, VictoryPage
from cases.services import cases_publish, cases_unpublish
from core.admin import (
    AdminNames,
    AdminNamesMixin,
    LanguageSwitchMixin,
    PhotoAdminMixin,
    photo_focal_preview,
)
from core.admin_actions import confirmed_action
from core.formats import format_date, format_int
from core.history import HistoryAdmin
from core.photos import rendition_url
from core.search import FoldedSearchAdminMixin


class FigureFormSet(forms.BaseInlineFormSet):
    """One figure per place and unit; a country's count may not exceed the world count."""

    def clean(self):
        super().clean()
        rows = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("count"):
                continue
            rows.append((form, data))
        seen = set()
        for form, data in rows:
            place = data.get("scope")
            if place == rules.COUNTRY:
                place = "FR" if data.get("country") == "FR" else str(data.get("country") or "")
            elif place == rules.FRANCE:
                place = "FR"
            if (place, data.get("unit")) in seen:
                form.add_error(
                    "scope",
                    _("Ce lieu a déjà un chiffre dans cette unité : gardez-en un seul."),
                )
            seen.add((place, data.get("unit")))
        for form, data in rows:
            if data.get("scope") == rules.WORLD:
                continue
            world = [
                d["count"]
                for _f, d in rows
                if d.get("scope") == rules.WORLD and d.get("unit") == data.get("unit")
            ]
            if world and data["count"] > world[0]:
                form.add_error(
                    "count",
                    _("Ce chiffre dépasse le chiffre mondial (%(world)s) : vérifiez-le.")
                    % {"world": format_int(world[0], get_language() or "fr")},
                )


class OutcomeEventInline(TranslationStackedInline):
    model = OutcomeEvent
    extra = 0
    min_num = 1
    fields = [("kind", "date", "date_precision"), "label", "detail"]
    verbose_name = _("issue")
    verbose_name_plural = _("issues (la plus récente en tête de la section)")


class MobilisationFigureInline(admin.TabularInline):
    model = MobilisationFigure
    formset = FigureFormSet
    extra = 0
    fields = ["scope", "country", "count", "qualifier", "unit"]


class OutcomeFilter(admin.SimpleListFilter):
    title = _("issue")
    parameter_name = "issue"

    def lookups(self, request, model_admin):
        return OutcomeEvent.Kind.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.with_outcome(self.value())
        return queryset


class YearFilter(admin.SimpleListFilter):
    title = _("année de l'issue")
    parameter_name = "annee"

    def lookups(self, request, model_admin):
        years = OutcomeEvent.objects.dates("date", "year", order="DESC")
        return [(str(d.year), str(d.year)) for d in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(events__date__year=int(self.value())).distinct()
        return queryset


class PublicationFilter(admin.SimpleListFilter):
    title = _("publication")
    parameter_name = "publication"

    def lookups(self, request, model_admin):
        return [
            ("visible", _("en ligne")),
            ("scheduled", _("programmée")),
            ("draft", _("non publiée")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "visible":
            return queryset.filter(is_published=True, published_at__lte=now)
        if self.value() == "scheduled":
            return queryset.filter(is_published=True, published_at__gt=now)
        if self.value() == "draft":
            return queryset.filter(is_published=False)
        return queryset


class CountryFilter(admin.SimpleListFilter):
    """Only the countries that have a case, by their name."""

    title = _("pays")
    parameter_name = "pays"

    def lookups(self, request, model_admin):
        codes = Case.objects.order_by().values_list("country", flat=True).distinct()
        names = dict(countries)
        choices = [(code, str(names.get(code, code))) for code in codes]
        return sorted(choices, key=lambda item: unidecode(item[1]).lower())

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(country=self.value())
        return queryset


class EnglishFilter(admin.SimpleListFilter):
    """The cases with a text written in French but not yet in English."""

    title = _("anglais")
    parameter_name = "anglais"

    def lookups(self, request, model_admin):
        return [("todo", _("à traduire")), ("done", _("traduit"))]

    def queryset(self, request, queryset):
        missing = Q()
        for name in TRANSLATED_FIELDS:
            missing |= Q(**{f"{name}_fr__gt": ""}) & (
                Q(**{f"{name}_en": ""}) | Q(**{f"{name}_en__isnull": True})
            )
        for name in ("label", "detail"):
            missing |= Q(
                Exists(
                    OutcomeEvent.objects.filter(
                        case=OuterRef("pk"), **{f"{name}_fr__gt": ""}
                    ).filter(Q(**{f"{name}_en": ""}) | Q(**{f"{name}_en__isnull": True}))
                )
            )
        if self.value() == "todo":
            return queryset.filter(missing)
        if self.value() == "done":
            return queryset.exclude(missing)
        return queryset


class CaseChangeList(ChangeList):
    """As on the site: forced position first, then the latest outcome, newest first.

    Not ``ModelAdmin.get_ordering``: other apps' select boxes of cases use that ordering on
    a queryset without the ``latest_outcome_on`` annotation.
    """

    def _get_default_ordering(self):
        return [F("position").asc(nulls_last=True), F("latest_outcome_on").desc(nulls_last=True)]


class CaseAdminForm(forms.ModelForm):
    class Meta:
        model = Case
        fields = ["name", "slug"]  # the admin adds the fieldsets' fields

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            # static/js/admin-slug.js asks the server, so the prefill is the code's own slug.
            self.fields["slug"].widget.attrs["data-slug-url"] = reverse("admin:cases_case_slug")

    def clean_slug(self):
        slug = self.cleaned_data.get("slug")
        return slug or rules.slug_from_name(self.data.get("name", ""))


@admin.register(Case)
class CaseAdmin(
    AdminNamesMixin,
    PhotoAdminMixin,
    FoldedSearchAdminMixin,
    LanguageSwitchMixin,
    HistoryAdmin,
    TranslationAdmin,
):
    change_list_template = None  # ours (admin/cases/case/change_list.html), with « Récupérer »
    form = CaseAdminForm
    names = AdminNames(
        plural=_("Victoires"),
        add=_("Ajouter une victoire"),
        change=_("Modifier la victoire"),
        view=_("Consulter la victoire"),
        saved=_("La victoire « %(obj)s » est enregistrée."),
        deleted=_("La victoire « %(obj)s » est supprimée."),
    )
    list_display = [
        "thumbnail",
        "name",
        "country",
        "latest_outcome",
        "publication",
        "english",
    ]
    list_display_links = ["thumbnail", "name"]
    list_filter = [OutcomeFilter, CountryFilter, YearFilter, PublicationFilter, EnglishFilter]
    search_fields = ["name", "legal_name", "charges_fr", "charges_en", "headline_fr"]
    actions = ["publish", "unpublish"]
    readonly_fields = ["photo_preview"]
    inlines = [OutcomeEventInline, MobilisationFigureInline]
    list_per_page = 50

    class Media:
        css = {"all": ["css/cases-admin.css"]}
        js = ["js/admin-slug.js"]

    def get_urls(self):
        return [
            path(
                "slug/",
                self.admin_site.admin_view(self.slug_view),
                name="cases_case_slug",
            ),
            *super().get_urls(),
        ]

    def slug_view(self, request):
        """The slug the code makes from ?name=, for the form's prefill (one function)."""
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        name = request.GET.get("name", "").replace("\x00", "")[:200]
        return JsonResponse({"slug": rules.slug_from_name(name)})

    fieldsets = [
        (_("La personne"), {"fields": ["name", "legal_name", "gender", "country", "slug"]}),
        (
            _("Son histoire"),
            {
                "fields": [
                    "headline",
                    "charges",
                    "sentence",
                    "story",
                    ("arrest_date", "arrest_date_precision"),
                    "detention",
                ]
            },
        ),
        (_("Citation"), {"fields": ["quote", "quote_attribution"]}),
        (
            _("Photo"),
            {
                "fields": [
                    "photo",
                    "photo_preview",
                    ("photo_focal_x", "photo_focal_y"),
                    "photo_alt",
                    "photo_caption",
                    "photo_credit",
                ]
            },
        ),
        (_("Publication"), {"fields": ["is_published", "published_at", "position"]}),
    ]

    def get_changelist(self, request, **kwargs):
        return CaseChangeList

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(latest_outcome_on=Max("events__date"))
            .prefetch_related("events")
        )

    @admin.display(description=_("photo"))
    def thumbnail(self, obj):
        if not obj.photo or not obj.photo_width:
            return "—"
        return format_html(
            '<img src="{}" width="64" height="48" alt="" class="case-thumbnail">',
            rendition_url(obj, "photo", "card", 400),
        )

    @admin.display(description=_("dernière issue"), ordering="latest_outcome_on")
    def latest_outcome(self, obj):
        sentences = obj.outcome_sentences(with_detail=False)
        return sentences[0] if sentences else "—"

    @admin.display(description=_("publication"), ordering="published_at")
    def publication(self, obj):
        when = timezone.localtime(obj.published_at)
        day = format_date(when.date(), "day", get_language() or "fr")
        if not obj.is_published:
            return format_html(
                '<span class="case-state case-state--draft">{}</span>', _("non publiée")
            )
        if obj.published_at > timezone.now():
            return format_html(
                '<span class="case-state case-state--scheduled">{}</span>',
                _("programmée le %(day)s à %(time)s")
                % {"day": day, "time": when.strftime("%H:%M")},
            )
        return format_html(
            '<span class="case-state case-state--live">{}</span>',
            _("en ligne depuis le %(day)s") % {"day": day},
        )

    @admin.display(description=_("anglais"))
    def english(self, obj):
        missing = obj.missing_english()
        if not missing:
            return format_html(
                '<span class="case-english case-english--done">{}</span>', _("traduit")
            )
        return format_html(
            '<span class="case-english case-english--todo">{}</span>',
            _("à traduire : %(fields)s") % {"fields": ", ".join(missing)},
        )

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "title": _("Victoires : choisissez celle à modifier"),
            "page_texts_url": (
                reverse("admin:cases_victorypage_changelist")
                if request.user.has_perm("cases.change_victorypage")
                else ""
            ),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("aperçu"))
    def photo_preview(self, obj):
        return photo_focal_preview(obj, "photo", "photo_alt")

    @confirmed_action(
        description=_("Publier les victoires sélectionnées"),
        permissions=["change"],
        title=ngettext_lazy(
            "Publier %(count)d victoire ?", "Publier %(count)d victoires ?", "count"
        ),
        explanation=_(
            "Chaque victoire choisie paraît sur le site (sa page, la liste des victoires, le "
            "flux), tout de suite ou à sa date de publication si elle est programmée."
        ),
        button=ngettext_lazy("Publier cette victoire", "Publier ces %(count)d victoires", "count"),
    )
    def publish(self, request, queryset):
        selected = queryset.model.objects.filter(pk__in=queryset.values("pk"))
        count = cases_publish(queryset=selected)
        self.message_user(
            request,
            ngettext("%(count)d victoire publiée.", "%(count)d victoires publiées.", count)
            % {"count": count},
            messages.SUCCESS,
        )
        scheduled = selected.filter(published_at__gt=timezone.now()).count()
        if scheduled:
            self.message_user(
                request,
                ngettext(
                    "%(count)d victoire programmée : elle paraîtra à sa date de publication.",
                    "%(count)d victoires programmées : elles paraîtront à leur date de publication.",
                    scheduled,
                )
                % {"count": scheduled},
                messages.WARNING,
            )

    @confirmed_action(
        description=_("Dépublier les victoires sélectionnées"),
        permissions=["change"],
        title=ngettext_lazy(
            "Dépublier %(count)d victoire ?", "Dépublier %(count)d victoires ?", "count"
        ),
        explanation=_(
            "Chaque victoire choisie disparaît aussitôt du site (sa page, la liste des "
            "victoires, le flux). Elle reste ici, et peut être publiée de nouveau."
        ),
        button=ngettext_lazy(
            "Dépublier cette victoire", "Dépublier ces %(count)d victoires", "count"
        ),
    )
    def unpublish(self, request, queryset):
        count = cases_unpublish(
            queryset=queryset.model.objects.filter(pk__in=queryset.values("pk"))
        )
        self.message_user(
            request,
            ngettext("%(count)d victoire dépubliée.", "%(count)d victoires dépubliées.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(VictoryPage)
class VictoryPageAdmin(
    AdminNamesMixin, PhotoAdminMixin, LanguageSwitchMixin, HistoryAdmin, TranslationAdmin
):
    """One row: the list goes straight to its form (or to the empty form)."""

    names = AdminNames(
        plural=_("Textes de la page des victoires"),
        add=_("Écrire les textes de la page des victoires"),
        change=_("Modifier les textes de la page des victoires"),
        view=_("Consulter les textes de la page des victoires"),
        saved=_("Les textes de la page des victoires sont enregistrés."),
        deleted=_("Les textes de la page des victoires sont supprimés."),
    )

    list_display = ["title", "updated_at"]
    readonly_fields = ["hero_preview"]

    class Media:
        css = {"all": ["css/cases-admin.css"]}

    fieldsets = [
        (_("Texte"), {"fields": ["title", "intro"]}),
        (
            _("Photo d'en-tête"),
            {
                "fields": [
                    "hero_image",
                    "hero_preview",
                    ("hero_focal_x", "hero_focal_y"),
                    "hero_alt",
                    "hero_caption",
                    "hero_credit",
                ]
            },
        ),
    ]

    def add_view(self, request, form_url="", extra_context=None):
        """One page only: once written, "add" opens it."""
        page = VictoryPage.objects.order_by("pk").first()
        if page is not None and self.has_add_permission(request):
            return HttpResponseRedirect(reverse("admin:cases_victorypage_change", args=[page.pk]))
        return super().add_view(request, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        page = VictoryPage.objects.order_by("pk").first()
        if page is not None and self.has_view_or_change_permission(request, page):
            return HttpResponseRedirect(reverse("admin:cases_victorypage_change", args=[page.pk]))
        if page is None and self.has_add_permission(request):
            return HttpResponseRedirect(reverse("admin:cases_victorypage_add"))
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("aperçu"))
    def hero_preview(self, obj):
        return photo_focal_preview(obj, "hero_image", "hero_alt", width=480)
