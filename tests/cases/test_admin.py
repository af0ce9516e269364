"""The editorial admin: staff write a case and see it on the page."""

import re
from datetime import date

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError

from cases.models import Case
from tests.cases.conftest import image_file
from tests.factories import CaseFactory, OutcomeEventFactory

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/cases/case/add/"


def case_form(**overrides):
    data = {
        "name": "Taner Kılıç",
        "legal_name": "",
        "gender": "male",
        "country": "TR",
        "slug": "",
        "headline_fr": "L’ancien président de notre section turque, acquitté",
        "headline_en": "Our former Turkish chair, acquitted",
        "charges_fr": "Appartenance à une organisation terroriste.",
        "charges_en": "",
        "sentence_fr": "",
        "sentence_en": "",
        "story_fr": "Arrêté à l’aube.\n\nAcquitté six ans plus tard.",
        "story_en": "Arrested at dawn.\n\nAcquitted six years later.",
        "arrest_date": "2017-06-06",
        "arrest_date_precision": "day",
        "quote_fr": "Je remercie chacune des personnes qui ont pris ma défense.",
        "quote_en": "",
        "quote_attribution_fr": "",
        "quote_attribution_en": "",
        "photo_alt_fr": "",
        "photo_alt_en": "",
        "photo_caption_fr": "",
        "photo_caption_en": "",
        "photo_credit": "",
        "is_published": "on",
        "published_at_0": "2025-12-10",
        "published_at_1": "09:00:00",
        "position": "",
        "events-TOTAL_FORMS": "1",
        "events-INITIAL_FORMS": "0",
        "events-MIN_NUM_FORMS": "1",
        "events-MAX_NUM_FORMS": "1000",
        "events-0-kind": "acquitted",
        "events-0-date": "2023-01-01",
        "events-0-date_precision": "year",
        "events-0-label_fr": "",
        "events-0-label_en": "",
        "events-0-detail_fr": "",
        "events-0-detail_en": "",
        "figures-TOTAL_FORMS": "2",
        "figures-INITIAL_FORMS": "0",
        "figures-MIN_NUM_FORMS": "0",
        "figures-MAX_NUM_FORMS": "1000",
        "figures-0-scope": "world",
        "figures-0-country": "",
        "figures-0-count": "2000000",
        "figures-0-qualifier": "exact",
        "figures-0-unit": "signatures",
        "figures-1-scope": "france",
        "figures-1-country": "",
        "figures-1-count": "85000",
        "figures-1-qualifier": "exact",
        "figures-1-unit": "signatures",
    }
    data.update(overrides)
    return data


def _errors(response):
    if response.status_code != 200 or not response.context:
        return None
    errors = dict(response.context["adminform"].form.errors)
    for formset in response.context["inline_admin_formsets"]:
        errors[formset.formset.prefix] = [f.errors for f in formset.formset.forms]
    return errors


def test_an_editor_adds_a_case_through_the_admin_and_sees_it_on_the_page(editor_client, visitor):
    visitor.get("/victoires/")  # a cached page before the change
    response = editor_client.post(ADD_URL, case_form())
    assert response.status_code == 302, _errors(response)
    case = Case.objects.get()
    assert case.slug == "taner-kilic"
    assert [e.kind for e in case.events.all()] == ["acquitted"]
    html = visitor.get("/victoires/").content.decode()
    assert "Taner Kılıç" in html and "Acquitté en 2023." in html
    assert "2\u00a0000\u00a0000 personnes à travers le monde" in html


def test_a_france_count_above_the_world_count_is_refused_next_to_the_field(editor_client):
    response = editor_client.post(ADD_URL, case_form(**{"figures-1-count": "3000000"}))
    assert response.status_code == 200
    assert not Case.objects.exists()
    errors = _errors(response)["figures"][1]["count"]
    assert errors == [
        "Ce chiffre dépasse le chiffre mondial (2\u00a0000\u00a0000)\u00a0: vérifiez-le."
    ]


def test_a_second_figure_for_the_same_place_and_unit_is_refused(editor_client):
    response = editor_client.post(
        ADD_URL,
        case_form(**{"figures-1-scope": "world", "figures-1-count": "1000"}),
    )
    assert response.status_code == 200 and not Case.objects.exists()
    assert _errors(response)["figures"][1]["scope"] == [
        "Ce lieu a déjà un chiffre dans cette unité\u00a0: gardez-en un seul."
    ]


def test_a_name_without_any_letter_for_the_address_is_refused_on_the_slug(editor_client):
    response = editor_client.post(ADD_URL, case_form(name="???"))
    assert response.status_code == 200 and not Case.objects.exists()
    assert _errors(response)["slug"] == [
        "Le nom ne donne aucune lettre pour l’adresse\u00a0: écrivez-la ici."
    ]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_photo_without_french_alt_text_is_refused_on_that_field(editor_client, language):
    response = editor_client.post(
        ADD_URL,
        case_form(photo=image_file(), photo_alt_en="Portrait"),
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 200 and not Case.objects.exists()
    assert _errors(response)["photo_alt_fr"] == [
        "Décrivez la photo\u00a0: le texte alternatif est obligatoire."
    ]


def test_a_zero_count_and_an_outcome_before_the_arrest_are_refused(editor_client):
    response = editor_client.post(
        ADD_URL,
        case_form(
            **{
                "figures-0-count": "0",
                "events-0-date": "2016-05-01",
                "events-0-date_precision": "day",
            }
        ),
    )
    assert response.status_code == 200 and not Case.objects.exists()
    errors = _errors(response)
    assert errors["figures"][0]["count"] == ["Le nombre doit être supérieur à zéro."]
    assert errors["events"][0]["date"] == [
        "Cette date précède la date d’arrestation\u00a0: vérifiez-la."
    ]


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            lambda: image_file("p.gif", image_format="GIF"),
            "Format refusé\u00a0: envoyez une image JPEG, PNG ou WebP.",
        ),
        (
            lambda: image_file(size=(640, 480)),
            "Cette image fait 640 px de large\u00a0; il en faut au moins 800.",
        ),
    ],
)
def test_a_bad_photo_gets_a_french_message_on_its_field_and_no_500(editor_client, upload, message):
    response = editor_client.post(ADD_URL, case_form(photo=upload(), photo_alt_fr="Portrait"))
    assert response.status_code == 200 and not Case.objects.exists()
    assert message in _errors(response)["photo"]


def test_a_broken_photo_gets_a_message_and_no_500(editor_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    broken = SimpleUploadedFile("p.jpg", b"\xff\xd8\xff\xe0 not really a jpeg")
    response = editor_client.post(ADD_URL, case_form(photo=broken, photo_alt_fr="Portrait"))
    assert response.status_code == 200 and not Case.objects.exists()
    assert _errors(response)["photo"]


def test_bulk_unpublish_removes_the_case_from_the_cached_page_at_once(
    editor_client, visitor, skotchilenko
):
    assert "Alexandra Skotchilenko" in visitor.get("/victoires/").content.decode()
    response = editor_client.post(
        "/admin/cases/case/",
        {"action": "unpublish", "_selected_action": [skotchilenko.pk], "confirm": "yes"},
    )
    assert response.status_code == 302
    assert "Alexandra Skotchilenko" not in visitor.get("/victoires/").content.decode()
    assert visitor.get("/victoires/alexandra-skotchilenko/").status_code == 404
    editor_client.post(
        "/admin/cases/case/",
        {"action": "publish", "_selected_action": [skotchilenko.pk], "confirm": "yes"},
    )
    assert "Alexandra Skotchilenko" in visitor.get("/victoires/").content.decode()


def test_an_account_without_the_permission_is_refused(client, django_user_model, skotchilenko):
    user = django_user_model.objects.create_user("stagiaire", password="pw", is_staff=True)
    client.force_login(user)
    assert client.get(ADD_URL).status_code == 403
    assert client.get(f"/admin/cases/case/{skotchilenko.pk}/change/").status_code == 403
    response = client.post(
        "/admin/cases/case/", {"action": "unpublish", "_selected_action": [skotchilenko.pk]}
    )
    assert response.status_code == 403
    assert Case.objects.get(pk=skotchilenko.pk).is_published


def test_the_editors_group_has_exactly_the_rights_on_cases():
    group = Group.objects.get(name="Éditeurs")
    on_cases = set(
        group.permissions.filter(content_type__app_label="cases").values_list("codename", flat=True)
    )
    assert on_cases == {
        f"{action}_{model}"
        for model in ("case", "outcomeevent", "mobilisationfigure", "victorypage")
        for action in ("add", "change", "delete", "view")
    }
    others = group.permissions.exclude(content_type__app_label__in=["cases", "petitions"])
    assert list(others) == []
    assert not group.permissions.filter(
        content_type__model__in=["signature", "donor", "mandate"]
    ).exists()
    assert Permission.objects.filter(group=group, codename__startswith="delete_user").count() == 0


def test_the_admin_pages_load_nothing_from_another_host(staff_client, skotchilenko):
    for url in (
        ADD_URL,
        f"/admin/cases/case/{skotchilenko.pk}/change/",
        "/admin/cases/victorypage/add/",
    ):
        html = staff_client.get(url).content.decode()
        assert "/static/js/admin-languages.js" in html
        outside = [
            link
            for link in re.findall(r'(?:src|href)="((?:https?:)?//[^"]*)"', html)
            if not link.split("//", 1)[1].startswith("testserver")
        ]
        assert outside == [], url


def test_the_admin_is_branded_in_french(staff_client):
    html = staff_client.get("/admin/").content.decode()
    assert '<div id="site-name"><a href="/admin/">Administration de Victoires</a></div>' in html


def test_the_change_list_shows_outcome_english_marker_and_filters(
    staff_client, skotchilenko, taner
):
    taner.headline_en = ""
    taner.save()
    html = staff_client.get("/admin/cases/case/").content.decode()
    assert "Graciée et libérée le 1er août 2024." in html
    assert "Acquitté en 2023." in html
    assert '<span class="case-english case-english--todo">à traduire\u00a0: titre</span>' in html
    assert '<span class="case-english case-english--done">traduit</span>' in html
    assert "en ligne depuis le " in html
    html = staff_client.get("/admin/cases/case/?anglais=todo").content.decode()
    assert "Taner Kılıç" in html and "Alexandra Skotchilenko" not in html
    html = staff_client.get("/admin/cases/case/?anglais=done").content.decode()
    assert "Alexandra Skotchilenko" in html and "Taner Kılıç" not in html
    html = staff_client.get("/admin/cases/case/?issue=acquitted").content.decode()
    assert "Taner Kılıç" in html and "Alexandra Skotchilenko" not in html
    html = staff_client.get("/admin/cases/case/?annee=2024").content.decode()
    assert "Alexandra Skotchilenko" in html and "Taner Kılıç" not in html


def test_the_admin_search_finds_a_country_by_its_name(staff_client, skotchilenko, taner):
    html = staff_client.get("/admin/cases/case/?q=Turquie").content.decode()
    assert "Taner Kılıç" in html and "Alexandra Skotchilenko" not in html


def test_the_change_form_links_to_the_site_and_previews_the_photo(staff_client):
    case = CaseFactory(photo=image_file(), photo_alt_fr="Portrait", is_published=False)
    OutcomeEventFactory(case=case)
    html = staff_client.get(f"/admin/cases/case/{case.pk}/change/").content.decode()
    assert "Voir sur le site" in html
    assert re.search(
        r'<img src="/media/cases/[^"]+" width="320" height="240" alt="Portrait">', html
    )
    assert staff_client.get(case.get_absolute_url()).status_code == 200


def test_the_change_list_is_in_the_page_order(staff_client):
    old = CaseFactory(name="Ancienne Victoire", slug="ancienne")
    OutcomeEventFactory(case=old, date=date(2001, 1, 1))
    new = CaseFactory(name="Récente Victoire", slug="recente")
    OutcomeEventFactory(case=new, date=date(2024, 1, 1))
    html = staff_client.get("/admin/cases/case/").content.decode()
    assert html.index("Récente Victoire") < html.index("Ancienne Victoire")


def test_an_other_outcome_without_a_label_is_refused_on_its_field(editor_client):
    response = editor_client.post(ADD_URL, case_form(**{"events-0-kind": "other"}))
    assert response.status_code == 200 and not Case.objects.exists()
    assert _errors(response)["events"][0]["label_fr"] == [
        "Donnez un libellé à une issue «\u00a0autre\u00a0»."
    ]


def test_the_english_marker_names_each_text_still_to_translate(staff_client, skotchilenko):
    skotchilenko.story_en = ""
    skotchilenko.save()
    OutcomeEventFactory(case=skotchilenko, detail_fr="après un an", detail_en="")
    html = staff_client.get("/admin/cases/case/?anglais=todo").content.decode()
    assert "à traduire\u00a0: histoire, issues" in html


def test_the_publication_column_says_live_scheduled_or_unpublished(staff_client):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    CaseFactory(name="Brouillon Caché", slug="brouillon", is_published=False)
    CaseFactory(
        name="Plus Tard",
        slug="plus-tard",
        published_at=datetime(2099, 8, 1, 9, 30, tzinfo=ZoneInfo("Europe/Paris")),
    )
    html = staff_client.get("/admin/cases/case/").content.decode()
    assert '<span class="case-state case-state--draft">non publiée</span>' in html
    assert (
        '<span class="case-state case-state--scheduled">programmée le 1er août 2099 à 09:30</span>'
        in html
    )


def test_the_country_filter_sorts_accented_names_as_letters(staff_client):
    CaseFactory(name="Ibrahim Ezz el-Din", slug="ibrahim", country="EG")
    CaseFactory(name="Taner Kılıç", slug="taner", country="TR")
    CaseFactory(name="Neth Nahara", slug="neth", country="AO")
    html = staff_client.get("/admin/cases/case/").content.decode()
    assert html.index("?pays=AO") < html.index("?pays=EG") < html.index("?pays=TR")


def test_the_page_texts_are_one_click_away_from_the_list(editor_client):
    from cases.models import VictoryPage

    html = editor_client.get("/admin/cases/case/").content.decode()
    assert "Victoires\u00a0: choisissez celle à modifier" in html
    assert (
        '<a href="/admin/cases/victorypage/" class="viewlink">'
        "Titre, introduction et photo de la page</a>" in html
    )
    response = editor_client.get("/admin/cases/victorypage/")
    assert response.status_code == 302 and response["Location"] == "/admin/cases/victorypage/add/"
    page = VictoryPage.objects.create(title_fr="Nos victoires", intro_fr="Bonjour")
    response = editor_client.get("/admin/cases/victorypage/")
    assert response["Location"] == f"/admin/cases/victorypage/{page.pk}/change/"


def test_the_page_texts_form_previews_the_hero_photo_and_requires_its_alt_text(editor_client):
    from cases.models import VictoryPage

    page = VictoryPage.objects.create(
        title_fr="Nos victoires",
        intro_fr="Bonjour",
        hero_image=image_file("hero.jpg", size=(1600, 900)),
        hero_alt_fr="Une foule",
    )
    html = editor_client.get(f"/admin/cases/victorypage/{page.pk}/change/").content.decode()
    assert re.search(r'<img src="/media/pages/hero[^"]*\.jpg" width="480" height="270"', html)
    page.hero_alt_fr = ""
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert error.value.message_dict["hero_alt_fr"] == [
        "Décrivez la photo\u00a0: le texte alternatif est obligatoire."
    ]


def test_deleting_cases_in_bulk_removes_them_from_the_cached_page(
    editor_client, visitor, skotchilenko
):
    assert "Alexandra Skotchilenko" in visitor.get("/victoires/").content.decode()
    response = editor_client.post(
        "/admin/cases/case/",
        {"action": "delete_selected", "_selected_action": [skotchilenko.pk], "post": "yes"},
    )
    assert response.status_code == 302 and not Case.objects.exists()
    assert "Alexandra Skotchilenko" not in visitor.get("/victoires/").content.decode()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("figures-0-count", "99999999999"),
        ("figures-0-count", "-5"),
        ("name", "x" * 5000),
        ("name", "Taner\x00Kılıç"),
        ("position", "70000"),
        ("events-0-date", "0000-13-45"),
        ("events-0-kind", "nope"),
        ("country", "ZZ"),
    ],
)
def test_junk_in_the_form_gets_a_message_and_no_500(editor_client, field, value):
    response = editor_client.post(ADD_URL, case_form(**{field: value}))
    assert response.status_code == 200 and not Case.objects.exists()
    prefix = field.split("-")[0]
    errors = _errors(response)
    assert errors.get(field) or any(errors.get(prefix) or [])


def test_the_change_list_runs_the_same_queries_with_2_and_with_40_cases(staff_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert staff_client.get("/admin/cases/case/").status_code == 200
        return len(context.captured_queries)

    for n in range(2):
        OutcomeEventFactory(case=CaseFactory(name=f"Personne {n}", slug=f"p-{n}"))
    with_two = queries()
    for n in range(2, 40):
        OutcomeEventFactory(case=CaseFactory(name=f"Personne {n}", slug=f"p-{n}"))
    assert queries() == with_two


def test_publishing_a_scheduled_case_in_bulk_says_it_waits_for_its_date(editor_client):
    from datetime import timedelta

    from django.utils import timezone

    case = CaseFactory(is_published=False, published_at=timezone.now() + timedelta(days=2))
    response = editor_client.post(
        "/admin/cases/case/",
        {"action": "publish", "_selected_action": [case.pk], "confirm": "yes"},
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert messages == [
        "1 victoire publiée.",
        "1 victoire programmée\u00a0: elle paraîtra à sa date de publication.",
    ]


def test_the_slug_prefill_asks_the_code_and_needs_case_rights(editor_client, django_user_model):
    from django.test import Client

    from tests.clients import SecondFactorClient

    url = "/admin/cases/case/slug/"
    response = editor_client.get(url, {"name": "Taner Kılıç"})
    assert response.json() == {"slug": "taner-kilic"}
    assert Client().get(url, {"name": "x"}).status_code == 302  # to the login page
    other = SecondFactorClient()  # both login steps done, but no right on cases
    other.force_login(django_user_model.objects.create_user("compta", is_staff=True))
    assert other.get(url, {"name": "x"}).status_code == 403
