"""Photographs: cleaned when kept, and their renditions made once, off the request path.

- :class:`CleanImageField` cleans every file it stores (``core.images.original_clean``):
  upright, 8-bit sRGB, no EXIF, XMP, GPS, ICC or comment, whoever stores it (the admin,
  the demo, a task).
- A field given :class:`Renditions` has, after each save that changes the photo or its
  focal point, a task queued (:func:`photo_renditions_make`) that crops the photo around
  its focal point for each named ratio and writes it 400, 800, 1 200 and 1 600 px wide
  (never wider than the crop), in AVIF and JPEG. What was made is recorded in a JSON field
  (the *manifest*); pages read it, never the disk. Until the first set is ready, pages show
  the cleaned original (CSS crops it to the same ratio); while a new set is made, the
  previous one stays in use. Sets are kept (never deleted on change), so a version
  restored from the history finds its images again.
"""

import hashlib
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.apps import apps
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models.fields.files import ImageFieldFile
from django.db.models.signals import post_save
from django.dispatch import Signal
from django_tasks import task

from core import images
from core.tasks import enqueue_on_commit

WIDTHS = (400, 800, 1200, 1600)
FORMATS = ("AVIF", "JPEG")
# Bump to make every rendition again (new widths, formats or quality).
VERSION = "1"
FOLDER = "renditions"

# Sent (sender=the model) once a photo's renditions are stored, after the commit: apps
# clear the cached pages that show it.
renditions_ready = Signal()


@dataclass(frozen=True)
class Renditions:
    """Which crops a photo field gets, and where its focal point and manifest are kept.

    ``crops``: ``(("card", (4, 3)), …)``; ``focal``: the names of two fields holding the
    focal point in percent of the width and the height; ``manifest``: a JSON field.
    """

    crops: tuple[tuple[str, tuple[int, int]], ...]
    focal: tuple[str, str]
    manifest: str

    def focal_point(self, instance) -> tuple[float, float]:
        x, y = (getattr(instance, name) for name in self.focal)
        return _fraction(x), _fraction(y)

    def key(self, instance, file) -> str:
        """Changes when the photo, its focal point, the crops or :data:`VERSION` change."""
        x, y = self.focal_point(instance)
        text = f"{VERSION}|{file.name}|{x:.2f}|{y:.2f}|{self.crops}"
        return hashlib.sha256(text.encode()).hexdigest()[:12]


def _fraction(percent) -> float:
    try:
        value = float(percent)
    except (TypeError, ValueError):
        return 0.5
    return min(max(value, 0.0), 100.0) / 100


_EXTENSIONS_OF = {"JPEG": {"jpg", "jpeg"}, "PNG": {"png"}, "WEBP": {"webp"}}


class CleanImageFieldFile(ImageFieldFile):
    def save(self, name, content, save=True):
        if hasattr(content, "seek"):
            content.seek(0)
        data, image_format = images.original_clean(content.read())
        path = PurePosixPath(name)
        if path.suffix.lower().lstrip(".") not in _EXTENSIONS_OF[image_format]:
            name = str(path.with_suffix("." + images.EXTENSIONS[image_format]))
        super().save(name, ContentFile(data, name=name), save)


class CleanImageField(models.ImageField):
    """An ``ImageField`` whose stored files carry no metadata, optionally with renditions."""

    attr_class = CleanImageFieldFile

    def __init__(self, *args, renditions: Renditions | None = None, **kwargs):
        self.renditions = renditions
        super().__init__(*args, **kwargs)

    def contribute_to_class(self, cls, name, **kwargs):
        super().contribute_to_class(cls, name, **kwargs)
        if self.renditions is not None and not cls._meta.abstract:
            post_save.connect(
                _renditions_queue,
                sender=cls,
                weak=False,
                dispatch_uid=f"photo-renditions-{cls._meta.label}",
            )

    # ``renditions`` is left out of deconstruct(): it is no database matter, and a
    # migration's historical model must not queue tasks.


def _rendition_fields(model):
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, CleanImageField) and field.renditions is not None
    ]


def renditions_wanted(instance, field) -> bool:
    """Whether the manifest lags behind the photo or its focal point."""
    file = getattr(instance, field.attname)
    manifest = getattr(instance, field.renditions.manifest) or {}
    wanted = field.renditions.key(instance, file) if file else ""
    return manifest.get("key", "") != wanted


def _renditions_queue(sender, instance, raw=False, **kwargs):
    if raw:  # fixtures
        return
    for field in _rendition_fields(sender):
        if renditions_wanted(instance, field):
            enqueue_on_commit(photo_renditions_make, sender._meta.label, instance.pk, field.name)


def renditions_write(file, spec: Renditions, key: str, focal: tuple[float, float]) -> dict:
    """Crop, resize and encode every rendition of ``file``; return the manifest."""
    storage = file.storage
    with file.open("rb") as source:
        image = images.image_clean(images.image_open(source.read()))
    stem = PurePosixPath(file.name).stem[:40]
    app_folder = PurePosixPath(file.name).parts[0] if "/" in file.name else "photos"
    folder = f"{FOLDER}/{app_folder}/{stem}-{key}"
    crops = {}
    for crop_name, ratio in spec.crops:
        cropped = image.crop(images.crop_box(image.width, image.height, ratio, *focal))
        sources = {image_format.lower(): [] for image_format in FORMATS}
        for width in images.rendition_widths(cropped.width, WIDTHS):
            resized = images.image_resize(cropped, width)
            for image_format in FORMATS:
                name = f"{folder}/{crop_name}-{width}.{images.EXTENSIONS[image_format]}"
                if storage.exists(name):  # left by an interrupted run: same name, made again
                    storage.delete(name)
                saved = storage.save(name, ContentFile(images.image_encode(resized, image_format)))
                sources[image_format.lower()].append([resized.width, resized.height, saved])
        crops[crop_name] = sources
    return {"key": key, "crops": crops}


@task()
def photo_renditions_make(model_label: str, pk: int, field_name: str) -> str:
    """Make the renditions of one photo if its manifest lags; ``'made'`` or why not."""
    model = apps.get_model(model_label)
    field = model._meta.get_field(field_name)
    spec = field.renditions
    with transaction.atomic():
        # One worker at a time per row: a second task for the same photo waits, then finds
        # the manifest up to date.
        instance = model._default_manager.select_for_update().filter(pk=pk).first()
        if instance is None:
            return "gone"
        file = getattr(instance, field.attname)
        if not renditions_wanted(instance, field):
            return "up to date"
        if file and not file.storage.exists(file.name):
            return "missing"  # a database copied without its media: pages show the original
        if not file:
            manifest = {}
        else:
            key = spec.key(instance, file)
            manifest = renditions_write(file, spec, key, spec.focal_point(instance))
        model._default_manager.filter(pk=pk).update(**{spec.manifest: manifest})
    renditions_ready.send(sender=model, pk=pk)
    return "made"


# --- What templates print -----------------------------------------------------------


def _srcset(storage, entries) -> str:
    return ", ".join(f"{storage.url(name)} {width}w" for width, _height, name in entries)


def _fallback(entries, preferred=800):
    """The JPEG an old browser gets: the 800 px one, or the closest."""
    return min(entries, key=lambda entry: abs(entry[0] - preferred))


def picture_data(instance, field_name: str, crop: str, wide_crop: str = "") -> dict | None:
    """Sources and fallback of a ``<picture>`` for one photo and crop (``None`` without a
    photo). ``wide_crop``: another crop for wide screens (art direction)."""
    field = instance._meta.get_field(field_name)
    file = getattr(instance, field.attname)
    if not file:
        return None
    manifest = (getattr(instance, field.renditions.manifest) or {}) if field.renditions else {}
    crops = manifest.get("crops", {})
    if crop not in crops:
        # Pending: the cleaned original, its size for the width and height attributes.
        return {
            "pending": True,
            "sources": [],
            "src": file.url,
            "srcset": "",
            "width": getattr(instance, field.width_field, None) if field.width_field else None,
            "height": getattr(instance, field.height_field, None) if field.height_field else None,
        }
    storage = file.storage
    sources = []
    if wide_crop and wide_crop in crops:
        wide = crops[wide_crop]
        for image_format in FORMATS:
            entries = wide[image_format.lower()]
            sources.append(
                {
                    "media": "(min-width: 48rem)",
                    "type": images.MIME_TYPES[image_format],
                    "srcset": _srcset(storage, entries),
                    "width": entries[-1][0],
                    "height": entries[-1][1],
                }
            )
    narrow = crops[crop]
    avif = narrow["avif"]
    sources.append(
        {
            "media": "",
            "type": images.MIME_TYPES["AVIF"],
            "srcset": _srcset(storage, avif),
            "width": avif[-1][0],
            "height": avif[-1][1],
        }
    )
    jpeg = narrow["jpeg"]
    width, height, name = _fallback(jpeg)
    return {
        "pending": False,
        "sources": sources,
        "src": storage.url(name),
        "srcset": _srcset(storage, jpeg),
        "width": width,
        "height": height,
    }


def rendition_url(instance, field_name: str, crop: str, width: int = 400) -> str:
    """The JPEG rendition closest to ``width`` (the original while pending; '' without)."""
    data = picture_data(instance, field_name, crop)
    if data is None:
        return ""
    if data["pending"]:
        return data["src"]
    field = instance._meta.get_field(field_name)
    manifest = getattr(instance, field.renditions.manifest)
    entry = _fallback(manifest["crops"][crop]["jpeg"], width)
    return getattr(instance, field.attname).storage.url(entry[2])
