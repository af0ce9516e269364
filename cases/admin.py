"""The editorial admin of victories: the CMS campaign staff use every day."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.db.models import F, Max, Q
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries import countries
from modeltranslation.admin import TabbedTranslationAdmin, TranslationStackedInline

from cases import rules
from cases.models import Case, MobilisationFigure, OutcomeEvent, VictoryPage
from cases.services import cases_publish, cases_unpublish


class FigureFormSet(forms.BaseInlineFormSet):
    """A country's count may not exceed the world count of the same unit."""

    def clean(self):
        super().clean()
        rows = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("count"):
                continue
            rows.append((form, data))
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
                    % {"world": world[0]},
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
        from django.utils import timezone

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
        return sorted(((c, names.get(c, c)) for c in codes), key=lambda item: str(item[1]))

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(country=self.value())
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

    def clean_slug(self):
        slug = self.cleaned_data.get("slug")
        return slug or rules.slug_from_name(self.data.get("name", ""))


@admin.register(Case)
class CaseAdmin(TabbedTranslationAdmin):
    form = CaseAdminForm
    list_display = [
        "thumbnail",
        "name",
        "country",
        "latest_outcome",
        "is_published",
        "published_at",
        "english_ready",
    ]
    list_display_links = ["thumbnail", "name"]
    list_filter = [OutcomeFilter, CountryFilter, YearFilter, PublicationFilter]
    search_fields = ["name", "legal_name", "charges_fr", "charges_en", "headline_fr"]
    actions = ["publish", "unpublish"]
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ["photo_preview"]
    inlines = [OutcomeEventInline, MobilisationFigureInline]
    list_per_page = 50

    class Media:
        css = {"all": ["css/cases-admin.css"]}

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
                ]
            },
        ),
        (_("Citation"), {"fields": ["quote", "quote_attribution"]}),
        (
            _("Photo"),
            {"fields": ["photo", "photo_preview", "photo_alt", "photo_caption", "photo_credit"]},
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

    def get_search_results(self, request, queryset, search_term):
        """Search also finds a country by its name ("Turquie", "Turkey")."""
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip().lower()
        codes = [code for code, name in countries if term and term in str(name).lower()]
        if codes:
            found = queryset.filter(Q(pk__in=found.values("pk")) | Q(country__in=codes))
        return found, may_have_duplicates

    @admin.display(description=_("photo"))
    def thumbnail(self, obj):
        if not obj.photo or not obj.photo_width:
            return "—"
        height = round(64 * obj.photo_height / obj.photo_width)
        return format_html('<img src="{}" width="64" height="{}" alt="">', obj.photo.url, height)

    @admin.display(description=_("dernière issue"), ordering="latest_outcome_on")
    def latest_outcome(self, obj):
        sentences = obj.outcome_sentences(with_detail=False)
        return sentences[0] if sentences else "—"

    @admin.display(description=_("anglais prêt"), boolean=True)
    def english_ready(self, obj):
        return not obj.lacks_english

    @admin.display(description=_("aperçu"))
    def photo_preview(self, obj):
        if not obj or not obj.photo or not obj.photo_width:
            return _("Aucune photo pour l'instant.")
        height = round(320 * obj.photo_height / obj.photo_width)
        return format_html(
            '<img src="{}" width="320" height="{}" alt="{}">', obj.photo.url, height, obj.photo_alt
        )

    @admin.action(description=_("Publier les victoires sélectionnées"), permissions=["change"])
    def publish(self, request, queryset):
        count = cases_publish(queryset=queryset.model.objects.filter(pk__in=queryset.values("pk")))
        self.message_user(
            request,
            ngettext("%(count)d victoire publiée.", "%(count)d victoires publiées.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Dépublier les victoires sélectionnées"), permissions=["change"])
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
class VictoryPageAdmin(TabbedTranslationAdmin):
    list_display = ["title", "updated_at"]
    fieldsets = [
        (_("Texte"), {"fields": ["title", "intro"]}),
        (
            _("Photo d'en-tête"),
            {"fields": ["hero_image", "hero_alt", "hero_caption", "hero_credit"]},
        ),
    ]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not VictoryPage.objects.exists()
