"""The content policy, as a real browser enforces it: no page of the site or of the admin
trips it."""

import pytest

from tests.factories import CaseFactory, PetitionFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def strict_page(browser, site):
    """A page that enforces the site's CSP (the shared fixture bypasses it for axe)."""
    context = browser.new_context(locale="fr-FR", bypass_csp=False)
    page = context.new_page()
    violations = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text
            and violations.append(f"{page.url}: {message.text}")
        ),
    )
    page.violations = violations
    yield page
    context.close()


def admin_login(page, site, username, password, next_url):
    page.goto(f"{site}/admin/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(f"**{next_url}")


def test_public_pages_and_the_admin_trip_no_content_policy(strict_page, site, django_user_model):
    case = CaseFactory()
    petition = PetitionFactory(case=case)
    for path in ("/", "/victoires/", case.get_absolute_url(), petition.get_absolute_url(), "/don/"):
        strict_page.goto(site + path)
    django_user_model.objects.create_superuser("chef", "chef@example.invalid", "chef-pw-2026")
    admin_login(strict_page, site, "chef", "chef-pw-2026", "/admin/")
    for path in (
        "/admin/cases/case/",
        "/admin/cases/case/add/",
        f"/admin/cases/case/{case.pk}/change/",
        "/admin/petitions/petition/add/",
        "/admin/donations/mandate/",
        "/admin/auth/user/",
    ):
        strict_page.goto(site + path)
        strict_page.wait_for_load_state("networkidle")
    # The modeltranslation tabs are drawn by script: they work under the policy.
    strict_page.goto(site + "/admin/cases/case/add/")
    assert strict_page.locator(".ui-tabs-nav").count() >= 1
    assert strict_page.violations == []
