"""The urgent banner: dismissed with the keyboard, remembered for that appeal only."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import AppealFactory, PetitionFactory

pytestmark = pytest.mark.browser


def test_the_banner_is_dismissed_with_the_keyboard_and_a_new_appeal_shows_again(site, page, axe):
    petition = PetitionFactory(slug="gaza")
    AppealFactory(label="URGENCE GAZA", text="Signez l’appel.", url="", petition=petition)
    page.goto(site + "/")
    banner = page.locator(".urgent-banner")
    button = page.get_by_role("button", name="Masquer l’appel urgent")
    expect(button).to_be_visible()
    axe(page)

    # The reference page's order: skip link, the header (wordmark, Victoires, Agir, Faire un
    # don, English), then the banner's link and its button.
    for _ in range(8):
        page.keyboard.press("Tab")
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    expect(banner).to_be_hidden()

    page.reload()
    expect(page.locator("#contenu")).to_be_visible()
    expect(banner).to_be_hidden()
    page.goto(site + "/petitions/")
    expect(banner).to_be_hidden()

    AppealFactory(
        label="URGENCE SOUDAN",
        text="Un nouvel appel.",
        starts_at=timezone.now() - timedelta(minutes=1),
    )
    page.reload()
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("URGENCE SOUDAN")
    axe(page)


def test_without_javascript_the_banner_is_readable_and_its_link_followable(site, browser):
    petition = PetitionFactory(slug="gaza", title="Gaza")
    AppealFactory(label="URGENCE GAZA", text="Signez l’appel.", url="", petition=petition)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(site + "/")
        expect(page.locator(".urgent-banner")).to_be_visible()
        expect(page.get_by_role("button", name="Masquer l’appel urgent")).to_be_hidden()
        page.get_by_role("link", name="Signez l’appel.").click()
        expect(page).to_have_url(site + "/petitions/gaza/")
    finally:
        context.close()
