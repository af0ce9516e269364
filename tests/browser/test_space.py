"""The personal space in a real browser: a donor asks for the link, opens it from the
email, changes the amount (a wrong one first), then stops the gift; axe on every page."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from donations.models import Mandate, MandateTerms
from tests.factories import MandateFactory

pytestmark = pytest.mark.browser

NBSP = "\u00a0"


def test_a_donor_changes_the_amount_then_stops_the_gift(site, page, axe):
    mandate = MandateFactory(donor__email="ana@exemple.fr", donor__first_name="Ana", amount=20)

    page.goto(site + "/don/mon-don/")
    axe(page)
    page.get_by_label("Votre adresse e-mail").fill("pas-une-adresse")
    page.get_by_role("button", name="Recevoir mon lien").click()
    expect(page.locator("#id_email_error")).to_contain_text("Cette adresse e-mail n’est pas valide")
    axe(page)
    page.get_by_label("Votre adresse e-mail").fill("Ana@Exemple.fr")
    page.get_by_role("button", name="Recevoir mon lien").click()
    page.wait_for_url(re.compile(r"/don/mon-don/lien-envoye/$"))
    axe(page)

    (message,) = mail.outbox
    link = re.search(r"http://testserver(/don/mon-don/ouvrir/\S+/)", message.body).group(1)
    page.goto(site + link)
    axe(page)
    page.get_by_role("button", name="Ouvrir mon espace").click()
    page.wait_for_url(re.compile(r"/don/mon-don/$"))
    expect(page.locator("main")).to_contain_text(mandate.rum)
    expect(page.locator("main")).to_contain_text(f"20,00{NBSP}€")
    axe(page)

    page.get_by_role("link", name="Modifier le montant ou le jour").click()
    axe(page)
    page.get_by_label("Nouveau montant mensuel, en euros").fill("2")
    page.get_by_role("button", name="Enregistrer le changement").click()
    expect(page.locator("#id_amount_error")).to_have_text(
        f"Le montant libre est d’au moins 5,00{NBSP}€ par mois."
    )
    axe(page)
    page.get_by_label("Nouveau montant mensuel, en euros").fill("35")
    page.get_by_label("le 15 du mois").check()
    page.get_by_role("button", name="Enregistrer le changement").click()
    page.wait_for_url(re.compile(r"/don/mon-don/$"))
    expect(page.get_by_role("status")).to_contain_text("C’est noté : votre don change à partir du")
    expect(page.locator("main")).to_contain_text(f"35,00{NBSP}€ par mois, le 15 du mois")
    axe(page)
    terms = MandateTerms.objects.filter(mandate=mandate).latest("effective_from")
    assert (terms.amount, terms.debit_day) == (35, 15)
    assert len(mail.outbox) == 2  # the link, then the change (the pre-notification)

    page.get_by_role("link", name="Arrêter mon don mensuel").click()
    axe(page)
    page.get_by_role("button", name="Arrêter mon don mensuel").click()
    expect(page.locator("#id_sure_error")).to_contain_text(
        "Cochez cette case pour arrêter votre don mensuel."
    )
    page.get_by_label("Je veux arrêter mon don mensuel.").check()
    page.get_by_role("button", name="Arrêter mon don mensuel").click()
    page.wait_for_url(re.compile(r"/don/mon-don/$"))
    expect(page.get_by_role("status")).to_contain_text("Votre don mensuel est arrêté")
    axe(page)
    assert Mandate.objects.get(pk=mandate.pk).state == "cancelled"
    assert len(mail.outbox) == 3

    page.get_by_role("button", name="Fermer mon espace").click()
    page.wait_for_url(re.compile(r"/don/mon-don/\?fin=1$"))
    expect(page.locator("main")).not_to_contain_text(mandate.rum)
    page.goto(site + link)  # the link served once
    expect(page.get_by_role("heading", level=1)).to_have_text("Ce lien n’est plus valable")
