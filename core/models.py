from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from core.validators import validate_photo


class TimeStampedModel(models.Model):
    """Base for every model: when a row was created and last changed."""

    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        abstract = True


def photo_upload_to(instance, filename: str) -> str:
    """Each app's photos in a folder of its own: ``cases/…``, ``petitions/…``."""
    return f"{instance._meta.app_label}/{filename}"


class PhotoModel(models.Model):
    """A photo checked on upload (``core.validators``), its size for ``width``/``height``
    attributes, and its alternative text, required in French when there is a photo (every
    language falls back to French). ``photo_alt`` is translated by the concrete model."""

    photo = models.ImageField(
        _("photo"),
        upload_to=photo_upload_to,
        blank=True,
        width_field="photo_width",
        height_field="photo_height",
        validators=[validate_photo],
        help_text=_("JPEG, PNG ou WebP, 10 Mo au plus, au moins 800 px de large."),
    )
    photo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_alt = models.CharField(
        _("texte alternatif de la photo"),
        max_length=250,
        blank=True,
        help_text=_("Ce que montre la photo, pour les personnes qui ne la voient pas."),
    )

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
