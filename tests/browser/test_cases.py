"""A visitor reads the victories, filters by a country and opens a case; staff prefill a slug."""

import io

import pytest
from playwright.sync_api import expect

from cases import demo
from cases.rules import slug_from_name

pytestmark = pytest.mark.browser


@pytest.fixture
def victories(site):
    from django.contrib.auth.models import Group

    Group.objects.get_or_create(name="Éditeurs")  # a flushed transactional database
    demo.load(stdout=io.StringIO())
    return site


def test_a_visitor_filters_by_country_and_opens_a_case(victories, page, axe):
    page.goto(victories + "/victoires/")
    assert page.locator("h1").first.inner_text() == "Ces victoires remportées ensemble"
    axe(page)
    page.get_by_label("Pays").select_option(label="Turquie")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url("**/victoires/?pays=TR**")
    assert page.locator("article.victory").count() == 1
    axe(page)
    page.get_by_role("link", name="Taner Kılıç", exact=True).click()
    page.wait_for_url("**/victoires/taner-kilic/")
    assert page.locator("h1").inner_text() == "Taner Kılıç"
    assert "Acquitté en 2023." in page.locator("main").inner_text()
    axe(page)


def test_the_english_victories_page_passes_the_audit(victories, page, axe):
    page.goto(victories + "/en/victories/")
    assert page.locator("h1").first.inner_text() == "The victories we won together"
    axe(page)


def test_the_home_page_latest_victories_pass_the_audit(victories, page, axe):
    page.goto(victories + "/")
    cards = page.locator(".latest-victories article")
    assert cards.count() == 3
    assert cards.first.locator("h3").inner_text() == "Neth Nahara"
    axe(page)


def test_the_admin_prefills_the_same_slug_as_the_code(site, page, django_user_model, admin_login):
    user = django_user_model.objects.create_superuser(
        "chef", "chef@example.invalid", "chef-pw-2026"
    )
    admin_login(user, "chef-pw-2026", "/admin/cases/case/add/")
    for name, slug in [
        ("Taner Kılıç", "taner-kilic"),
        ("Nguyễn Thị Œuvre", "nguyen-thi-oeuvre"),
        ("Сергей", "sergei"),
    ]:
        page.fill("#id_name", name)
        page.locator("#id_name").blur()
        expect(page.locator("#id_slug")).to_have_value(slug)
        assert slug == slug_from_name(name)
