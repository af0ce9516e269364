"""Photographs of the victories: cleaned when kept, renditions made once off the request
path, crops around the focal point staff set, and uploads kept across a failed save."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image

from cases.models import Case, VictoryPage
from core.photos import photo_renditions_make, renditions_ready
from tests.cases.test_admin import ADD_URL, case_form
from tests.factories import CaseFactory, OutcomeEventFactory, camera_photo, metadata_found

pytestmark = pytest.mark.django_db


@pytest.fixture
def renditions_made():
    """Each set of renditions made, as (model, pk)."""
    made = []

    def receiver(sender, pk, **kwargs):
        made.append((sender._meta.label, pk))

    renditions_ready.connect(receiver)
    yield made
    renditions_ready.disconnect(receiver)


def _media_files():
    root = Path(settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file())


def test_no_file_kept_from_an_admin_upload_carries_exif_xmp_or_gps(
    editor_client, django_capture_on_commit_callbacks
):
    # A failed save first (no headline): the photo is kept for the next try.
    with django_capture_on_commit_callbacks(execute=True):
        refused = editor_client.post(
            ADD_URL,
            case_form(photo=camera_photo("refused.jpg"), photo_alt_fr="Portrait", headline_fr=""),
        )
    assert refused.status_code == 200 and not Case.objects.exists()
    # Then a saved one, and its renditions, made by the task queued on commit.
    with django_capture_on_commit_callbacks(execute=True):
        saved = editor_client.post(
            ADD_URL, case_form(photo=camera_photo("IMG_0001.jpg"), photo_alt_fr="Portrait")
        )
    assert saved.status_code == 302
    case = Case.objects.get()
    assert case.photo_renditions["crops"]["card"]["avif"]

    files = _media_files()
    kinds = {path.relative_to(settings.MEDIA_ROOT).parts[0] for path in files}
    assert kinds >= {"cases", "renditions", "uploads", "share"}
    assert {path.suffix for path in files} >= {".jpg", ".avif"}
    for path in files:
        assert metadata_found(path) == [], path


def test_renditions_are_made_once_at_four_widths_in_avif_and_jpeg(
    django_capture_on_commit_callbacks, renditions_made
):
    with django_capture_on_commit_callbacks(execute=True):
        case = CaseFactory(photo=camera_photo(size=(2400, 1600)), photo_alt_fr="Portrait")
    assert renditions_made == [("cases.Case", case.pk)]
    case.refresh_from_db()
    card = case.photo_renditions["crops"]["card"]
    assert [(w, h) for w, h, _name in card["avif"]] == [
        (400, 300),
        (800, 600),
        (1200, 900),
        (1600, 1200),
    ]
    assert [entry[:2] for entry in card["jpeg"]] == [entry[:2] for entry in card["avif"]]
    for _w, _h, name in card["avif"]:
        with Image.open(Path(settings.MEDIA_ROOT) / name) as image:
            assert image.format == "AVIF"
    # Saving again without changing the photo or its focal point queues nothing.
    with django_capture_on_commit_callbacks(execute=True):
        case.name = "Autre nom"
        case.save()
    assert renditions_made == [("cases.Case", case.pk)]
    assert photo_renditions_make.call("cases.Case", case.pk, "photo") == "up to date"


def test_the_page_prints_a_picture_with_srcset_sizes_width_and_height(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = CaseFactory(photo=camera_photo(), photo_alt_fr="Portrait de Taner")
        OutcomeEventFactory(case=case)
    html = client.get(case.get_absolute_url()).content.decode()
    picture = re.search(r"<picture>.*?</picture>", html, re.S).group(0)
    assert re.search(
        r'<source type="image/avif" srcset="/media/renditions/cases/[^ ]+/card-400\.avif 400w, '
        r'[^ ]+ 800w, [^ ]+ 1200w, [^ ]+ 1600w" sizes="\(min-width: 74rem\) 29rem, '
        r'[^"]+" width="1600" height="1200">',
        picture,
    )
    assert re.search(
        r'<img src="/media/renditions/cases/[^"]+/card-800\.jpg" width="800" height="600" '
        r'alt="Portrait de Taner" srcset="[^"]+card-400\.jpg 400w, [^"]+ 1600w" sizes="[^"]+" '
        r'fetchpriority="high" decoding="async">',
        picture,
    )
    # On the list, below the fold, the same picture loads lazily.
    listing = client.get("/victoires/").content.decode()
    assert re.search(r'<img src="/media/renditions/[^>]+ loading="lazy"', listing)


def test_while_renditions_are_pending_the_page_shows_the_cleaned_original(client):
    case = CaseFactory(photo=camera_photo(), photo_alt_fr="Portrait")  # no commit: no task
    OutcomeEventFactory(case=case)
    html = client.get(case.get_absolute_url()).content.decode()
    assert re.search(
        r'<picture><img src="/media/cases/IMG_0001[^"]*\.jpg" width="1600" height="1200" '
        r'alt="Portrait" fetchpriority="high"',
        html,
    )


def test_a_new_focal_point_makes_new_crops_that_keep_it(
    django_capture_on_commit_callbacks, renditions_made
):
    with django_capture_on_commit_callbacks(execute=True):
        # A wide photo: red on its left quarter, blue elsewhere.
        case = CaseFactory(photo=camera_photo(size=(3200, 1200)), photo_alt_fr="Portrait")
    case.refresh_from_db()
    first = case.photo_renditions["key"]
    with django_capture_on_commit_callbacks(execute=True):
        case.photo_focal_x = 0  # the face is on the far left
        case.save()
    assert len(renditions_made) == 2
    case.refresh_from_db()
    assert case.photo_renditions["key"] != first
    _w, _h, name = case.photo_renditions["crops"]["card"]["jpeg"][0]
    with Image.open(Path(settings.MEDIA_ROOT) / name) as image:
        red, _g, blue = image.convert("RGB").getpixel((20, 150))
    assert red > 150 and blue < 100  # the crop starts at the left edge, in the red


def test_the_hero_gets_a_band_for_wide_screens_and_a_16_9_frame_for_phones(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        VictoryPage.objects.create(
            title_fr="Ces victoires",
            intro_fr="Merci.",
            hero_image=camera_photo("hero.jpg", size=(2000, 1500)),
            hero_alt_fr="Une foule",
        )
    html = client.get("/victoires/").content.decode()
    assert re.search(
        r'<source media="\(min-width: 48rem\)" type="image/avif" srcset="[^"]+banner-400\.avif '
        r'400w[^"]*" sizes="100vw" width="1600" height="400">',
        html,
    )
    assert re.search(
        r'<img class="victories-hero__img" src="[^"]+/wide-800\.jpg" width="800" height="450" '
        r'alt="Une foule" srcset="[^"]+" sizes="100vw" fetchpriority="high"',
        html,
    )


def test_an_upload_refused_with_its_form_is_kept_shown_again_and_saved_next_time(
    editor_client,
):
    refused = editor_client.post(
        ADD_URL,
        case_form(photo=camera_photo("portrait.jpg"), photo_alt_fr="Portrait", headline_fr=""),
    )
    html = refused.content.decode()
    assert refused.status_code == 200 and not Case.objects.exists()
    assert (
        "Photo reçue et gardée\u00a0: portrait.jpg. Inutile de la choisir à nouveau\u00a0: "
        "corrigez les erreurs signalées puis enregistrez." in html
    )
    token = re.search(r'name="photo_kept" value="([^"]+)"', html).group(1)
    # The preview shows the kept file, which exists: never a broken image.
    preview = re.search(r'<div class="focal-picker"[^>]*><img src="/media/([^"]+)"', html).group(1)
    assert preview.startswith("uploads/kept/")
    assert (Path(settings.MEDIA_ROOT) / preview).is_file()

    # The editor fixes the headline and saves, without choosing the photo again.
    saved = editor_client.post(ADD_URL, case_form(photo_alt_fr="Portrait", photo_kept=token))
    assert saved.status_code == 302
    case = Case.objects.get()
    assert case.photo.name.startswith("cases/portrait")
    assert (case.photo_width, case.photo_height) == (1600, 1200)


def test_a_forged_kept_token_is_ignored(editor_client):
    response = editor_client.post(
        ADD_URL, case_form(photo_alt_fr="Portrait", photo_kept="../../etc/passwd:forged")
    )
    assert response.status_code == 302
    assert not Case.objects.get().photo


def test_a_refused_photo_is_not_kept(editor_client):
    response = editor_client.post(
        ADD_URL, case_form(photo=camera_photo(size=(600, 400)), photo_alt_fr="Portrait")
    )
    assert response.status_code == 200
    assert 'name="photo_kept"' not in response.content.decode()
    assert not (Path(settings.MEDIA_ROOT) / "uploads").exists()


def test_staff_set_the_focal_point_with_two_numbers_and_see_it_on_the_preview(staff_client):
    case = CaseFactory(photo=camera_photo(), photo_alt_fr="Portrait", photo_focal_x=25)
    OutcomeEventFactory(case=case)
    html = staff_client.get(f"/admin/cases/case/{case.pk}/change/").content.decode()
    assert 'name="photo_focal_x" value="25"' in html
    assert '<label for="id_photo_focal_x">Point à garder\u00a0: de gauche à droite (%)' in html
    assert '<circle class="focal-picker__point" cx="400" cy="600"' in html
    # The 4:3 crop of a 4:3 photo is the whole photo.
    assert 'data-ratio="4 3" x="0" y="0" width="1600" height="1200"' in html
    assert "style=" not in re.search(r'<div class="focal-picker".*?</div>', html, re.S).group(0)


def test_a_focal_point_above_100_gets_a_french_message(editor_client):
    response = editor_client.post(ADD_URL, case_form(photo_focal_x="150"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["photo_focal_x"] == ["Donnez un nombre de 0 (bord gauche) à 100 (bord droit)."]


def test_kept_uploads_are_removed_after_a_day(editor_client):
    import os
    import time

    from django.core.management import call_command

    editor_client.post(
        ADD_URL, case_form(photo=camera_photo(), photo_alt_fr="Portrait", headline_fr="")
    )
    (kept,) = (Path(settings.MEDIA_ROOT) / "uploads" / "kept").iterdir()
    call_command("purge_kept_uploads")
    assert kept.exists()  # an hour old at most: the editor may still be at it
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(kept, (two_days_ago, two_days_ago))
    call_command("purge_kept_uploads")
    assert not kept.exists()


def test_photos_stored_before_the_cleaning_are_cleaned_and_rendered_by_a_command():
    from django.core.files.base import ContentFile
    from django.core.management import call_command

    case = CaseFactory(photo_alt_fr="Portrait")
    raw = camera_photo(size=(1600, 1200), orientation=6).read()
    # As an older version stored it: the camera's bytes, metadata and all.
    name = case.photo.storage.save("cases/old.jpg", ContentFile(raw))
    Case.objects.filter(pk=case.pk).update(photo=name, photo_width=1600, photo_height=1200)
    path = Path(settings.MEDIA_ROOT) / name
    assert metadata_found(path)

    call_command("photos_refresh", "--now")
    case.refresh_from_db()
    assert metadata_found(path) == []
    assert (case.photo_width, case.photo_height) == (1200, 1600)  # turned upright
    assert case.photo_renditions["crops"]["card"]["jpeg"]
    before = path.read_bytes()
    call_command("photos_refresh", "--now")  # a second run changes nothing
    assert path.read_bytes() == before


def test_an_upload_is_kept_when_only_an_inline_refuses_the_save(editor_client):
    refused = editor_client.post(
        ADD_URL,
        case_form(
            photo=camera_photo("portrait.jpg"),
            photo_alt_fr="Portrait",
            **{"figures-1-count": "3000000"},  # France above the world: the figure is refused
        ),
    )
    html = refused.content.decode()
    assert refused.status_code == 200 and not Case.objects.exists()
    token = re.search(r'name="photo_kept" value="([^"]+)"', html).group(1)
    preview = re.search(r'<div class="focal-picker"[^>]*><img src="/media/([^"]+)"', html).group(1)
    assert (Path(settings.MEDIA_ROOT) / preview).is_file()
    saved = editor_client.post(ADD_URL, case_form(photo_alt_fr="Portrait", photo_kept=token))
    assert saved.status_code == 302
    assert Case.objects.get().photo.name.startswith("cases/portrait")
