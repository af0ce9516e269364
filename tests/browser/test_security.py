"""The content policy, as a real browser enforces it: no page of the site or of the admin
trips it."""

from base64 import b32decode

import pytest
from django_otp.oath import TOTP

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


def code_from_secret(secret: str) -> str:
    """What an authenticator app shows for this secret now (RFC 6238, 30 s, 6 digits)."""
    key = b32decode(secret + "=" * (-len(secret) % 8))
    return f"{TOTP(key).token():06d}"


def enrol_and_log_in(page, site, username, password):
    """A new staff member's first login: password, then enrolment with the secret shown."""
    page.goto(f"{site}/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url("**/admin/second-factor/enrol/**")
    assert page.locator("img[src^='data:image/svg+xml']").is_visible()
    secret = page.locator("#otp-secret").inner_text()
    page.fill("#id_code", code_from_secret(secret))
    page.get_by_role("button", name="Activer").click()
    assert page.locator("#recovery-codes li").count() == 10
    page.get_by_role("link", name="J’ai noté mes codes, continuer").click()
    page.wait_for_url(f"{site}/admin/")


def test_public_pages_and_the_admin_trip_no_content_policy(strict_page, site, django_user_model):
    case = CaseFactory()
    petition = PetitionFactory(case=case)
    for path in ("/", "/victoires/", case.get_absolute_url(), petition.get_absolute_url(), "/don/"):
        strict_page.goto(site + path)
    django_user_model.objects.create_superuser("chef", "chef@example.invalid", "chef-pw-2026")
    enrol_and_log_in(strict_page, site, "chef", "chef-pw-2026")
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
    assert strict_page.violations == []


def test_a_staff_member_enrols_then_logs_in_again_with_a_code(page, site, django_user_model):
    django_user_model.objects.create_user(
        "redac", "redac@exemple.fr", "redac-pw-2026", is_staff=True, is_superuser=True
    )
    enrol_and_log_in(page, site, "redac", "redac-pw-2026")
    page.goto(site + "/admin/cases/case/")
    assert page.locator("#changelist").is_visible()
    # A new session asks for the second factor again, and only it opens the admin.
    page.context.clear_cookies()
    page.goto(f"{site}/admin/login/?next=/admin/cases/case/")
    page.fill("#id_username", "redac")
    page.fill("#id_password", "redac-pw-2026")
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url("**/admin/second-factor/?**")
    page.goto(site + "/admin/cases/case/")
    page.wait_for_url("**/second-factor/**")
