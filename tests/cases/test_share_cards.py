"""A share card per victory: 1 200 × 630 in the brand, og:image, redrawn when the case
changes, off the request path."""

import re
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image

from cases.models import Case
from cases.tasks import share_card_make
from tests.factories import (
    CaseFactory,
    MobilisationFigureFactory,
    OutcomeEventFactory,
    camera_photo,
    metadata_found,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def skotchilenko_card(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = CaseFactory(
            name="Alexandra Skotchilenko",
            slug="alexandra-skotchilenko",
            gender="female",
            country="RU",
            photo=camera_photo(),
            photo_alt_fr="Portrait",
        )
        OutcomeEventFactory(case=case, kind="pardoned", date=date(2024, 8, 1))
        OutcomeEventFactory(case=case, kind="released", date=date(2024, 8, 1))
        MobilisationFigureFactory(case=case, scope="world", count=594_400, qualifier="more_than")
    case.refresh_from_db()
    return case


def test_each_language_gets_a_1200_by_630_jpeg_card_without_metadata(skotchilenko_card):
    card = skotchilenko_card.share_card
    for language in ("fr", "en"):
        path = Path(settings.MEDIA_ROOT) / card[language]
        assert card[language].startswith("share/alexandra-skotchilenko-")
        with Image.open(path) as image:
            assert (image.format, image.size) == ("JPEG", (1200, 630))
        assert metadata_found(path) == []
    assert card["alt_fr"] == (
        "Alexandra Skotchilenko, Russie\u00a0: graciée et libérée. "
        "Plus de 594\u00a0400 signatures à travers le monde."
    )
    assert card["alt_en"] == (
        "Alexandra Skotchilenko, Russia: pardoned and released. "
        "More than 594,400 signatures around the world."
    )


def test_the_card_is_the_pages_og_image_with_its_size_and_alt_text(client, skotchilenko_card):
    html = client.get("/victoires/alexandra-skotchilenko/").content.decode()
    assert re.search(
        r'<meta property="og:image" content="http://testserver/media/share/'
        r'alexandra-skotchilenko-[0-9a-f]{12}-fr\.jpg">',
        html,
    )
    assert '<meta property="og:image:width" content="1200">' in html
    assert '<meta property="og:image:height" content="630">' in html
    assert (
        '<meta property="og:image:alt" content="Alexandra Skotchilenko, Russie\u00a0: graciée et '
        'libérée. Plus de 594\u00a0400 signatures à travers le monde.">'
    ) in html
    english = client.get("/en/victories/alexandra-skotchilenko/").content.decode()
    assert re.search(r'<meta property="og:image" content="[^"]+-en\.jpg">', english)


def test_the_card_is_redrawn_when_what_it_shows_changes(
    skotchilenko_card, django_capture_on_commit_callbacks
):
    first = skotchilenko_card.share_card
    # Nothing it shows changed: the task leaves it.
    with django_capture_on_commit_callbacks(execute=True):
        skotchilenko_card.position = 3
        skotchilenko_card.save()
    assert Case.objects.get().share_card == first
    # The figure changes: a new card, under a new name.
    with django_capture_on_commit_callbacks(execute=True):
        figure = skotchilenko_card.figures.get()
        figure.count = 600_000
        figure.save()
    second = Case.objects.get().share_card
    assert second["key"] != first["key"] and second["fr"] != first["fr"]
    assert "600\u00a0000" in second["alt_fr"]
    with (
        Image.open(Path(settings.MEDIA_ROOT) / second["fr"]) as new,
        Image.open(Path(settings.MEDIA_ROOT) / first["fr"]) as old,
    ):
        assert new.tobytes() != old.tobytes()


def test_a_card_is_drawn_once_per_change_whatever_the_number_of_tasks(skotchilenko_card):
    assert share_card_make.call(skotchilenko_card.pk) == "up to date"
    assert share_card_make.call(999_999) == "gone"


def test_until_the_card_is_drawn_the_page_shares_the_photo(client):
    CaseFactory(slug="sans-carte", photo=camera_photo(), photo_alt_fr="Portrait")  # no commit
    html = client.get("/victoires/sans-carte/").content.decode()
    assert re.search(r'<meta property="og:image" content="http://testserver/media/cases/', html)
    assert '<meta property="og:image:width" content="1600">' in html


def test_a_command_draws_the_cards_cases_lack_and_leaves_the_others(skotchilenko_card):
    import io

    from django.core.management import call_command

    other = CaseFactory()  # saved without a commit: no card yet
    out = io.StringIO()
    call_command("share_cards", "--now", stdout=out)
    assert out.getvalue().strip() == "made: 1, up to date: 1"
    assert Case.objects.get(pk=other.pk).share_card["fr"].startswith("share/")


def test_media_on_another_host_keep_their_own_address_in_og_image(
    client, settings, skotchilenko_card
):
    settings.MEDIA_URL = "https://media.example/"  # a CDN or a bucket's public domain
    html = client.get("/victoires/alexandra-skotchilenko/").content.decode()
    assert '<meta property="og:image" content="https://media.example/share/' in html
