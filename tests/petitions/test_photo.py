"""The petition photo: checked on upload, described in each language, sized on the page."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.factories import PetitionFactory

pytestmark = pytest.mark.django_db


def image_file(name="photo.jpg", size=(1200, 900), image_format="JPEG"):
    buffer = io.BytesIO()
    Image.new("RGB", size, "#b3001b").save(buffer, image_format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{image_format.lower()}")


def errors_of(petition):
    with pytest.raises(ValidationError) as error:
        petition.full_clean()
    return error.value.message_dict


def test_a_photo_needs_its_french_description():
    petition = PetitionFactory.build(photo=image_file(), photo_alt_fr="")
    assert errors_of(petition) == {
        "photo_alt_fr": ["Décrivez la photo\u00a0: le texte alternatif est obligatoire."]
    }


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            image_file(size=(640, 480)),
            "Cette image fait 640 px de large\u00a0; il en faut au moins 800.",
        ),
        (
            image_file("photo.gif", image_format="GIF"),
            "Format refusé\u00a0: envoyez une image JPEG, PNG ou WebP.",
        ),
        (
            SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff\xe0 not really", "image/jpeg"),
            "Ce fichier n’est pas une image lisible (il est peut-être abîmé).",
        ),
    ],
)
def test_a_narrow_foreign_or_broken_photo_is_refused_in_french(upload, message):
    petition = PetitionFactory.build(photo=upload, photo_alt_fr="Une manifestation")
    assert message in errors_of(petition)["photo"]


def test_an_editor_uploads_a_photo_and_the_page_shows_it_sized_and_described(client):
    editor = get_user_model().objects.create_user("ed", password="x", is_staff=True)
    editor.groups.add(Group.objects.get(name="Éditeurs"))
    client.force_login(editor)
    petition = PetitionFactory(slug="ana")
    url = f"/admin/petitions/petition/{petition.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {
        key: value
        for key, value in form.initial.items()
        if value is not None and key not in ("photo", "case", "closes_at", "opens_at")
    }
    data.update(
        opens_at_0=petition.opens_at.strftime("%d/%m/%Y"),
        opens_at_1=petition.opens_at.strftime("%H:%M:%S"),
        photo=image_file(size=(640, 480)),
        photo_alt_fr="",
    )
    refused = client.post(url, data)
    assert refused.status_code == 200
    errors = refused.context["adminform"].form.errors
    assert errors["photo"] == ["Cette image fait 640 px de large\u00a0; il en faut au moins 800."]

    data.update(
        photo=image_file(size=(1200, 900)),
        photo_alt_fr="Des manifestantes tiennent une banderole.",
        photo_alt_en="Protesters hold a banner.",
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    petition.refresh_from_db()
    assert (petition.photo_width, petition.photo_height) == (1200, 900)

    html = client.get("/petitions/ana/").content.decode()
    assert (
        f'<img class="petition__photo" src="{petition.photo.url}" width="1200" height="900"'
        ' alt="Des manifestantes tiennent une banderole." fetchpriority="high" decoding="async">'
    ) in html
    english = client.get("/en/petitions/ana/").content.decode()
    assert 'alt="Protesters hold a banner."' in english


def test_a_stored_photo_is_not_read_again_when_a_service_saves_even_if_the_file_is_gone(
    django_capture_on_commit_callbacks,
):
    from petitions.models import Petition
    from petitions.services import petition_mark_won

    petition = PetitionFactory(photo=image_file(), photo_alt_fr="Une manifestation")
    petition.photo.storage.delete(petition.photo.name)  # a database copied without its media
    petition = Petition.objects.get()
    petition.full_clean()
    with django_capture_on_commit_callbacks(execute=True):
        petition_mark_won(petition=petition)
    assert Petition.objects.get().status == "won"


def test_the_petition_page_shows_the_4_3_renditions_once_made(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        PetitionFactory(slug="ana", photo=image_file(size=(1600, 900)), photo_alt_fr="Manif")
    html = client.get("/petitions/ana/").content.decode()
    assert '<source type="image/avif" srcset="/media/renditions/petitions/' in html
    assert 'card-1200.avif 1200w" sizes="(min-width: 74rem) 40rem' in html
    assert 'width="1200" height="900">' in html  # 4:3 from a 16:9 photo, never upscaled
