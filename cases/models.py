"""Victories: a person (a case), what happened to them (outcome events), and how many
people took action for them (mobilisation figures); plus the page's own texts."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from cases import rules
from cases.querysets import CaseQuerySet
from core.formats import format_date, format_int
from core.models import PhotoModel, TimeStampedModel, focal_field
from core.photos import CleanImageField, Renditions
from core.search import FoldedSearchModel
from core.validators import validate_photo

# The texts translated with modeltranslation (see translation.py), in the form's order.
TRANSLATED_FIELDS = [
    "headline",
    "charges",
    "sentence",
    "detention",
    "story",
    "quote",
    "quote_attribution",
    "photo_alt",
    "photo_caption",
]


class Precision(models.TextChoices):
    DAY = "day", _("au jour près")
    MONTH = "month", _("au mois près")
    YEAR = "year", _("à l'année près")


class Gender(models.TextChoices):
    FEMALE = rules.FEMALE, _("féminin (libérée)")
    MALE = rules.MALE, _("masculin (libéré)")
    UNSPECIFIED = rules.UNSPECIFIED, _("non précisé (libéré·e)")


def _truncate(value, precision):
    if value is None:
        return None
    if precision == Precision.YEAR:
        return (value.year,)
    if precision == Precision.MONTH:
        return (value.year, value.month)
    return (value.year, value.month, value.day)


def _coarser(a, b):
    order = [Precision.DAY, Precision.MONTH, Precision.YEAR]
    return max(a or Precision.DAY, b or Precision.DAY, key=order.index)


class Case(FoldedSearchModel, PhotoModel, TimeStampedModel):
    search_sources = (
        "name",
        "legal_name",
        "headline_fr",
        "headline_en",
        "charges_fr",
        "charges_en",
    )
    search_countries = ("country",)
    """One person whose freedom (or life) was won, shown on the victories page."""

    name = models.CharField(
        _("nom public"),
        max_length=120,
        help_text=_("Le nom sous lequel la personne est connue, écrit une seule fois ici."),
    )
    legal_name = models.CharField(
        _("nom à l'état civil"),
        max_length=120,
        blank=True,
        help_text=_("Seulement s'il diffère du nom public (par exemple « Ana da Silva Miguel »)."),
    )
    gender = models.CharField(
        _("accord en français"),
        max_length=12,
        choices=Gender.choices,
        default=Gender.UNSPECIFIED,
        help_text=_("Pour écrire « libérée », « libéré » ou « libéré·e »."),
    )
    country = CountryField(_("pays"))
    slug = models.SlugField(
        _("adresse de la page"),
        max_length=80,
        unique=True,
        blank=True,
        help_text=_(
            "Rempli à partir du nom (lettres accentuées transcrites : « Taner Kılıç » donne "
            "« taner-kilic »). Laissé vide, il est calculé à l'enregistrement."
        ),
    )
    headline = models.CharField(
        _("titre"),
        max_length=200,
        help_text=_("Une ligne : « une voix contre la guerre en Ukraine libérée »."),
    )
    charges = models.TextField(
        _("accusations"), blank=True, help_text=_("Ce dont la personne était accusée.")
    )
    sentence = models.TextField(
        _("peine"), blank=True, help_text=_("La peine prononcée, s'il y en a eu une.")
    )
    story = models.TextField(
        _("histoire"),
        help_text=_("Texte simple : une ligne vide sépare deux paragraphes. Aucun code HTML."),
    )
    arrest_date = models.DateField(_("date d'arrestation"), null=True, blank=True)
    arrest_date_precision = models.CharField(
        _("précision de la date d'arrestation"),
        max_length=5,
        choices=Precision.choices,
        default=Precision.DAY,
    )
    detention = models.CharField(
        _("temps passé en détention"),
        max_length=200,
        blank=True,
        help_text=_(
            "Dans les mots de la source, sans rien calculer : « quatorze mois de détention "
            "provisoire », « plus de quatre ans ». Il s'affiche dans la chronologie, sous "
            "l'arrestation."
        ),
    )
    quote = models.TextField(
        _("citation"),
        blank=True,
        help_text=_("Les mots exacts, sans guillemets : la page les présente en citation."),
    )
    quote_attribution = models.CharField(
        _("auteur de la citation"),
        max_length=200,
        blank=True,
        help_text=_("Laisser vide quand la personne elle-même parle : son nom public est utilisé."),
    )
    photo_caption = models.CharField(
        _("légende de la photo"),
        max_length=250,
        blank=True,
        help_text=_("Qui, où, quand : « Taner Kılıç à Istanbul, en juin 2018 »."),
    )
    photo_credit = models.CharField(
        _("crédit de la photo"), max_length=120, blank=True, help_text=_("Sans le ©.")
    )
    is_published = models.BooleanField(
        _("publiée"),
        default=False,
        help_text=_("Cochée, la victoire paraît sur le site à sa date de publication."),
    )
    published_at = models.DateTimeField(
        _("date de publication"),
        default=timezone.now,
        help_text=_("Une date future garde la victoire cachée jusqu'à ce moment."),
    )
    # The share card's image files per language, made by cases.tasks.share_card_make.
    share_card = models.JSONField(default=dict, blank=True, editable=False)
    position = models.PositiveSmallIntegerField(
        _("position forcée"),
        null=True,
        blank=True,
        validators=[
            MinValueValidator(1, _("La position commence à 1.")),
            MaxValueValidator(999, _("La position va de 1 à 999.")),
        ],
        help_text=_(
            "Laisser vide : les victoires sont rangées de la plus récente à la plus ancienne. "
            "1 place la victoire en tête."
        ),
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("victoire")
        verbose_name_plural = _("victoires")
        ordering = ["name"]
        indexes = [models.Index(fields=["is_published", "published_at"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("cases:victory-detail", kwargs={"slug": self.slug})

    @property
    def attribution(self):
        return self.quote_attribution or self.name

    # What the page writes, in the active language (events and figures prefetched).

    def outcome_sentences(self, with_detail=True) -> list[str]:
        """One sentence per date, the latest first: ['Libéré le 4 avril 2022.', …]."""
        language = translation.get_language() or "fr"
        return [
            rules.outcome_sentence(group, self.gender, language, with_detail=with_detail)
            for group in rules.outcome_groups(self.events.all())
        ]

    def timeline(self) -> list[dict]:
        """Arrest and outcomes, oldest first, each with its date as precise as it is known.

        No duration is computed: the time spent in detention is the source's own words
        (``detention``, or an outcome's detail), never the gap between an arrest and an
        acquittal.
        """
        language = translation.get_language() or "fr"
        items = []
        if self.arrest_date:
            items.append(
                {
                    "date": self.arrest_date,
                    "precision": self.arrest_date_precision,
                    "label": str(_("Arrestation")),
                    "detail": self.detention,
                }
            )
        dated = sorted((e for e in self.events.all() if e.date), key=lambda e: e.date)
        undated = [e for e in self.events.all() if not e.date]
        for event in [*dated, *undated]:
            word = rules.outcome_word(event.kind, self.gender, language, event.label)
            items.append(
                {
                    "date": event.date,
                    "precision": event.date_precision,
                    "label": word[:1].upper() + word[1:],
                    "detail": event.detail,
                }
            )
        return items

    def outcome_headline(self) -> str:
        """The latest outcome in a few words, for the typographic card: 'Graciée et libérée'."""
        groups = rules.outcome_groups(self.events.all())
        if not groups:
            return ""
        return rules.outcome_headline(groups[0], self.gender, translation.get_language() or "fr")

    def latest_event(self):
        events = sorted(self.events.all(), key=lambda e: (e.date is not None, e.date), reverse=True)
        events = [e for e in events if e.date] or events
        return events[0] if events else None

    def mobilisation_sentence(self) -> str:
        language = translation.get_language() or "fr"
        return rules.mobilisation_sentence([f.as_rule() for f in self.figures.all()], language)

    def missing_english(self) -> list[str]:
        """The labels of the texts written in French but not yet in English (events prefetched)."""
        missing = [
            str(self._meta.get_field(name).verbose_name)
            for name in TRANSLATED_FIELDS
            if getattr(self, f"{name}_fr", "") and not getattr(self, f"{name}_en", "")
        ]
        if any(
            (event.label_fr and not event.label_en) or (event.detail_fr and not event.detail_en)
            for event in self.events.all()
        ):
            missing.append(str(_("issues")))
        return missing

    @property
    def lacks_english(self) -> bool:
        return bool(self.missing_english())

    def clean(self):
        super().clean()
        if not self.slug and self.name:
            self.slug = rules.slug_from_name(self.name)
        if not self.slug:
            raise ValidationError(
                {"slug": _("Le nom ne donne aucune lettre pour l'adresse : écrivez-la ici.")}
            )
        if self.slug in rules.RESERVED_SLUGS:
            raise ValidationError(
                {"slug": _("Cette adresse est réservée : choisissez-en une autre.")}
            )

    def save(self, *args, **kwargs):
        if not self.slug and self.name:
            self.slug = rules.slug_from_name(self.name)
        super().save(*args, **kwargs)


class OutcomeEvent(TimeStampedModel):
    """What happened: released, pardoned, acquitted… and when (to the day, month or year)."""

    class Kind(models.TextChoices):
        RELEASED = rules.RELEASED, _("libéré·e")
        PARDONED = rules.PARDONED, _("gracié·e")
        ACQUITTED = rules.ACQUITTED, _("acquitté·e")
        DEATH_SENTENCE_ANNULLED = rules.DEATH_SENTENCE_ANNULLED, _("peine de mort annulée")
        CHARGES_DROPPED = rules.CHARGES_DROPPED, _("charges abandonnées")
        OTHER = rules.OTHER, _("autre")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("victoire")
    )
    kind = models.CharField(_("issue"), max_length=30, choices=Kind.choices)
    label = models.CharField(
        _("libellé"),
        max_length=120,
        blank=True,
        help_text=_(
            "Seulement pour « autre » : en minuscules, par exemple « mise sous protection »."
        ),
    )
    date = models.DateField(
        _("date"),
        null=True,
        blank=True,
        help_text=_(
            "Laisser vide quand la date n'est pas connue : la page écrit « puis libérée » "
            "sans inventer de date."
        ),
    )
    date_precision = models.CharField(
        _("précision"), max_length=5, choices=Precision.choices, default=Precision.DAY
    )
    detail = models.CharField(
        _("précision libre"),
        max_length=200,
        blank=True,
        help_text=_("Suit la date : « après plus de quatre ans derrière les barreaux »."),
    )

    class Meta:
        verbose_name = _("issue")
        verbose_name_plural = _("issues")
        ordering = [models.F("date").desc(nulls_last=True), "pk"]

    def __str__(self):
        if not self.date:
            return str(self.get_kind_display())
        language = translation.get_language() or "fr"
        return f"{self.get_kind_display()}, {format_date(self.date, self.date_precision, language)}"

    def clean(self):
        super().clean()
        # Errors name the French field: the admin's form has no untranslated one.
        if self.kind == self.Kind.OTHER and not self.label_fr:
            raise ValidationError({"label_fr": _("Donnez un libellé à une issue « autre ».")})
        try:
            case = self.case
        except Case.DoesNotExist:
            case = None
        if case is not None and case.arrest_date and self.date:
            precision = _coarser(self.date_precision, case.arrest_date_precision)
            if _truncate(self.date, precision) < _truncate(case.arrest_date, precision):
                raise ValidationError(
                    {"date": _("Cette date précède la date d'arrestation : vérifiez-la.")}
                )


class MobilisationFigure(TimeStampedModel):
    """How many took action, where, counted how, as the campaign published it."""

    class Scope(models.TextChoices):
        WORLD = rules.WORLD, _("monde")
        FRANCE = rules.FRANCE, _("France")
        COUNTRY = rules.COUNTRY, _("un autre pays")

    class Qualifier(models.TextChoices):
        EXACT = rules.EXACT, _("exact")
        MORE_THAN = rules.MORE_THAN, _("plus de")
        NEARLY = rules.NEARLY, _("près de")

    class Unit(models.TextChoices):
        SIGNATURES = rules.SIGNATURES, _("signatures")
        LETTERS_EMAILS_TWEETS = rules.LETTERS_EMAILS_TWEETS, _("lettres, courriels et tweets")
        MESSAGES = rules.MESSAGES, _("messages de soutien")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="figures", verbose_name=_("victoire")
    )
    scope = models.CharField(_("où"), max_length=10, choices=Scope.choices, default=Scope.WORLD)
    country = CountryField(_("pays"), blank=True, help_text=_("Seulement pour « un autre pays »."))
    count = models.PositiveIntegerField(
        _("nombre"),
        validators=[
            MinValueValidator(1, _("Le nombre doit être supérieur à zéro.")),
            MaxValueValidator(2_000_000_000, _("Ce nombre dépasse 2 milliards : vérifiez-le.")),
        ],
    )
    qualifier = models.CharField(
        _("publié comme"), max_length=10, choices=Qualifier.choices, default=Qualifier.EXACT
    )
    unit = models.CharField(
        _("unité"), max_length=30, choices=Unit.choices, default=Unit.SIGNATURES
    )

    class Meta:
        verbose_name = _("chiffre de mobilisation")
        verbose_name_plural = _("chiffres de mobilisation")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(count__gt=0), name="cases_figure_count_positive"
            ),
        ]

    def __str__(self):
        return f"{self.get_scope_display()} : {format_int(self.count or 0)}"

    def clean(self):
        super().clean()
        if self.scope == self.Scope.COUNTRY and not self.country:
            raise ValidationError({"country": _("Choisissez le pays de ce chiffre.")})

    def as_rule(self):
        return rules.Figure(
            scope=self.scope,
            count=self.count or 0,
            qualifier=self.qualifier,
            unit=self.unit,
            country_code=self.country.code if self.country else "",
            country_name=self.country.name if self.country else "",
        )


class VictoryPage(TimeStampedModel):
    """The texts of /victoires/ itself: title, introduction, hero photo. One row."""

    title = models.CharField(_("titre"), max_length=200)
    intro = models.TextField(
        _("introduction"), help_text=_("Texte simple : une ligne vide sépare deux paragraphes.")
    )
    hero_image = CleanImageField(
        _("photo d'en-tête"),
        upload_to="pages/",
        blank=True,
        width_field="hero_width",
        height_field="hero_height",
        validators=[validate_photo],
        help_text=_("JPEG, PNG ou WebP, 10 Mo au plus, au moins 800 px de large."),
        # A band across wide screens, a 16:9 frame on phones.
        renditions=Renditions(
            crops=(("wide", (16, 9)), ("banner", (4, 1))),
            focal=("hero_focal_x", "hero_focal_y"),
            manifest="hero_renditions",
        ),
    )
    hero_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_focal_x = focal_field(_("point à garder : de gauche à droite (%)"), horizontal=True)
    hero_focal_y = focal_field(_("point à garder : de haut en bas (%)"), horizontal=False)
    hero_renditions = models.JSONField(default=dict, blank=True, editable=False)
    hero_alt = models.CharField(_("texte alternatif de la photo"), max_length=250, blank=True)
    hero_caption = models.CharField(_("légende de la photo"), max_length=300, blank=True)
    hero_credit = models.CharField(
        _("crédit de la photo"), max_length=120, blank=True, help_text=_("Sans le ©.")
    )

    class Meta:
        verbose_name = _("page des victoires (titre, introduction, photo d'en-tête)")
        verbose_name_plural = _("page des victoires (titre, introduction, photo d'en-tête)")

    def __str__(self):
        return str(self.title)

    def get_absolute_url(self):
        return reverse("cases:victory-list")

    def clean(self):
        super().clean()
        if self.hero_image and not self.hero_alt_fr:
            raise ValidationError(
                {"hero_alt_fr": _("Décrivez la photo : le texte alternatif est obligatoire.")}
            )
