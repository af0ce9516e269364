from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from core.photos import CleanImageField, Renditions
from core.validators import validate_photo


class TimeStampedModel(models.Model):
    """Base for every model: when a row was created and last changed."""

    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        abstract = True


class RecordedModel(models.Model):
    """Base for a record that keeps who made it and when: ``created_at`` and ``by`` (the
    staff member; empty for the donor or a rule, and once the account is deleted)."""

    created_at = models.DateTimeField(_("enregistré le"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("par"),
    )

    class Meta:
        abstract = True


def photo_upload_to(instance, filename: str) -> str:
    """Each app's photos in a folder of its own: ``cases/…``, ``petitions/…``."""
    return f"{instance._meta.app_label}/{filename}"


class FocalFormField(forms.IntegerField):
    """Left empty, the focal point is the middle (50 %): never « Ce champ est obligatoire »."""

    def __init__(self, **kwargs):
        super().__init__(**{**kwargs, "required": False})

    def to_python(self, value):
        value = super().to_python(value)
        return 50 if value is None else value


class FocalPointField(models.PositiveSmallIntegerField):
    def formfield(self, **kwargs):
        return super().formfield(**{**kwargs, "form_class": FocalFormField})


def focal_field(verbose_name, *, horizontal: bool):
    """Half of a photo's focal point, in percent: crops keep this point in the frame."""
    if horizontal:
        help_text = _(
            "0 : bord gauche, 50 : milieu, 100 : bord droit. Les photos recadrées "
            "(vignettes, bandeau) gardent ce point dans le cadre : placez-le sur le visage, "
            "ou cliquez sur l'aperçu."
        )
        message = _("Donnez un nombre de 0 (bord gauche) à 100 (bord droit).")
    else:
        help_text = _("0 : bord du haut, 50 : milieu, 100 : bord du bas.")
        message = _("Donnez un nombre de 0 (bord du haut) à 100 (bord du bas).")
    return FocalPointField(
        verbose_name,
        default=50,
        validators=[MaxValueValidator(100, message)],
        help_text=help_text,
    )


class PhotoModel(models.Model):
    """A photo checked on upload (``core.validators``), its size for ``width``/``height``
    attributes, and its alternative text, required in French when there is a photo (every
    language falls back to French). ``photo_alt`` is translated by the concrete model."""

    photo = CleanImageField(
        _("photo"),
        upload_to=photo_upload_to,
        blank=True,
        width_field="photo_width",
        height_field="photo_height",
        validators=[validate_photo],
        help_text=_("JPEG, PNG ou WebP, 10 Mo au plus, au moins 800 px de large."),
        renditions=Renditions(
            crops=(("card", (4, 3)),),
            focal=("photo_focal_x", "photo_focal_y"),
            manifest="photo_renditions",
        ),
    )
    photo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_alt = models.CharField(
        _("texte alternatif de la photo"),
        max_length=250,
        blank=True,
        help_text=_("Ce que montre la photo, pour les personnes qui ne la voient pas."),
    )

    photo_focal_x = focal_field(_("point à garder : de gauche à droite (%)"), horizontal=True)
    photo_focal_y = focal_field(_("point à garder : de haut en bas (%)"), horizontal=False)
    photo_renditions = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None):
        # A stored photo was checked when it came in. Cleaning it again would read the file
        # back from storage on every save (Django re-measures it) and fail outright when the
        # file is not at hand (a database copied without its media, say).
        if self.photo and getattr(self.photo, "_committed", False):
            exclude = {*(exclude or ()), "photo"}
        super().clean_fields(exclude=exclude)

    def clean(self):
        super().clean()
        alt_field = build_localized_fieldname(
            "photo_alt", settings.MODELTRANSLATION_DEFAULT_LANGUAGE
        )
        if self.photo and not getattr(self, alt_field, self.photo_alt):
            raise ValidationError(
                {alt_field: _("Décrivez la photo : le texte alternatif est obligatoire.")}
            )


class PrivacyRequest(models.Model):
    """The journal of requests about personal data (export, erasure): who acted, when, how,
    what was done, never the data itself. ``erased_ids`` names the rows an erasure touched
    (``{"petitions.signature": [12, 13]}``), so that after a backup is restored the erasures
    made since can be replayed (``manage.py personal_data replay --since``)."""

    class Kind(models.TextChoices):
        EXPORT = "export", _("export des données")
        ERASE = "erase", _("effacement")
        WITHDRAW = "withdraw", _("retrait d'une signature")
        REPLAY = "replay", _("effacement rejoué après restauration")
        OPT_OUT = "optout", _("retrait du consentement à la lettre d'information")

    class Channel(models.TextChoices):
        ADMIN = "admin", _("administration (à la demande de la personne)")
        COMMAND = "command", _("commande (manage.py)")
        SELF = "self", _("espace personnel (la personne elle-même)")
        LINK = "link", _("lien de désinscription d'un courriel")

    kind = models.CharField(_("demande"), max_length=10, choices=Kind.choices)
    channel = models.CharField(_("par quel moyen"), max_length=10, choices=Channel.choices)
    at = models.DateTimeField(_("le"), auto_now_add=True, db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    identity_checked = models.BooleanField(_("identité vérifiée"), default=False)
    apps = models.CharField(_("parties du site"), max_length=200, blank=True)
    summary = models.JSONField(_("ce qui a été fait"), default=dict, blank=True)
    erased_ids = models.JSONField(_("lignes effacées"), default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = _("demande sur les données personnelles")
        verbose_name_plural = _("journal des demandes sur les données personnelles")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.at:%Y-%m-%d %H:%M}"


class CommandRun(models.Model):
    """One run of a scheduled command (``manage.py daily``): when it started and ended,
    and whether every step succeeded. The Dons page shows the last one."""

    name = models.CharField(_("commande"), max_length=100, db_index=True)
    started_at = models.DateTimeField(_("commencée le"))
    finished_at = models.DateTimeField(_("terminée le"), null=True, blank=True)
    succeeded = models.BooleanField(_("réussie"), default=False)
    report = models.TextField(_("compte rendu"), blank=True)

    class Meta:
        verbose_name = _("exécution de commande")
        verbose_name_plural = _("exécutions de commandes")
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.name} · {self.started_at:%Y-%m-%d %H:%M}"


class EmailToken(models.Model):
    """One emailed token (``core.tokens``): only its SHA-256 digest is kept, with what it
    is for, what it points at, when it expires and when it was used. One live token per
    purpose and target: issuing again replaces the digest."""

    purpose = models.CharField(_("usage"), max_length=50)
    digest = models.CharField(_("empreinte"), max_length=64, unique=True)
    target_model = models.CharField(_("type de la cible"), max_length=100, blank=True)
    target_id = models.CharField(_("cible"), max_length=254)
    created_at = models.DateTimeField(_("créé le"))
    expires_at = models.DateTimeField(_("expire le"), db_index=True)
    used_at = models.DateTimeField(_("utilisé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("jeton envoyé par courriel")
        verbose_name_plural = _("jetons envoyés par courriel")
        constraints = [
            models.UniqueConstraint(
                fields=["purpose", "target_model", "target_id"], name="core_token_one_per_target"
            )
        ]

    def __str__(self):
        return f"{self.purpose} · {self.expires_at:%Y-%m-%d %H:%M}"
