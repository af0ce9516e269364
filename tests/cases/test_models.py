"""Bad input gets a clear French message on its field and saves nothing."""

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from cases.models import Case, MobilisationFigure, OutcomeEvent
from core.validators import validate_photo
from tests.cases.conftest import image_file
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def test_an_outcome_before_the_arrest_is_refused_on_its_date():
    case = CaseFactory(arrest_date=date(2017, 6, 6))
    event = OutcomeEvent(case=case, kind="released", date=date(2016, 1, 1))
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert error.value.message_dict["date"] == [
        "Cette date précède la date d’arrestation\u00a0: vérifiez-la."
    ]


def test_an_outcome_in_the_month_of_an_arrest_known_to_the_month_is_accepted():
    case = CaseFactory(arrest_date=date(2018, 1, 1), arrest_date_precision="month")
    OutcomeEvent(
        case=case, kind="released", date=date(2018, 1, 1), date_precision="year"
    ).full_clean()


@pytest.mark.parametrize("count", [0, -5])
def test_a_count_of_zero_or_less_is_refused(count):
    figure = MobilisationFigure(case=CaseFactory(), scope="world", count=count)
    with pytest.raises(ValidationError) as error:
        figure.full_clean()
    assert "count" in error.value.message_dict


def test_a_zero_count_is_refused_by_the_database_too():
    from django.db import IntegrityError, transaction

    case = CaseFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        MobilisationFigure.objects.create(case=case, scope="world", count=0)


def test_a_france_count_above_the_world_count_is_refused_by_the_service():
    from cases.services import case_upsert

    with pytest.raises(ValidationError):
        case_upsert(
            slug="x-y",
            fields={"name": "X Y", "country": "FR", "headline_fr": "h", "story_fr": "s"},
            events=[],
            figures=[
                {"scope": "world", "count": 10, "qualifier": "exact", "unit": "signatures"},
                {"scope": "france", "count": 11, "qualifier": "exact", "unit": "signatures"},
            ],
        )
    assert not Case.objects.exists()


def test_an_other_outcome_needs_a_label():
    event = OutcomeEvent(case=CaseFactory(), kind="other", date=date(2020, 1, 1))
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "label_fr" in error.value.message_dict


def test_the_slug_is_computed_from_the_name_when_left_empty():
    case = CaseFactory(name="Taner Kılıç", slug="")
    assert case.slug == "taner-kilic"


def test_a_photo_needs_its_alternative_text():
    case = CaseFactory.build(photo=image_file(), photo_alt_fr="")
    with pytest.raises(ValidationError) as error:
        case.full_clean()
    assert "photo_alt_fr" in error.value.message_dict


def test_english_falls_back_to_french_when_missing():
    case = CaseFactory(headline_fr="Une militante libérée", headline_en="")
    with translation.override("en"):
        assert Case.objects.get(pk=case.pk).headline == "Une militante libérée"
    assert case.lacks_english


def test_the_quote_is_attributed_to_the_person_by_default():
    case = CaseFactory(name="Germain Rukuki")
    assert case.attribution == "Germain Rukuki"
    case.quote_attribution = "Sa fille"
    assert case.attribution == "Sa fille"


# --- Photos ---------------------------------------------------------------------------


def test_a_jpeg_png_or_webp_photo_wide_enough_is_accepted():
    for fmt in ("JPEG", "PNG", "WEBP"):
        validate_photo(image_file(f"p.{fmt.lower()}", image_format=fmt))


def test_a_gif_is_refused_with_a_french_message():
    with pytest.raises(ValidationError) as error:
        validate_photo(image_file("p.gif", image_format="GIF"))
    assert error.value.messages == ["Format refusé\u00a0: envoyez une image JPEG, PNG ou WebP."]


def test_a_photo_under_800_pixels_wide_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_photo(image_file(size=(799, 600)))
    assert error.value.messages == [
        "Cette image fait 799 px de large\u00a0; il en faut au moins 800."
    ]


def test_a_photo_over_10_megabytes_is_refused():
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (10 * 1024 * 1024 + 1))
    with pytest.raises(ValidationError) as error:
        validate_photo(big)
    assert error.value.messages == [
        "Cette image pèse plus de 10 Mo\u00a0: réduisez-la avant de l’envoyer."
    ]


def test_a_broken_image_is_refused_without_a_crash():
    good = image_file().read()
    broken = SimpleUploadedFile("broken.jpg", good[: len(good) // 2])
    with pytest.raises(ValidationError) as error:
        validate_photo(broken)
    assert error.value.messages == [
        "Ce fichier n’est pas une image lisible (il est peut-être abîmé)."
    ]
    with pytest.raises(ValidationError):
        validate_photo(SimpleUploadedFile("x.png", io.BytesIO(b"not an image").getvalue()))


@pytest.mark.django_db
def test_a_stored_photo_goes_to_the_cases_folder_and_is_not_read_again_on_each_clean():
    case = CaseFactory(photo=image_file(), photo_alt_fr="Portrait")
    assert case.photo.name.startswith("cases/")
    assert (case.photo_width, case.photo_height) == (1200, 900)
    case.photo.storage.delete(case.photo.name)  # a database copied without its media
    case = Case.objects.get(pk=case.pk)
    case.full_clean()
