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
    assert case.photo_width == 1200 and case.photo_height == 900


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


def test_the_demo_is_fully_translated_and_its_alt_texts_elide_de(client):
    demo.load(stdout=io.StringIO())
    assert [c.name for c in Case.objects.all() if c.lacks_english] == []
    case = Case.objects.get(slug="alexandra-skotchilenko")
    assert case.photo_alt_fr == (
        "Portrait provisoire : les initiales d'Alexandra Skotchilenko sur un fond de couleur."
    )
    html = client.get("/victoires/").content.decode()
    assert 'alt="Portrait provisoire\u00a0: les initiales d&#x27;Alexandra' in html
    assert 'alt="Portrait provisoire\u00a0: les initiales de Taner Kılıç' in html
    assert "Every year around December 10, Human Rights Day" in (
        client.get("/en/victories/").content.decode()
    )
