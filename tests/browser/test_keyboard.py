"""Keyboard only: a visitor who uses no mouse chooses a gift amount and reaches the
confirmation, signs a petition, and dismisses the urgent banner, with the axe audit on the
way. Focus moves with Tab; buttons, links and boxes are worked with Enter and Space; the
radio group of amounts with the arrow keys, as every radio group."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from playwright.sync_api import expect

from donations.models import Mandate
from petitions.models import Signature
from tests.factories import AppealFactory, PetitionFactory, TierFactory

pytestmark = pytest.mark.browser


def tab_to(page, locator, *, limit=80):
    """Press Tab until ``locator`` has the focus (a keyboard user's way there)."""
    for _ in range(limit):
        if locator.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {locator}")


def type_into(page, locator, text):
    tab_to(page, locator)
    page.keyboard.type(text)


@pytest.fixture
def quick_form(settings):
    settings.PETITION_MIN_FILL_SECONDS = 0  # the real minimum is proven elsewhere


def test_a_gift_chosen_and_confirmed_with_the_keyboard_only(site, page, axe, transactional_db):
    for order, amount in enumerate((10, 15, 25, 50)):
        TierFactory(amount=Decimal(amount), order=order, is_default=amount == 15)
    page.goto(site + "/")
    give = page.locator(".site-header").get_by_role("button", name="Faire un don")
    tab_to(page, give)
    page.keyboard.press("Enter")
    expect(give).to_have_attribute("aria-expanded", "true")
    fifteen = page.locator('.gift-widget input[name="amount"][value="15"]')
    tab_to(page, fifteen)
    page.keyboard.press("ArrowRight")  # the next amount of the group: 25 €
    expect(page.locator('.gift-widget input[name="amount"][value="25"]')).to_be_checked()
    expect(page.locator(".gift-widget [data-gift-net]")).to_have_text("8,50\u00a0€")
    axe(page)
    tab_to(page, page.get_by_role("button", name="Je donne chaque mois"))
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/don/\?amount=25"))
    expect(page.locator('input[name="amount_choice"][value="25"]')).to_be_checked()
    axe(page)
    type_into(page, page.get_by_label("Prénom"), "Camille")
    type_into(page, page.locator("#id_last_name"), "Martin")
    type_into(page, page.get_by_label("Adresse e-mail"), "camille@example.org")
    type_into(page, page.locator("#id_street"), "12 rue des Lilas")
    type_into(page, page.get_by_label("Code postal"), "69003")
    type_into(page, page.get_by_label("Ville"), "Lyon")
    type_into(page, page.get_by_label("Titulaire du compte"), "Camille Martin")
    type_into(page, page.get_by_label("IBAN"), "FR76 3000 6000 0112 3456 7890 189")
    mandate_box = page.get_by_label("J’ai lu le mandat de prélèvement SEPA")
    tab_to(page, mandate_box)
    page.keyboard.press("Space")
    expect(mandate_box).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Valider mon don mensuel"))
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/don/envoye/\?don="))
    axe(page)
    (message,) = mail.outbox
    link = re.search(r"http://testserver(/don/confirmer/[\w-]+/)", message.body).group(1)
    page.goto(site + link)  # the link in the email
    axe(page)
    tab_to(page, page.get_by_role("button", name="Je confirme mon don mensuel"))
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/don/merci/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Merci, votre don mensuel est confirmé"
    )
    axe(page)
    mandate = Mandate.objects.get()
    assert (mandate.state, mandate.amount) == ("active", Decimal("25"))


def test_a_petition_signed_and_confirmed_with_the_keyboard_only(site, page, axe, quick_form):
    PetitionFactory(slug="liberez-ana", title="Libérez Ana")
    page.goto(site + "/petitions/liberez-ana/")
    axe(page)
    type_into(page, page.get_by_label("Prénom", exact=True), "Camille")
    type_into(page, page.get_by_label("Nom", exact=True), "Martin")
    type_into(page, page.get_by_label("Adresse e-mail"), "camille@exemple.fr")
    outcome = page.get_by_label("Je veux savoir comment se termine")
    tab_to(page, outcome)
    page.keyboard.press("Space")
    expect(outcome).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Signer la pétition"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez votre boîte mail")
    axe(page)
    path = re.search(r"http://testserver(/\S+/confirmer/[\w-]+/)", mail.outbox[0].body)[1]
    page.goto(site + path)  # the link in the email
    tab_to(page, page.get_by_role("button", name="Je confirme ma signature"))
    page.keyboard.press("Space")
    expect(page.get_by_role("heading", level=1)).to_have_text("Merci, votre signature compte !")
    axe(page)
    signature = Signature.objects.get()
    assert signature.confirmed_at is not None and signature.notify_outcome


def test_the_banner_dismissed_with_the_space_bar(site, page, axe, transactional_db):
    petition = PetitionFactory(slug="gaza")
    AppealFactory(label="URGENCE GAZA", text="Signez l’appel.", url="", petition=petition)
    page.goto(site + "/victoires/")
    banner = page.locator(".urgent-banner")
    expect(banner).to_be_visible()
    axe(page)
    tab_to(page, page.get_by_role("button", name="Masquer l’appel urgent"))
    page.keyboard.press("Space")
    expect(banner).to_be_hidden()
    # The focus is not lost with the banner: the next Tab goes on into the page.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement !== document.body")
    axe(page)
