"""Checks on uploaded photos: format, weight, width, and that Pillow can read them."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MIN_WIDTH = 800
FORMATS = {"JPEG", "PNG", "WEBP"}


def validate_photo(file):
    """JPEG, PNG or WebP, at most 10 MB, at least 800 px wide, and not broken."""
    size = getattr(file, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ValidationError(
            _("Cette image pèse plus de 10 Mo : réduisez-la avant de l'envoyer."), code="too_big"
        )
    try:
        position = file.tell() if hasattr(file, "tell") else None
        file.seek(0)
        with Image.open(file) as image:
            image_format = image.format
            width = image.width
            image.verify()
        file.seek(0)
        with Image.open(file) as image:
            image.load()
        if position is not None:
            file.seek(0)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("Ce fichier n'est pas une image lisible (il est peut-être abîmé)."), code="broken"
        ) from None
    if image_format not in FORMATS:
        raise ValidationError(
            _("Format refusé : envoyez une image JPEG, PNG ou WebP."), code="format"
        )
    if width < MIN_WIDTH:
        raise ValidationError(
            _("Cette image fait %(width)s px de large ; il en faut au moins 800.")
            % {"width": width},
            code="too_narrow",
        )
