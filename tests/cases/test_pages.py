"""The victories page, a victory's page and the home page's latest victories."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import Case, MobilisationFigure, OutcomeEvent
from tests.cases.conftest import image_file
from tests.factories import CaseFactory, MobilisationFigureFactory, OutcomeEventFactory

pytestmark = pytest.mark.django_db
NB = "\u00a0"


def test_the_page_shows_a_case_with_its_mobilisation_outcome_and_quote(client, skotchilenko):
    html = client.get("/victoires/").content.decode()
    assert (
        f"Plus de 594{NB}400 personnes à travers le monde, dont 115{NB}100 en France, "
        "ont signé la pétition." in html
    )
    assert "Graciée et libérée le 1<sup>er</sup> août 2024." in html
    assert re.search(
        r"<blockquote><p>Votre solidarité m’a aidée à survivre et à croire aux miracles\."
        r"</p></blockquote>\s*<figcaption>— <cite>Alexandra Skotchilenko</cite>",
        html,
    )
    assert "Russie" in html


def test_the_english_page_is_written_in_english_formats(client, skotchilenko):
    html = client.get("/en/victories/").content.decode()
    assert (
        "More than 594,400 people around the world, including 115,100 in France, "
        "signed the petition." in html
    )
    assert "Pardoned and released on August 1, 2024." in html
    assert "Russia" in html
    assert "An artist against the war, pardoned and freed" in html


def test_a_year_only_outcome_is_written_with_the_year(client, taner):
    assert "Acquitté en 2023." in client.get("/victoires/").content.decode()
    assert "Acquitted in 2023." in client.get("/en/victories/").content.decode()


def test_two_events_show_the_latest_first(client):
    case = CaseFactory(name="Magai Matiop Ngong", slug="magai-matiop-ngong", gender="male")
    OutcomeEventFactory(case=case, kind="death_sentence_annulled", date=date(2020, 4, 14))
    OutcomeEventFactory(case=case, kind="released", date=date(2022, 4, 4))
    html = client.get("/victoires/magai-matiop-ngong/").content.decode()
    assert (
        "<strong>Libéré le 4 avril 2022.</strong> Peine de mort annulée le 14 avril 2020." in html
    )
    html = client.get("/en/victories/magai-matiop-ngong/").content.decode()
    assert (
        "<strong>Released on April 4, 2022.</strong> Death sentence annulled on April 14, 2020."
        in html
    )


def test_the_totals_add_world_signatures_only_and_say_plus_de(client, skotchilenko, taner):
    letters = CaseFactory(name="Phyoe Phyoe Aung", slug="phyoe-phyoe-aung", country="MM")
    MobilisationFigureFactory(
        case=letters, scope="world", count=394_000, unit="letters_emails_tweets"
    )
    html = client.get("/victoires/").content.decode()
    assert f"3 personnes dans 3 pays, grâce à plus de 2{NB}594{NB}400 signatures." in html
    html = client.get("/en/victories/").content.decode()
    assert "3 people in 3 countries, thanks to more than 2,594,400 signatures." in html


def test_the_story_is_escaped_and_split_into_paragraphs(client):
    CaseFactory(story_fr="<script>alert(1)</script> Un : deux\n\nTrois")
    html = client.get("/victoires/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert f"<p>&lt;script&gt;alert(1)&lt;/script&gt; Un{NB}: deux</p>\n\n<p>Trois</p>" in html


def test_unpublished_and_scheduled_cases_are_hidden(client):
    CaseFactory(name="Brouillon Caché", slug="brouillon", is_published=False)
    CaseFactory(name="Plus Tard", slug="plus-tard", published_at=timezone.now() + timedelta(days=1))
    html = client.get("/victoires/").content.decode()
    assert "Brouillon Caché" not in html and "Plus Tard" not in html
    assert client.get("/victoires/brouillon/").status_code == 404
    assert client.get("/victoires/plus-tard/").status_code == 404


def test_staff_preview_an_unpublished_case_and_others_get_404(client, staff_client):
    CaseFactory(name="Brouillon Caché", slug="brouillon", is_published=False)
    response = staff_client.get("/victoires/brouillon/")
    assert response.status_code == 200
    assert "Aperçu\u00a0: cette victoire n’est pas visible du public." in response.content.decode()
    assert '<meta name="robots" content="noindex">' in response.content.decode()
    staff_client.logout()
    assert client.get("/victoires/brouillon/").status_code == 404


def test_staff_of_another_team_cannot_preview_an_unpublished_case(client, django_user_model):
    CaseFactory(name="Brouillon Caché", slug="brouillon", is_published=False)
    user = django_user_model.objects.create_user("tresorier", password="pw", is_staff=True)
    client.force_login(user)
    assert client.get("/victoires/brouillon/").status_code == 404


def test_filter_by_country_and_by_outcome(client, skotchilenko, taner):
    html = client.get("/victoires/?pays=TR").content.decode()
    assert "Taner Kılıç" in html and "Alexandra Skotchilenko" not in html
    assert '<option value="TR" selected>Turquie</option>' in html
    html = client.get("/victoires/?issue=pardoned").content.decode()
    assert "Alexandra Skotchilenko" in html and "Taner Kılıç" not in html
    html = client.get("/victoires/?pays=ZZ&issue=nope").content.decode()
    assert "Alexandra Skotchilenko" in html and "Taner Kılıç" in html


def test_the_list_is_paginated_by_twelve_and_keeps_the_filters(client):
    for n in range(13):
        case = CaseFactory(name=f"Personne {n:02d}", slug=f"p-{n}", country="TR")
        OutcomeEventFactory(case=case, date=date(2000 + n, 1, 1))
    html = client.get("/victoires/?pays=TR").content.decode()
    assert html.count('class="victory"') == 12
    assert "Personne 12" in html and "Personne 00" not in html
    assert 'href="?pays=TR&amp;page=2"' in html
    html = client.get("/victoires/?pays=TR&page=2").content.decode()
    assert html.count('class="victory"') == 1 and "Personne 00" in html


def test_a_manual_position_comes_before_the_date_order(client):
    old = CaseFactory(name="Ancienne Victoire", slug="ancienne", position=1)
    OutcomeEventFactory(case=old, date=date(2001, 1, 1))
    new = CaseFactory(name="Récente Victoire", slug="recente")
    OutcomeEventFactory(case=new, date=date(2024, 1, 1))
    html = client.get("/victoires/").content.decode()
    assert html.index("Ancienne Victoire") < html.index("Récente Victoire")


def test_the_case_page_has_canonical_open_graph_and_twitter_tags(client):
    CaseFactory(
        name="Taner Kılıç",
        slug="taner-kilic",
        headline_fr="Acquitté",
        photo=image_file("t.jpg"),
        photo_alt_fr="Portrait de Taner",
    )
    html = client.get("/victoires/taner-kilic/").content.decode()
    assert '<link rel="canonical" href="http://testserver/victoires/taner-kilic/">' in html
    assert '<meta property="og:title" content="Taner Kılıç">' in html
    assert '<meta property="og:description" content="Acquitté">' in html
    assert re.search(
        r'<meta property="og:image" content="http://testserver/media/cases/t[^"]*\.jpg">', html
    )
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert '<meta property="og:image:width" content="1200">' in html
    assert '<meta property="og:image:alt" content="Portrait de Taner">' in html
    assert 'href="/victoires/"><span aria-hidden="true">← </span>Toutes les victoires</a>' in html
    assert re.search(
        r'<img src="/media/cases/t[^"]*\.jpg" width="1200" height="900" alt="Portrait de Taner"',
        html,
    )


def test_the_gift_widget_opens_from_the_header_and_the_title_comes_before_any_story(client):
    CaseFactory(name="Taner Kılıç", slug="taner-kilic")
    html = client.get("/victoires/").content.decode()
    header = html.split('<header class="site-header">')[1].split("</header>")[0]
    # Without JavaScript « Faire un don » is a link to the gift page; the widget waits, hidden.
    assert '<a class="button button--accent" href="/don/" data-gift-toggle="don-rapide">' in header
    assert '<div class="gift-panel" id="don-rapide" hidden><section class="gift-widget"' in header
    main = html.split('<main id="contenu"')[1]
    assert main.index("<h1") < main.index('<article class="victory"')
    assert "gift-widget" not in main


def test_the_home_page_shows_the_three_latest_victories(client):
    for n in range(4):
        case = CaseFactory(name=f"Victoire {n}", slug=f"v-{n}")
        OutcomeEventFactory(case=case, date=date(2020 + n, 1, 1))
    html = client.get("/").content.decode()
    assert "Victoire 3" in html and "Victoire 1" in html and "Victoire 0" not in html
    assert html.index("Victoire 3") < html.index("Victoire 2")


def _bulk_cases(count, start=0):
    cases = Case.objects.bulk_create(
        [
            Case(
                name=f"Personne {n}",
                slug=f"personne-{n}",
                country=["TR", "RU", "EG", "PE"][n % 4],
                headline_fr="Libérée",
                story_fr="Histoire",
                is_published=True,
                published_at=timezone.now() - timedelta(days=1),
            )
            for n in range(start, start + count)
        ]
    )
    OutcomeEvent.objects.bulk_create(
        [OutcomeEvent(case=c, kind="released", date=date(2020, 1, 1)) for c in cases]
    )
    MobilisationFigure.objects.bulk_create(
        [
            MobilisationFigure(case=c, scope="world", count=1000, qualifier="more_than")
            for c in cases
        ]
        + [MobilisationFigure(case=c, scope="france", count=10) for c in cases]
    )
    return cases


def _queries(client, url):
    from django.core.cache import cache

    client.get(url)  # first request: other apps create their settings rows once
    cache.clear()
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize(
    "url", ["/victoires/", "/en/victories/?pays=TR", "/victoires/personne-1/", "/"]
)
def test_the_pages_run_the_same_queries_with_2_and_with_200_cases(client, url):
    _bulk_cases(2)
    with_two = _queries(client, url)
    _bulk_cases(198, start=2)
    assert _queries(client, url) == with_two


def test_a_warm_page_runs_no_query_of_its_own(client, skotchilenko, django_assert_max_num_queries):
    client.get("/victoires/")
    cold = _queries(client, "/victoires/")
    client.get("/victoires/")
    with CaptureQueriesContext(connection) as context:
        client.get("/victoires/")
    own = [q["sql"] for q in context.captured_queries if "cases_" in q["sql"]]
    assert own == [] and cold > len(context.captured_queries)


def test_the_empty_page_shows_no_totals(client):
    html = client.get("/victoires/").content.decode()
    assert "victories-totals" not in html
    assert "Aucune victoire n’est encore publiée." in html
    html = client.get("/victoires/?pays=TR").content.decode()
    assert "Aucune victoire ne correspond à ces critères." in html


def test_a_case_page_tells_the_story_in_depth_and_leads_somewhere(client):
    from datetime import date as day

    from cases import rules as case_rules
    from tests.factories import PetitionFactory

    older = CaseFactory(name="Ancienne", slug="ancienne", gender=case_rules.MALE)
    OutcomeEventFactory(case=older, date=day(2020, 1, 1))
    case = CaseFactory(
        name="Taner Kılıç",
        slug="taner-kilic",
        gender=case_rules.MALE,
        arrest_date=day(2017, 6, 6),
        arrest_date_precision="day",
        detention_fr="quatorze mois de détention provisoire",
    )
    OutcomeEventFactory(
        case=case, kind=case_rules.ACQUITTED, date=day(2023, 1, 1), date_precision="year"
    )
    PetitionFactory(slug="taner", title="Libérez Taner", case=case, status="won", goal=500_000)
    html = client.get("/victoires/taner-kilic/").content.decode()
    timeline = html.split('<ol class="timeline">')[1].split("</ol>")[0]
    assert timeline.index("6 juin 2017") < timeline.index("Arrestation") < timeline.index("2023")
    assert "Acquitté" in timeline and "ans" not in timeline  # no duration invented
    # The time in detention, in the source's words, under the arrest.
    assert timeline.index("Arrestation") < timeline.index("quatorze mois de détention provisoire")
    assert timeline.index("quatorze mois") < timeline.index("Acquitté")
    petitions = html.split('<section class="case-petitions"')[1].split("</section>")[0]
    assert "Victoire" in petitions and "objectif" not in petitions and "<progress" not in petitions
    assert (
        'href="https://www.facebook.com/sharer/sharer.php?u=http%3A%2F%2Ftestserver%2Fvictoires%2Ftaner-kilic%2F"'
        in html
    )
    assert "<script" not in html.split("<main")[1].split("</main>")[0]
    assert 'href="/victoires/ancienne/" rel="next"' in html
    assert 'href="/don/"' in html.split('class="next-step"')[1]


def test_the_english_page_places_a_country_figure_from_the_table(client):
    case = CaseFactory(name="Ana Exemple", slug="ana-exemple", country="NL")
    MobilisationFigureFactory(case=case, scope="world", count=20_000)
    MobilisationFigureFactory(case=case, scope="country", country="NL", count=3_000)
    other = CaseFactory(name="Eren Exemple", slug="eren-exemple", country="TR")
    MobilisationFigureFactory(case=other, scope="world", count=20_000)
    MobilisationFigureFactory(case=other, scope="country", country="TR", count=4_000)
    html = client.get("/en/victories/").content.decode()
    assert "including 3,000 in the Netherlands" in html
    assert "including 4,000 in Turkey" in html
    french = client.get("/victoires/").content.decode()
    assert f"dont 3{NB}000 aux Pays-Bas" in french
    assert f"dont 4{NB}000 en Turquie" in french
