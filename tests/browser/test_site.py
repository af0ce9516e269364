"""Every public page type, in French and English, on a phone and on a desktop: the axe
audit, one h1 and no skipped heading level, nothing wider than the screen, and the header's
navigation reachable."""

import pytest

from tests.factories import (
    CaseFactory,
    MandateFactory,
    MobilisationFigureFactory,
    OutcomeEventFactory,
    PetitionFactory,
    SignatureFactory,
    TierFactory,
    emailed_token,
    summary_token,
)

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def pages(site):
    case = CaseFactory(name="Ana Exemple", slug="ana-exemple")
    OutcomeEventFactory(case=case)
    MobilisationFigureFactory(case=case)
    petition = PetitionFactory(slug="liberez-ana", case=case)
    TierFactory(amount=10)
    TierFactory(amount=15, is_default=True)
    signature = SignatureFactory(petition=petition)
    pending = MandateFactory(state="pending", signed_at=None, first_debit_on=None)
    active = MandateFactory()
    signature_token = emailed_token(signature)
    pending_token = emailed_token(pending)
    active_token = summary_token(active)
    french = [
        "/",
        "/victoires/",
        "/victoires/?pays=TR",
        "/victoires/ana-exemple/",
        "/petitions/",
        "/petitions/liberez-ana/",
        "/petitions/liberez-ana/verifiez-vos-mails/",
        "/petitions/liberez-ana/renvoyer/",
        f"/petitions/confirmer/{signature_token}/",
        "/petitions/confirmer/jeton-inconnu/",
        "/petitions/liberez-ana/merci/",
        "/don/?amount=25",
        "/don/envoye/",
        f"/don/confirmer/{pending_token}/",
        f"/don/merci/{active_token}/",
        "/mentions-legales/",
        "/donnees-personnelles/",
        "/nulle-part/",
    ]
    english = [
        "/en/",
        "/en/victories/",
        "/en/victories/ana-exemple/",
        "/en/petitions/",
        "/en/petitions/liberez-ana/",
        "/en/petitions/liberez-ana/check-your-email/",
        "/en/petitions/liberez-ana/resend/",
        f"/en/petitions/confirm/{signature_token}/",
        "/en/petitions/liberez-ana/thank-you/",
        "/en/donate/",
        "/en/donate/sent/",
        f"/en/donate/confirm/{pending_token}/",
        f"/en/donate/thanks/{active_token}/",
        "/en/legal-notice/",
        "/en/personal-data/",
        "/en/nowhere/",
    ]
    return [site + path for path in french + english]


HEADINGS = """() => Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6'))
    .filter(h => h.offsetParent !== null)
    .map(h => Number(h.tagName[1]))"""


def check_page(page, axe, url):
    response = page.goto(url)
    assert response is not None and response.status < 500, url
    axe(page)
    levels = page.evaluate(HEADINGS)
    assert levels.count(1) == 1, f"{url}: {levels.count(1)} h1"
    for previous, level in zip(levels, levels[1:], strict=False):
        assert level <= previous + 1, f"{url}: h{previous} followed by h{level}"
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{url}: {overflow}px wider than the screen"
    for link in page.locator(".site-header a").all():
        assert link.is_visible(), f"{url}: a header link is hidden"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_every_public_page_passes_the_audit_in_both_languages(page, axe, pages, viewport):
    page.set_viewport_size(viewport)
    for url in pages:
        check_page(page, axe, url)


def test_the_focused_link_shows_a_visible_outline(page, axe, site):
    page.set_viewport_size(PHONE)
    page.goto(site + "/")
    axe(page)
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the first link after it
    outline = page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            return {tag: el.tagName, width: parseFloat(style.outlineWidth),
                    style: style.outlineStyle, shadow: style.boxShadow};
        }"""
    )
    assert outline["tag"] == "A"
    assert (outline["style"] != "none" and outline["width"] >= 2) or outline["shadow"] != "none"
