"""The demo content: nine victories, French and English, loading twice changes nothing."""

import io

import pytest
from django.contrib.auth import get_user_model

from cases import demo
from cases.models import Case, MobilisationFigure, OutcomeEvent, VictoryPage

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        list(Case.objects.order_by("pk").values_list("pk", "slug", "updated_at", "photo")),
        list(OutcomeEvent.objects.order_by("pk").values_list("pk", "updated_at")),
        list(MobilisationFigure.objects.order_by("pk").values_list("pk", "updated_at")),
        list(VictoryPage.objects.values_list("pk", "updated_at", "hero_image")),
    )


def test_loading_the_demo_twice_changes_nothing():
    demo.load(stdout=io.StringIO())
    first = _snapshot()
    demo.load(stdout=io.StringIO())
    assert _snapshot() == first
    assert len(first[0]) == 9


def test_the_demo_spells_rukuki_and_writes_both_languages(client):
    demo.load(stdout=io.StringIO())
    case = Case.objects.get(slug="germain-rukuki")
    assert case.name == "Germain Rukuki"
    assert "Rukiki" not in client.get("/victoires/").content.decode()
    assert all(c.headline_en and c.story_en and c.quote_en for c in Case.objects.all())
    # No demo photograph of a person: a drawn illustration, or the typographic card.
    assert not case.photo
    bernardo = Case.objects.get(slug="bernardo-caal-xol")
    assert (bernardo.photo_width, bernardo.photo_height) == (1600, 1200)
    assert bernardo.photo_credit == "Illustration de démonstration"


def test_the_demo_creates_the_editor_account_in_its_group():
    demo.load(stdout=io.StringIO())
    user = get_user_model().objects.get(username="editeur")
    assert user.is_staff and not user.is_superuser
    assert user.check_password("editeur-demo-2026")
    assert list(user.groups.values_list("name", flat=True)) == ["Éditeurs"]


def test_the_demo_page_totals_are_those_of_the_reference_page(client):
    demo.load(stdout=io.StringIO())
    html = client.get("/victoires/").content.decode()
    assert "9 personnes dans 9 pays, grâce à plus de 5\u00a0385\u00a0900 signatures." in html


def test_the_demo_is_fully_translated_and_its_images_say_they_are_illustrations(client):
    demo.load(stdout=io.StringIO())
    assert [c.name for c in Case.objects.all() if c.lacks_english] == []
    html = client.get("/victoires/").content.decode()
    assert "initiales" not in html and "Portrait" not in html
    assert html.count("©&nbsp;Illustration de démonstration") == 4  # the hero and three stories
    assert 'alt="Illustration de démonstration\u00a0: des bandes bleues' in html
    # Taner Kılıç has no image: his card sets the outcome large, with his name and country.
    card = html.split('id="taner-kilic"')[1].split("</article>")[0]
    assert '<p class="type-card__word">Acquitté</p>' in card
    assert '<p class="type-card__country">Turquie</p>' in card
    assert "Every year around December 10, Human Rights Day" in (
        client.get("/en/victories/").content.decode()
    )
