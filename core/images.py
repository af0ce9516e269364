"""The images we keep, made safe and light with Pillow (no Django here).

A photograph from a camera or a phone carries its GPS position, the device, the date, an
XMP packet, an ICC profile with comments… and that position can endanger the people in
it. Every file we keep is re-encoded from its pixels only: :func:`image_clean` turns it
the right way up (EXIF orientation), brings CMYK, 16-bit, palette and colour-managed
images to 8-bit sRGB, and returns an image with no metadata at all; :func:`image_encode`
writes it without any.

Pillow directly rather than an image library: the maintained ones (easy-thumbnails,
sorl-thumbnail, django-imagekit) make thumbnails on the request path or through their
own Celery/RQ hooks, none cleans the original, and none crops around a focal point we
store; Pillow 13 (already a dependency) encodes AVIF and WebP itself.
"""

import io

from PIL import Image, ImageCms, ImageOps

# Formats we keep an original in (the upload's own), and the quality we re-encode it at.
ORIGINAL_QUALITY = 90
# Renditions: AVIF first (a third of the JPEG's weight), JPEG for older browsers.
RENDITION_QUALITY = {"AVIF": 55, "WEBP": 78, "JPEG": 80}
MIME_TYPES = {"AVIF": "image/avif", "WEBP": "image/webp", "JPEG": "image/jpeg", "PNG": "image/png"}
EXTENSIONS = {"AVIF": "avif", "WEBP": "webp", "JPEG": "jpg", "PNG": "png"}


def image_open(data) -> Image.Image:
    """Open bytes or a file and decode it fully (so the source may be closed)."""
    source = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
    image = Image.open(source)
    image.load()
    return image


def _to_srgb(image: Image.Image) -> Image.Image:
    """Apply an embedded ICC profile (CMYK from print, Adobe RGB, Display P3) to reach sRGB."""
    profile = image.info.get("icc_profile")
    if not profile or image.mode not in ("RGB", "RGBA", "CMYK", "L"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        target = ImageCms.createProfile("sRGB")
        mode = "RGBA" if image.mode == "RGBA" else "RGB"
        return ImageCms.profileToProfile(image, source, target, outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # a broken profile: the plain conversion below does well enough


def _to_8_bit(image: Image.Image) -> Image.Image:
    """16-bit and 32-bit greyscale scaled down to 8 bits (a plain convert would clip)."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I;16N"):
        return image.convert("I").point(lambda value: value / 256).convert("L")
    if image.mode == "I":
        low, high = image.getextrema()
        scale = 1 / 256 if high > 255 else 1
        return image.point(lambda value: value * scale).convert("L")
    if image.mode == "F":
        return image.convert("L")
    return image


def image_clean(image: Image.Image) -> Image.Image:
    """The pixels only: upright, 8-bit, sRGB (RGB, RGBA or L), and no metadata at all."""
    image = ImageOps.exif_transpose(image) or image
    image = _to_srgb(image)
    image = _to_8_bit(image)
    if image.mode == "P" or image.mode == "PA":
        has_alpha = image.mode == "PA" or "transparency" in image.info
        image = image.convert("RGBA" if has_alpha else "RGB")
    elif image.mode == "LA":
        image = image.convert("RGBA")
    elif image.mode == "1":
        image = image.convert("L")
    elif image.mode not in ("RGB", "RGBA", "L"):
        image = image.convert("RGB")  # CMYK without a profile, YCbCr, LAB…
    # A new image from the pixels alone: nothing of the source's info (EXIF, XMP, ICC,
    # comments, DPI…) or its cached EXIF object can reach an encoder.
    bare = Image.new(image.mode, image.size)
    bare.paste(image)
    return bare


def image_encode(image: Image.Image, image_format: str, quality: int | None = None) -> bytes:
    """Write ``image`` as AVIF, WebP, JPEG or PNG, with no metadata.

    JPEG has no transparency: a transparent image is laid on white first.
    """
    if image_format == "JPEG" and image.mode not in ("RGB", "L"):
        flat = Image.new("RGB", image.size, (255, 255, 255))
        flat.paste(image, mask=image.getchannel("A") if "A" in image.mode else None)
        image = flat
    if image_format in ("AVIF", "WEBP") and image.mode == "L":
        image = image.convert("RGB")
    buffer = io.BytesIO()
    options = {}
    if image_format == "JPEG":
        options = {
            "quality": quality or RENDITION_QUALITY["JPEG"],
            "optimize": True,
            "progressive": True,
        }
    elif image_format == "AVIF":
        options = {"quality": quality or RENDITION_QUALITY["AVIF"], "speed": 6}
    elif image_format == "WEBP":
        options = {"quality": quality or RENDITION_QUALITY["WEBP"], "method": 4}
    elif image_format == "PNG":
        options = {"optimize": True}
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def original_clean(data) -> tuple[bytes, str]:
    """An upload made safe to keep: ``(bytes, format)``, in its own format (JPEG, PNG or
    WebP; anything else becomes JPEG), cleaned as :func:`image_clean` says."""
    image = image_open(data)
    image_format = image.format if image.format in ("JPEG", "PNG", "WEBP") else "JPEG"
    cleaned = image_clean(image)
    quality = None if image_format == "PNG" else ORIGINAL_QUALITY
    return image_encode(cleaned, image_format, quality), image_format


# What a decoder reports about a file we wrote ourselves: format details, never metadata.
_HARMLESS_INFO = {
    "jfif",
    "jfif_version",
    "jfif_unit",
    "jfif_density",
    "dpi",
    "progressive",
    "progression",
    "adobe",
    "adobe_transform",
    "gamma",
    "srgb",
    "aspect",
    "transparency",
    "background",
    "loop",
    "duration",
    "timestamp",
}


def is_clean(data: bytes) -> bool:
    """Whether stored bytes carry no metadata and need no turning or converting."""
    image = image_open(data)
    return (
        not len(image.getexif())
        and not set(image.info) - _HARMLESS_INFO
        and image.mode in ("RGB", "RGBA", "L")
    )


def crop_box(
    width: int, height: int, ratio: tuple[int, int], focal_x: float, focal_y: float
) -> tuple[int, int, int, int]:
    """The largest box of ``ratio`` (w, h) inside the image, centred on the focal point
    (fractions 0–1 of the width and height) as far as the edges allow."""
    target = ratio[0] / ratio[1]
    if width / height > target:
        crop_width, crop_height = max(1, round(height * target)), height
    else:
        crop_width, crop_height = width, max(1, round(width / target))
    left = round(focal_x * width - crop_width / 2)
    top = round(focal_y * height - crop_height / 2)
    left = min(max(left, 0), width - crop_width)
    top = min(max(top, 0), height - crop_height)
    return left, top, left + crop_width, top + crop_height


def rendition_widths(crop_width: int, widths: tuple[int, ...]) -> list[int]:
    """The widths to make for a crop this wide: never larger than the crop itself."""
    fitting = [width for width in widths if width <= crop_width]
    return fitting or [crop_width]


def image_resize(image: Image.Image, width: int) -> Image.Image:
    height = max(1, round(image.height * width / image.width))
    if (width, height) == image.size:
        return image
    return image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
