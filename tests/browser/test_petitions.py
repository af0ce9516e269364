"""A person signs a petition, opens the emailed link, confirms, and is thanked."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.factories import PetitionFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def quick_form(settings):
    # The minimum fill time is proven with its real default elsewhere; a script fills fast.
    settings.PETITION_MIN_FILL_SECONDS = 0


def test_a_visitor_signs_confirms_from_the_emailed_link_and_is_thanked(site, page, axe, quick_form):
    PetitionFactory(slug="liberez-ana", title="Libérez Ana", offline_count=41)
    page.goto(site + "/petitions/liberez-ana/")
    expect(page.locator(".petition-counter__text")).to_have_text(
        "41 signatures · objectif 50\u00a0000"
    )
    axe(page)

    page.get_by_role("button", name="Signer la pétition").click()
    expect(page.locator("#id_first_name_errors")).to_have_text("Indiquez votre prénom.")
    expect(page.get_by_role("alert")).to_have_text(
        "Rien n’est encore envoyé : corrigez les champs signalés ci-dessous."
    )
    assert page.url.endswith("/petitions/liberez-ana/signer/#signer-titre")
    expect(page.get_by_label("Prénom", exact=True)).to_have_attribute("aria-invalid", "true")
    axe(page)

    page.get_by_label("Prénom", exact=True).fill("Camille")
    page.get_by_label("Nom", exact=True).fill("Martin")
    page.get_by_label("Adresse e-mail").fill("camille@exemple.fr")
    page.get_by_label("Je veux savoir comment se termine").check()
    page.get_by_role("button", name="Signer la pétition").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez votre boîte mail")
    axe(page)

    assert len(mail.outbox) == 1
    path = re.search(r"http://testserver(/\S+/confirmer/[\w-]+/)", mail.outbox[0].body)[1]
    page.goto(site + path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirmer ma signature")
    axe(page)

    page.get_by_role("button", name="Je confirme ma signature").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Merci, votre signature compte !")
    expect(page.locator(".petition-counter__text")).to_have_text(
        "42 signatures · objectif 50\u00a0000"
    )
    expect(page.get_by_role("link", name="Je donne chaque mois")).to_have_attribute("href", "/don/")
    axe(page)

    page.goto(site + path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre signature est déjà confirmée")
    axe(page)


def test_on_a_phone_in_english_the_link_at_the_top_leads_to_the_form(site, page, axe):
    PetitionFactory(slug="free-ana", title_fr="Libérez Ana", title_en="Free Ana")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site + "/en/petitions/free-ana/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Free Ana")
    axe(page)
    page.get_by_role("link", name="Sign the petition").click()
    expect(page).to_have_url(site + "/en/petitions/free-ana/#signer-titre")
    expect(page.get_by_label("First name", exact=True)).to_be_in_viewport()
    page.get_by_role("button", name="Sign the petition").click()
    expect(page.get_by_role("alert")).to_have_text(
        "Nothing has been sent yet: correct the fields marked below."
    )
    expect(page.locator("#id_email_errors")).to_have_text("Enter your email address.")
    expect(page.get_by_label("First name", exact=True)).to_be_in_viewport()
    axe(page)
