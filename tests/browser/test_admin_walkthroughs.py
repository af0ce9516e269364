"""Each team does its work alone in the admin, in a real browser, with the axe audit and the
French messages it reads: an editor writes and publishes a case in both languages,
Mobilisation runs a petition and its banner to victory, Dons cancels a mandate."""

import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Case
from donations.models import Debit, Mandate, MandateEvent
from petitions.models import Appeal, Petition
from tests.factories import DonorFactory, MandateFactory

pytestmark = pytest.mark.browser

NBSP = "\u00a0"


def messages(page):
    return page.locator("ul.messagelist")


def run_action(page, label):
    """Choose a list action by its French label and send it (the confirmation page opens)."""
    page.locator("select[name=action]").first.select_option(label=label)
    page.get_by_role("button", name="Envoyer").first.click()


def test_an_editor_writes_a_case_in_french_then_english_and_publishes_it(
    site, page, axe, admin_login, staff_member
):
    editor = staff_member("Éditeurs", "editrice", "editrice-pw-2026")
    admin_login(editor, "editrice-pw-2026", "/admin/cases/case/add/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ajouter une victoire")
    french = page.get_by_role("button", name="Français")
    english = page.get_by_role("button", name=re.compile("^English"))
    expect(french).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#id_headline_en")).to_be_hidden()
    axe(page)

    page.locator("#id_name").fill("Taner Kılıç")
    page.locator("#id_name").blur()
    expect(page.locator("#id_slug")).to_have_value("taner-kilic")
    page.locator("#id_gender").select_option("male")
    page.locator("#id_country").select_option("TR")
    page.locator("#id_headline_fr").fill("L’ancien président de notre section turque, acquitté")
    page.locator("#id_charges_fr").fill("Appartenance à une organisation terroriste.")
    page.locator("#id_story_fr").fill("Arrêté à l’aube.\n\nAcquitté six ans plus tard.")
    page.locator("#id_events-0-kind").select_option("acquitted")
    page.locator("#id_events-0-date").fill("2023-01-01")
    page.locator("#id_events-0-date_precision").select_option("year")
    page.locator("#id_is_published").uncheck()

    # The one switch: English shows every English field and hides the French ones.
    english.click()
    expect(english).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#id_headline_fr")).to_be_hidden()
    page.locator("#id_headline_en").fill("Our former Turkish chair, acquitted")
    page.locator("#id_story_en").fill("Arrested at dawn.\n\nAcquitted six years later.")
    page.get_by_role("button", name="Enregistrer et continuer les modifications").click()

    expect(messages(page)).to_contain_text(
        f"La victoire «{NBSP}Taner Kılıç{NBSP}» est enregistrée."
    )
    # The charges were left untranslated: the English button says so, the field is marked.
    expect(english).to_contain_text("1 à traduire")
    english.click()
    expect(page.locator(".field-charges_en.language-missing")).to_be_visible()
    axe(page)
    page.locator("#id_charges_en").fill("Membership of a terrorist organisation.")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(messages(page)).to_contain_text(
        f"La victoire «{NBSP}Taner Kılıç{NBSP}» est enregistrée."
    )
    assert not Case.objects.get(slug="taner-kilic").is_published

    # Publishing asks first, with the count, then says what it did.
    page.get_by_role("checkbox", name=re.compile("Taner Kılıç")).check()
    run_action(page, "Publier les victoires sélectionnées")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Publier 1 victoire{NBSP}?")
    axe(page)
    page.get_by_role("button", name="Publier cette victoire").click()
    expect(messages(page)).to_contain_text("1 victoire publiée.")

    page.goto(site + "/victoires/taner-kilic/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Taner Kılıç")
    page.goto(site + "/en/victories/taner-kilic/")
    expect(page.locator("main")).to_contain_text("Our former Turkish chair, acquitted")
    expect(page.locator("main")).to_contain_text("Membership of a terrorist organisation.")


def test_mobilisation_opens_a_petition_with_its_banner_then_marks_it_won(
    site, page, axe, admin_login, staff_member
):
    campaigner = staff_member("Mobilisation", "mobilisation", "mobilisation-pw-2026")
    admin_login(campaigner, "mobilisation-pw-2026", "/admin/petitions/petition/add/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ajouter une pétition")
    page.locator("#id_title_fr").fill("Libérez Ahmed")
    page.locator("#id_target_fr").fill("Président de la République")
    page.locator("#id_ask_fr").fill("Libérez Ahmed sans condition.")
    page.locator("#id_text_fr").fill("Ahmed est détenu depuis deux ans pour un message.")
    page.locator("#id_status").select_option("open")
    axe(page)
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(messages(page)).to_contain_text(
        f"La pétition «{NBSP}Libérez Ahmed{NBSP}» est enregistrée."
    )
    petition = Petition.objects.get(title_fr="Libérez Ahmed")
    assert petition.status == "open"

    page.goto(site + "/admin/petitions/appeal/add/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ajouter un appel urgent")
    page.locator("#id_label_fr").fill("URGENCE AHMED")
    page.locator("#id_text_fr").fill("Signez pour sa libération.")
    page.locator("#id_petition").select_option(label="Libérez Ahmed")
    page.locator("#id_ends_at_0").fill((timezone.localdate() + timedelta(days=7)).isoformat())
    page.locator("#id_ends_at_1").fill("20:00:00")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(messages(page)).to_contain_text(
        f"L’appel urgent «{NBSP}URGENCE AHMED — Signez pour sa libération.{NBSP}» est enregistré."
    )
    expect(page.locator(".appeal-state--live")).to_have_text("en ligne maintenant")
    axe(page)

    page.goto(site + "/")
    expect(page.locator(".urgent-banner")).to_contain_text("URGENCE AHMED")

    page.goto(site + "/admin/petitions/petition/")
    page.get_by_role("checkbox", name=re.compile("Libérez Ahmed")).check()
    run_action(page, "Marquer comme gagnées (et prévenir les signataires)")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Marquer 1 pétition gagnée{NBSP}?")
    expect(page.locator("#content-main")).to_contain_text("Cela ne se défait pas.")
    axe(page)
    page.get_by_role("button", name="Marquer cette pétition gagnée").click()
    expect(messages(page)).to_contain_text(f"1 pétition marquée gagnée{NBSP}; les signataires")
    petition.refresh_from_db()
    assert petition.status == "won"

    # Its banner ended with it.
    page.goto(site + "/admin/petitions/appeal/")
    expect(page.locator(".appeal-state--ended")).to_have_text("terminé")
    assert Appeal.objects.get().ends_at <= timezone.now()
    page.goto(site + "/")
    expect(page.locator("#contenu")).to_be_visible()
    expect(page.locator(".urgent-banner")).to_have_count(0)


def test_dons_cancels_a_mandate_with_a_reason_and_the_donor_is_emailed(
    site, page, axe, admin_login, staff_member
):
    mandate = MandateFactory(donor=DonorFactory(first_name="Camille", email="camille@exemple.fr"))
    Debit.objects.create(
        mandate=mandate,
        month=date(2030, 1, 1),
        due_on=date(2030, 1, 5),
        amount=mandate.amount,
        sequence_type="RCUR",
        end_to_end_id="E2E-WALK-1",
        remittance="Don mensuel",
    )
    dons = staff_member("Dons", "dons", "dons-pw-2026")
    admin_login(dons, "dons-pw-2026", "/admin/donations/mandate/")
    mail.outbox.clear()

    page.get_by_role("checkbox", name=re.compile(re.escape(mandate.rum))).check()
    run_action(page, "Annuler les mandats sélectionnés")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Annuler 1 mandat{NBSP}?")
    expect(page.locator("#content-main")).to_contain_text(mandate.rum)
    axe(page)

    # No reason, nothing done: the field says why.
    page.get_by_role("button", name="Annuler ce mandat").click()
    expect(page.locator(".errorlist")).to_contain_text("Ce champ est obligatoire.")
    mandate.refresh_from_db()
    assert mandate.state == "active"
    axe(page)

    page.get_by_label("Pourquoi ?").fill("Demande de la donatrice par téléphone le 3 mars")
    page.get_by_role("button", name="Annuler ce mandat").click()
    expect(messages(page)).to_contain_text(
        f"1 mandat annulé{NBSP}; le donateur est prévenu par courriel."
    )
    mandate.refresh_from_db()
    assert mandate.state == Mandate.State.CANCELLED
    event = MandateEvent.objects.get(mandate=mandate, kind="cancelled")
    assert (event.by, event.note) == (dons, "Demande de la donatrice par téléphone le 3 mars")
    assert Debit.objects.get(end_to_end_id="E2E-WALK-1").status == "cancelled"
    (message,) = mail.outbox
    assert message.to == ["camille@exemple.fr"]
    assert mandate.rum in message.body
