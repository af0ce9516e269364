"""core.images: what we keep is upright, 8-bit sRGB, and carries no metadata."""

import io

import pytest
from PIL import Image, ImageCms

from core import images
from tests.factories import camera_photo


def _reopen(data):
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP"])
def test_a_cleaned_original_keeps_its_format_and_loses_gps_exif_xmp_icc_and_comment(
    image_format,
):
    data, kept_format = images.original_clean(camera_photo(image_format=image_format).read())
    assert kept_format == image_format
    cleaned = _reopen(data)
    assert len(cleaned.getexif()) == 0
    assert not {"exif", "xmp", "icc_profile", "comment"} & set(cleaned.info)
    for marker in (b"Exif", b"xmpmeta", b"PhoneMaker", b"secret"):
        assert marker not in data


@pytest.mark.parametrize("image_format", ["AVIF", "WEBP", "JPEG", "PNG"])
def test_an_encoded_image_carries_no_metadata_even_when_its_source_did(image_format):
    source = images.image_open(camera_photo().read())
    assert source.info.get("exif")  # the source has some
    data = images.image_encode(images.image_clean(source), image_format)
    assert not {"exif", "xmp", "icc_profile"} & set(_reopen(data).info)
    assert b"PhoneMaker" not in data and b"xmpmeta" not in data


def test_the_exif_orientation_is_applied():
    # Orientation 6: the camera was turned; the left (red) quarter becomes the top.
    data, _format = images.original_clean(camera_photo(size=(1600, 1200), orientation=6).read())
    upright = _reopen(data).convert("RGB")
    assert upright.size == (1200, 1600)
    red, _g, blue = upright.getpixel((600, 100))
    assert red > 150 and blue < 100
    red, _g, blue = upright.getpixel((600, 1500))
    assert blue > 120 and red < 60


def test_cmyk_becomes_rgb_with_its_colours():
    data, image_format = images.original_clean(camera_photo(mode="CMYK").read())
    cleaned = _reopen(data)
    assert (image_format, cleaned.mode) == ("JPEG", "RGB")
    red, _g, blue = cleaned.getpixel((1500, 600))
    assert blue > red


def test_a_cmyk_photo_with_a_print_profile_is_brought_to_srgb():
    image = Image.new("CMYK", (900, 600), (0, 0, 0, 0))  # no ink: white paper
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
    cleaned = images.image_clean(_with_info(image, icc_profile=profile.tobytes()))
    assert cleaned.mode == "RGB" and not cleaned.info
    assert min(cleaned.getpixel((10, 10))) > 240


def _with_info(image, **info):
    image.info.update(info)
    return image


def test_a_16_bit_greyscale_png_is_scaled_to_8_bits_not_clipped_to_white():
    grey = Image.new("I;16", (1000, 800), 32768)  # mid-grey in 16 bits
    buffer = io.BytesIO()
    grey.save(buffer, "PNG")
    data, image_format = images.original_clean(buffer.getvalue())
    cleaned = _reopen(data)
    assert (image_format, cleaned.mode) == ("PNG", "L")
    assert 120 <= cleaned.getpixel((10, 10)) <= 135


def test_a_transparent_image_is_laid_on_white_for_jpeg():
    image = Image.new("RGBA", (800, 600), (0, 0, 0, 0))
    data = images.image_encode(image, "JPEG")
    assert min(_reopen(data).getpixel((5, 5))) > 245


@pytest.mark.parametrize(
    ("size", "ratio", "focal", "box"),
    [
        ((1600, 1200), (4, 3), (0.5, 0.5), (0, 0, 1600, 1200)),
        # A wide photo cropped to 4:3 around a face right of the middle.
        ((2400, 1200), (4, 3), (0.6, 0.5), (640, 0, 2240, 1200)),
        # Further right, the crop stops at the right edge.
        ((2400, 1200), (4, 3), (0.8, 0.5), (800, 0, 2400, 1200)),
        # The face at the far left edge: the crop stops at the edge.
        ((2400, 1200), (4, 3), (0.0, 0.5), (0, 0, 1600, 1200)),
        # A band 4:1 across a 4:3 photo, around a face near the top.
        ((1600, 1200), (4, 1), (0.5, 0.2), (0, 40, 1600, 440)),
        ((1600, 1200), (4, 1), (0.5, 1.0), (0, 800, 1600, 1200)),
    ],
)
def test_a_crop_keeps_the_focal_point_as_centred_as_the_edges_allow(size, ratio, focal, box):
    assert images.crop_box(*size, ratio, *focal) == box


def test_a_crop_always_contains_its_focal_point():
    for fx in (0, 0.1, 0.33, 0.5, 0.9, 1):
        for fy in (0, 0.25, 0.7, 1):
            left, top, right, bottom = images.crop_box(3000, 2000, (16, 9), fx, fy)
            assert left <= fx * 3000 <= right and top <= fy * 2000 <= bottom
            assert round((right - left) / (bottom - top), 2) == round(16 / 9, 2)


def test_renditions_are_never_wider_than_their_crop():
    assert images.rendition_widths(1600, (400, 800, 1200, 1600)) == [400, 800, 1200, 1600]
    assert images.rendition_widths(1000, (400, 800, 1200, 1600)) == [400, 800]
    assert images.rendition_widths(300, (400, 800, 1200, 1600)) == [300]


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP"])
def test_a_file_we_wrote_is_clean_and_a_camera_file_is_not(image_format):
    upload = camera_photo(image_format=image_format).read()
    assert not images.is_clean(upload)
    assert images.is_clean(images.original_clean(upload)[0])
