"""Petitions, their signatures, and the urgent appeal shown at the top of every page."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.models import PhotoModel, TimeStampedModel
from core.search import FoldedSearchModel


def normalise_email(email: str) -> str:
    """What makes two addresses one signer: surrounding spaces and case are ignored.

    ``+tags`` and dots are kept: ``ana+x@example.org`` and ``a.na@example.org`` are
    distinct addresses (providers differ on whether they reach the same mailbox).
    """
    return (email or "").strip().lower()


RESERVED_SLUGS = {"confirmer", "confirm"}  # path segments of the confirmation links


class PetitionQuerySet(models.QuerySet):
    def published(self):
        """Every petition a visitor may open (not drafts)."""
        return self.exclude(status=Petition.Status.DRAFT)

    def open(self, now=None):
        now = now or timezone.now()
        return self.filter(status=Petition.Status.OPEN, opens_at__lte=now).filter(
            Q(closes_at__isnull=True) | Q(closes_at__gt=now)
        )

    def with_confirmed_total(self):
        """``confirmed_total``: the counter column plus the confirmations still in its
        shards (``PetitionCountShard``), read in one statement: exact, and no lock taken."""
        shards = (
            PetitionCountShard.objects.filter(petition=models.OuterRef("pk"))
            .order_by()
            .values("petition")
            .annotate(total=models.Sum("count"))
            .values("total")
        )
        return self.annotate(
            confirmed_total=models.F("confirmed_count")
            + Coalesce(models.Subquery(shards), models.Value(0))
        )

    def with_pending_count(self):
        return self.annotate(
            pending_count=models.Count(
                "signatures", filter=Q(signatures__confirmed_at__isnull=True)
            )
        )


class Petition(FoldedSearchModel, PhotoModel, TimeStampedModel):
    search_sources = ("title_fr", "title_en", "slug", "target_fr", "target_en")

    class Status(models.TextChoices):
        DRAFT = "draft", _("brouillon")
        OPEN = "open", _("ouverte")
        CLOSED = "closed", _("close")
        WON = "won", _("gagnée")

    title = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(
        _("adresse"), max_length=200, unique=True, help_text=_("La fin de l'adresse de la page.")
    )
    target = models.CharField(
        _("destinataire"),
        max_length=200,
        help_text=_("À qui s'adresse la pétition, par exemple « Président Salva Kiir »."),
    )
    ask = models.CharField(
        _("la demande"),
        max_length=300,
        help_text=_("Ce que demandent les signataires, en une phrase."),
    )
    text = models.TextField(_("texte"), help_text=_("Le texte de la pétition."))
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("victoire liée"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="petitions",
        help_text=_("La personne ou l'affaire que défend cette pétition."),
    )
    goal = models.PositiveIntegerField(_("objectif"), default=10000)
    opens_at = models.DateTimeField(_("ouverte le"), default=timezone.now)
    closes_at = models.DateTimeField(_("fermée le"), null=True, blank=True)
    status = models.CharField(_("état"), max_length=10, choices=Status, default=Status.DRAFT)
    offline_count = models.PositiveIntegerField(
        _("signatures hors ligne"),
        default=0,
        help_text=_(
            "Signatures recueillies sur papier ou par d'autres canaux, ajoutées au compteur."
        ),
    )
    confirmed_count = models.PositiveIntegerField(
        _("signatures confirmées"),
        default=0,
        editable=False,
        help_text=_("Tenu à jour à chaque confirmation."),
    )
    # The counter is written by the counting code only (petitions/counts.py, services):
    # a form or a service saving the petition never writes back the value it read.
    COUNTER_FIELDS = ("confirmed_count",)

    objects = PetitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("pétition")
        verbose_name_plural = _("pétitions")
        ordering = ["-opens_at"]
        permissions = [
            (
                "run_campaign",
                _("Peut ouvrir, programmer, fermer une pétition et la marquer gagnée"),
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self._state.adding and kwargs.get("update_fields") is None:
            # Folds add to ``confirmed_count`` at any moment: writing every column from
            # this (maybe minutes old) instance would erase the confirmations folded since.
            deferred = self.get_deferred_fields()
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key
                and field.name not in self.COUNTER_FIELDS
                and field.attname not in deferred
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("petitions:petition-detail", kwargs={"slug": self.slug})

    # A banner never leads to a draft, nor outlives its petition once won or closed.
    ENDED_OR_DRAFT = ("draft", "closed", "won")

    def clean(self):
        super().clean()
        if self.slug in RESERVED_SLUGS:
            raise ValidationError(
                {"slug": _("Cette adresse est réservée : choisissez-en une autre.")}
            )
        if self.closes_at and self.opens_at and self.closes_at <= self.opens_at:
            raise ValidationError(
                {"closes_at": _("La date de fermeture doit suivre la date d'ouverture.")}
            )

    def readable_victory(self, now=None):
        """The case this won petition links to, when visitors can read it; else None.

        A case still unpublished (or published later) would be a dead link on the page and
        in the email that tells the signers.
        """
        if self.status != self.Status.WON or not self.case_id:
            return None
        case = self.case
        now = now or timezone.now()
        if case.is_published and case.published_at <= now:
            return case
        return None

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.status == self.Status.OPEN
            and self.opens_at <= now
            and (self.closes_at is None or self.closes_at > now)
        )


class PetitionCountShard(models.Model):
    """Confirmations not yet added to ``Petition.confirmed_count``.

    Each confirmation adds one to a shard row picked at random, so concurrent
    confirmations of one petition rarely wait for each other (they all waited for the
    petition's row). ``petitions.counts.petition_count_fold`` moves the shards into the
    petition's counter; the count shown is the counter plus the shards
    (``PetitionQuerySet.with_confirmed_total``).
    """

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="count_shards")
    shard = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("part du compteur")
        verbose_name_plural = _("parts du compteur")
        constraints = [
            models.UniqueConstraint(fields=["petition", "shard"], name="petition_count_shard")
        ]

    def __str__(self):
        return f"{self.petition_id}/{self.shard}: {self.count}"


class SignatureQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def pending(self):
        return self.filter(confirmed_at__isnull=True)

    def for_email(self, email: str):
        return self.alias(email_normalised=Lower("email")).filter(
            email_normalised=normalise_email(email)
        )

    def identified(self):
        """Signatures still carrying a person's contact data (not anonymised)."""
        return self.filter(anonymised_at__isnull=True)

    def expired(self, now=None, days: int = 7):
        """Unconfirmed signatures older than ``days``: to be erased."""
        now = now or timezone.now()
        return self.pending().filter(created_at__lt=now - timezone.timedelta(days=days))


class Signature(FoldedSearchModel, TimeStampedModel):
    search_sources = ("first_name", "last_name", "email", "postal_code")
    search_countries = ("country",)
    petition = models.ForeignKey(
        Petition,
        verbose_name=_("pétition"),
        # A petition with signatures is closed, never deleted (they are its proof).
        on_delete=models.PROTECT,
        related_name="signatures",
        # No index of its own: the two indexes below start with the petition, and each
        # signature, each confirmation, would update a third one for nothing.
        db_index=False,
    )
    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100)
    # Empty (NULL) once the signature is anonymised: the row stays, so the count stays true.
    email = models.EmailField(_("adresse e-mail"), max_length=254, null=True)
    country = CountryField(_("pays"))
    postal_code = models.CharField(_("code postal"), max_length=20, blank=True)
    language = models.CharField(
        _("langue"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    newsletter = models.BooleanField(_("accepte la lettre d'information"), default=False)
    newsletter_consent_text = models.TextField(
        _("texte de consentement à la lettre affiché"), blank=True
    )
    newsletter_consent_at = models.DateTimeField(
        _("consentement à la lettre donné le"), null=True, blank=True
    )
    share_name = models.BooleanField(
        _("accepte que son nom soit remis aux destinataires"),
        default=False,
        help_text=_(
            "Consentement explicite, pour cette pétition seulement (RGPD art. 9.2.a) : sans lui, "
            "seuls des nombres quittent l'association."
        ),
    )
    notify_outcome = models.BooleanField(_("veut connaître l'issue"), default=False)
    confirmed_at = models.DateTimeField(_("confirmée le"), null=True, blank=True)
    ip_hash = models.CharField(
        _("empreinte de la connexion"),
        max_length=64,
        blank=True,
        help_text=_("Empreinte salée du réseau d'origine, jamais l'adresse elle-même."),
    )
    won_notified_at = models.DateTimeField(_("victoire annoncée le"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymisée le"), null=True, blank=True)

    objects = SignatureQuerySet.as_manager()

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                "petition", Lower("email"), name="signature_one_per_petition_and_email"
            ),
        ]
        indexes = [
            models.Index(fields=["petition", "confirmed_at"], name="signature_petition_conf")
        ]
        permissions = [
            ("export_signatures", _("Peut exporter les signatures")),
            ("resend_confirmation", _("Peut renvoyer le lien de confirmation")),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name[:1]}."

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class AppealQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def current(self, now):
        """The appeals showing at ``now``: never one leading to a draft or to nowhere (its
        petition deleted)."""
        return (
            self.active()
            .filter(starts_at__lte=now, ends_at__gt=now)
            .exclude(petition__status__in=Petition.ENDED_OR_DRAFT)
            .exclude(petition__closes_at__lte=now)
            .exclude(petition__isnull=True, url="")
            .select_related("petition")
            .order_by("-starts_at", "-pk")
        )

    def upcoming(self, now):
        return self.active().filter(starts_at__gt=now).order_by("starts_at")


class Appeal(TimeStampedModel):
    """An urgent appeal: a banner at the top of every public page, for a while."""

    label = models.CharField(
        _("étiquette"), max_length=40, help_text=_("Par exemple « URGENCE GAZA ».")
    )
    text = models.CharField(_("texte"), max_length=200, help_text=_("Une seule ligne d'appel."))
    petition = models.ForeignKey(
        Petition,
        verbose_name=_("pétition"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appeals",
        help_text=_("La pétition vers laquelle mène le bandeau…"),
    )
    url = models.URLField(_("ou adresse"), blank=True, help_text=_("…ou n'importe quelle adresse."))
    starts_at = models.DateTimeField(_("début"), default=timezone.now)
    ends_at = models.DateTimeField(_("fin"))
    is_active = models.BooleanField(_("actif"), default=True)

    objects = AppealQuerySet.as_manager()

    class Meta:
        verbose_name = _("appel urgent")
        verbose_name_plural = _("appels urgents")
        ordering = ["-starts_at"]

    def __str__(self):
        return f"{self.label} — {self.text}"

    def clean(self):
        errors = {}
        if self.ends_at and self.starts_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("La fin doit suivre le début.")
        if bool(self.petition_id) == bool(self.url):
            errors["url"] = _("Choisissez une pétition ou une adresse, l'une des deux.")
        other = self.overlapping().first() if not errors and self.is_active else None
        if other is not None:
            errors["starts_at"] = _(
                "Ces dates chevauchent celles du bandeau « %(other)s » (du %(start)s au "
                "%(end)s) : un seul bandeau à la fois. Changez les dates ou désactivez l'autre."
            ) % {
                "other": other,
                "start": timezone.localtime(other.starts_at).strftime("%d/%m/%Y %H:%M"),
                "end": timezone.localtime(other.ends_at).strftime("%d/%m/%Y %H:%M"),
            }
        if errors:
            raise ValidationError(errors)

    def overlapping(self):
        """The other active banners, live or scheduled, whose dates meet this one's."""
        if not (self.starts_at and self.ends_at):
            return Appeal.objects.none()
        return (
            Appeal.objects.active()
            .filter(starts_at__lt=self.ends_at, ends_at__gt=self.starts_at)
            .filter(ends_at__gt=timezone.now())
            .exclude(pk=self.pk)
            .order_by("starts_at")
        )

    def state(self, now=None) -> str:
        now = now or timezone.now()
        if not self.is_active:
            return "off"
        if self.petition_id and (
            self.petition.status in Petition.ENDED_OR_DRAFT[1:]
            or (self.petition.closes_at and self.petition.closes_at <= now)
        ):
            return "ended"
        if self.ends_at <= now:
            return "ended"
        if self.starts_at > now:
            return "scheduled"
        return "live"

    def get_link(self) -> str:
        if self.petition_id:
            return self.petition.get_absolute_url()
        return self.url


class SignatureExport(models.Model):
    """Each CSV export of signatures: who, when, which petition, for what purpose, which
    columns and how many rows (never the rows themselves)."""

    petition = models.ForeignKey(
        Petition,
        verbose_name=_("pétition"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="exports",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("le"), auto_now_add=True, db_index=True)
    purpose = models.CharField(_("finalité"), max_length=200)
    columns = models.JSONField(_("colonnes"), default=list)
    rows = models.PositiveIntegerField(_("lignes"), default=0)

    class Meta:
        verbose_name = _("export de signatures")
        verbose_name_plural = _("exports de signatures")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.petition} · {self.at:%Y-%m-%d %H:%M}"
