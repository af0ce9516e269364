import io
import logging
import re
from datetime import timedelta
from decimal import Decimal
from html import unescape

import pytest
import time_machine
from django.contrib.sessions.backends.db import SessionStore
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.views.debug import SafeExceptionReporterFilter

from core.models import EmailToken
from core.tasks import enqueue_on_commit
from core.tokens import token_digest
from donations import debit_calendar, sepa
from donations.models import Donor, Mandate, MandateEvent, MandateReference
from donations.tasks import mandate_pending_email
from donations.views import gift
from tests.donations.conftest import IBAN_FR
from tests.factories import MandateFactory, summary_token

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def confirm_link(message) -> str:
    return re.search(r"http://testserver(/don/confirmer/[\w-]+/)", message.body).group(1)


def submit(client, data, capture):
    with capture(execute=True):
        return client.post("/don/", data)


# --- The form -----------------------------------------------------------------------


def test_the_english_tier_notes_use_english_punctuation(client, tiers):
    page = client.get("/en/donate/").content.decode()
    assert "<strong>€15.00</strong>/month: Finance une heure d’enquête." in page
    assert "/month :" not in page


def test_the_amount_is_preselected_from_the_query_string(client, tiers):
    page = client.get("/don/?amount=25").content.decode()
    assert (
        'type="radio" name="amount_choice" value="25" required id="id_amount_choice_2" checked'
        in page
    )


def test_a_free_amount_from_the_query_string_selects_the_free_choice_unlocalised(client, tiers):
    response = client.get("/don/?amount=37")
    form = response.context["form"]
    assert form["amount_choice"].value() == "libre"
    page = response.content.decode()
    assert 'name="free_amount" value="37"' in page
    assert f"12,58{NBSP}€" in page  # 37 − 24,42


def test_the_widget_free_amount_wins_over_the_tier(client, tiers):
    form = client.get("/don/?amount=15&free_amount=120").context["form"]
    assert form["amount_choice"].value() == "libre"
    assert form["free_amount"].value() == 120


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?free_amount=4", f"Le montant libre est d’au moins 5,00{NBSP}€ par mois."),
        ("?free_amount=1001", f"Le montant libre est d’au plus 1{NBSP}000,00{NBSP}€ par mois."),
        ("?amount=15&free_amount=3", f"Le montant libre est d’au moins 5,00{NBSP}€ par mois."),
        ("?amount=2000", f"Le montant libre est d’au plus 1{NBSP}000,00{NBSP}€ par mois."),
        ("?free_amount=12.5", "Indiquez le montant libre en euros entiers, sans centimes."),
        ("?amount=abc", "Indiquez le montant libre en euros entiers, sans centimes."),
        ("?amount=NaN", "Indiquez le montant libre en euros entiers, sans centimes."),
    ],
)
def test_an_amount_from_the_widget_that_cannot_be_given_is_said_next_to_the_field(
    client, tiers, query, message
):
    response = client.get("/don/" + query)
    form = response.context["form"]
    assert form["amount_choice"].value() == "libre"  # what was typed, not another tier
    page = unescape(response.content.decode())
    problem = re.search(
        r'<p class="errorlist[^"]*" id="id_free_amount_problem"[^>]*>([^<]*)</p>', page
    )
    assert problem.group(1) == message
    assert "hidden" not in problem.group(0)
    # No cost is printed for an amount that cannot be given.
    assert re.search(r'<p class="gift-widget__net"[^>]* hidden>', page)


def test_a_good_amount_shows_no_amount_message(client, tiers):
    page = client.get("/don/?free_amount=40").content.decode()
    assert re.search(r'id="id_free_amount_problem" data-gift-free-error hidden></p>', page)
    assert f"13,60{NBSP}€" in page


def test_a_free_amount_typed_wins_over_the_tier_left_checked(
    client, gift_data, django_capture_on_commit_callbacks
):
    # The page without script: the 15 € tier stays checked while the donor types 40.
    data = gift_data(amount_choice="15", free_amount="40")
    response = submit(client, data, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    mandate = Mandate.objects.get()
    assert mandate.amount == Decimal("40")
    pending = mail.outbox[0]
    assert f"Don mensuel{NBSP}: 40,00{NBSP}€" in pending.body
    sent = client.get(response["Location"]).content.decode()
    assert f"un don mensuel de <strong>40,00{NBSP}€</strong>, prélevé le 15 de chaque mois" in sent


@pytest.mark.parametrize(
    ("typed", "field_message"),
    [
        ("4", f"Le montant libre est d’au moins 5,00{NBSP}€ par mois."),
        ("1001", f"Le montant libre est d’au plus 1{NBSP}000,00{NBSP}€ par mois."),
        ("40,5", "Indiquez le montant libre en euros entiers, sans centimes."),
    ],
)
def test_a_free_amount_out_of_bounds_beside_a_checked_tier_is_refused_not_replaced(
    client, gift_data, django_capture_on_commit_callbacks, typed, field_message
):
    data = gift_data(amount_choice="15", free_amount=typed)
    response = submit(client, data, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert response.context["form"].errors["free_amount"] == [field_message]
    assert not Mandate.objects.exists() and not mail.outbox
    assert re.search(r'<p class="gift-widget__net"[^>]* hidden>', response.content.decode())


def test_the_sent_page_states_nothing_for_a_forged_or_old_link(client, tiers):
    page = client.get("/don/envoye/?don=42").content.decode()
    assert "Vous avez choisi" not in page


def test_the_page_shows_the_mandate_text_from_the_settings_and_the_data_notice(client, tiers):
    page = client.get("/don/").content.decode()
    assert "Victoires — section française (DÉMO)" in page
    assert "FR72ZZZ123456" in page
    assert "Démonstration\u00a0: créancier fictif, aucun prélèvement ne sera effectué." in page
    assert "dans les 8 semaines suivant la date de débit de votre compte" in page
    assert "Vos données" in page and "CNIL" in page
    assert f"votre don ne vous coûtera que <strong data-gift-net>5,10{NBSP}€</strong>/mois" in page


def test_the_newsletter_box_is_unticked_and_optional(client, tiers):
    page = client.get("/don/").content.decode()
    checkbox = re.search(r'<input type="checkbox" name="newsletter"[^>]*>', page).group(0)
    assert "checked" not in checkbox and "required" not in checkbox


# --- Bad input ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"iban": "FR76 3000 6000 0112 3456 7890 188"},
            "iban",
            "Cet IBAN n’est pas valide\u00a0: la clé de contrôle ne correspond pas.",
        ),
        (
            {"iban": "FR76 3000 6000 0112 3456 7890 18"},
            "iban",
            "Cet IBAN n’a pas le bon nombre de caractères pour son pays.",
        ),
        (
            {"iban": "US64SVBKUS6S3300958879"},
            "iban",
            "Ce compte n’est pas dans la zone SEPA\u00a0: nous ne pouvons pas le prélever.",
        ),
        (
            {"iban": "CH9300762011623852957"},
            "bic",
            "Le BIC est obligatoire pour un compte de ce pays.",
        ),
        (
            {"iban": "MK07 2501 2000 0058 984"},
            "bic",
            "Le BIC est obligatoire pour un compte de ce pays.",
        ),
        (
            {"account_holder": "A" * 71},
            "account_holder",
            "Le nom du titulaire fait au plus 70 caractères (c’est la limite des banques).",
        ),
        (
            {"account_holder": "Straße " * 9 + "Kılıç"},  # 68 typed, 77 for the bank
            "account_holder",
            "Le nom du titulaire fait au plus 70 caractères (c’est la limite des banques).",
        ),
        (
            {"amount_choice": "libre", "free_amount": "3"},
            "free_amount",
            "Le montant libre est d’au moins 5,00\u00a0€ par mois.",
        ),
        (
            {"amount_choice": "libre", "free_amount": "9" * 400},
            "free_amount",
            "Le montant libre est d’au plus 1\u00a0000,00\u00a0€ par mois.",
        ),
        (
            {"amount_choice": "libre", "free_amount": "-5"},
            "free_amount",
            "Le montant libre est d’au moins 5,00\u00a0€ par mois.",
        ),
        (
            {"amount_choice": "libre", "free_amount": "12.50"},
            "free_amount",
            "Indiquez le montant libre en euros entiers, sans centimes.",
        ),
        (
            {"amount_choice": "\x00"},
            "amount_choice",
            "Choisissez l’un des montants proposés ou un autre montant.",
        ),
        (
            {"amount_choice": "999"},
            "amount_choice",
            "Choisissez l’un des montants proposés ou un autre montant.",
        ),
        ({"first_name": "Cam\x00ille"}, "first_name", "Le caractère nul n’est pas autorisé."),
        ({"iban": "FR76\x00"}, "iban", "Le caractère nul n’est pas autorisé."),
        (
            {"email": "a" * 300 + "@example.org"},
            "email",
            "Assurez-vous que cette valeur comporte au plus 254 caractères (actuellement 312).",
        ),
        (
            {"email": "a" * 64 + "@" + ("b" * 60 + ".") * 4 + "org"},
            "email",
            "Assurez-vous que cette valeur comporte au plus 254 caractères (actuellement 312).",
        ),
        (
            {"debit_day": "31"},
            "debit_day",
            "Sélectionnez un choix valide. 31 n’en fait pas partie.",
        ),
        (
            {"amount_choice": "libre", "free_amount": ""},
            "free_amount",
            "Indiquez le montant libre, en euros entiers.",
        ),
        (
            {"mandate_accepted": ""},
            "mandate_accepted",
            "Cochez cette case pour accepter le mandat de prélèvement.",
        ),
        (
            {"email": "pas-une-adresse"},
            "email",
            "Cette adresse e-mail n’est pas valide (exemple\u00a0: nom@exemple.fr).",
        ),
        ({"last_name": ""}, "last_name", "Indiquez votre nom."),
        (
            {"street": ""},
            "street",
            "Indiquez votre adresse\u00a0: elle figure sur votre reçu fiscal.",
        ),
        ({"iban": ""}, "iban", "Indiquez l’IBAN du compte à débiter."),
    ],
)
def test_bad_input_shows_the_error_next_to_its_field_and_creates_nothing(
    client, gift_data, django_capture_on_commit_callbacks, overrides, field, message
):
    data = gift_data(**overrides)
    response = submit(client, data, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    page = response.content.decode()
    assert f'<ul class="errorlist" id="id_{field}_error"><li>{escape(message)}</li></ul>' in page
    assert not Donor.objects.exists() and not Mandate.objects.exists()
    assert mail.outbox == []


def test_what_the_donor_typed_is_kept_after_an_error(
    client, gift_data, django_capture_on_commit_callbacks
):
    data = gift_data(iban="FR76 3000 6000 0112 3456 7890 188", street="3 allée des Tilleuls")
    page = submit(client, data, django_capture_on_commit_callbacks).content.decode()
    assert 'value="3 allée des Tilleuls"' in page
    assert 'aria-invalid="true"' in page
    assert 'aria-describedby="id_iban_helptext id_iban_error"' in page


def test_a_swiss_iban_with_a_bic_is_accepted(client, gift_data, django_capture_on_commit_callbacks):
    data = gift_data(iban="CH93 0076 2011 6238 5295 7", bic="POFICHBEXXX", country="CH")
    response = submit(client, data, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    mandate = Mandate.objects.get()
    assert mandate.iban == "CH9300762011623852957"
    assert mandate.bic == "POFICHBEXXX"


@pytest.mark.parametrize(
    ("iban", "bic", "country"),
    [
        ("AL47 2121 1009 0000 0002 3569 8741", "NCBAALTX", "AL"),
        ("ME25 5050 0001 2345 6789 51", "CKBCMEPG", "ME"),
        ("MD24 AG00 0225 1000 1310 4168", "AGRNMD2X", "MD"),
        ("MK07 2501 2000 0058 984", "KOBSMK2X", "MK"),
        ("RS35 2600 0560 1001 6113 79", "AIKBRS22", "RS"),
    ],
)
def test_an_account_in_a_new_sepa_member_is_accepted_with_its_bic(
    client, gift_data, django_capture_on_commit_callbacks, iban, bic, country
):
    data = gift_data(iban=iban, bic=bic, country=country)
    response = submit(client, data, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    mandate = Mandate.objects.get()
    assert (mandate.iban, mandate.bic) == (iban.replace(" ", ""), bic)


def test_the_bic_help_and_the_data_notice_name_the_countries_that_need_it(client, tiers):
    page = client.get("/don/").content.decode()
    for name in ["Albanie", "Monténégro", "Moldavie", "Macédoine du Nord", "Serbie", "Suisse"]:
        assert page.count(name) >= 2, name  # the BIC's help text and the data notice
    assert "votre adresse postale est aussi transmise à votre banque" in page


def test_a_holder_of_70_characters_is_accepted(
    client, gift_data, django_capture_on_commit_callbacks
):
    response = submit(
        client, gift_data(account_holder="A" * 70), django_capture_on_commit_callbacks
    )
    assert response.status_code == 302


# --- Success, double submit ---------------------------------------------------------


def test_a_valid_form_creates_a_pending_mandate_and_emails_the_confirmation_link(
    client, gift_data, django_capture_on_commit_callbacks
):
    response = submit(client, gift_data(), django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"].startswith("/don/envoye/?don=")
    mandate = Mandate.objects.get()
    assert mandate.state == Mandate.State.PENDING
    assert sepa.rum_is_valid(mandate.rum) and mandate.rum.startswith(f"DON-{mandate.pk:08d}-")
    assert mandate.iban == IBAN_FR
    assert mandate.iban_masked == "FR76 **** **** **** **** **** 189"
    assert mandate.debit_day == 15 and mandate.amount == 15
    assert mandate.donor.newsletter is False
    assert [event.kind for event in mandate.events.all()] == ["created"]
    (message,) = mail.outbox
    assert message.to == ["camille@example.org"]
    assert message.subject == "Confirmez votre don mensuel"
    assert confirm_link(message)
    assert IBAN_FR not in message.body and "FR76 **** **** **** **** **** 189" in message.body
    assert "Jour de prélèvement\u00a0: le 15 du mois" in message.body
    html = message.alternatives[0][0]
    assert "<li>Jour de prélèvement\u00a0: le 15 du mois</li>" in html and IBAN_FR not in html
    assert "Vérifiez" in client.get("/don/envoye/").content.decode()


def test_submitting_the_same_form_twice_creates_one_mandate(
    client, gift_data, django_capture_on_commit_callbacks
):
    data = gift_data()
    first = submit(client, data, django_capture_on_commit_callbacks)
    second = submit(client, data, django_capture_on_commit_callbacks)
    assert first["Location"].startswith("/don/envoye/?don=")
    assert second["Location"].startswith("/don/envoye/?don=")
    assert client.get(first["Location"]).content == client.get(second["Location"]).content
    assert Mandate.objects.count() == 1 and Donor.objects.count() == 1
    assert len(mail.outbox) == 1


def test_two_forms_give_two_mandates_with_different_references(
    client, gift_data, django_capture_on_commit_callbacks
):
    submit(client, gift_data(), django_capture_on_commit_callbacks)
    # Another gift (another amount): the same content within minutes would be a repeat.
    submit(client, gift_data(amount_choice="25"), django_capture_on_commit_callbacks)
    rums = list(Mandate.objects.values_list("rum", flat=True))
    assert len(rums) == 2 and len(set(rums)) == 2


def test_a_forged_idempotency_key_is_refused(client, gift_data, django_capture_on_commit_callbacks):
    response = submit(
        client, gift_data(idempotency_key="forged"), django_capture_on_commit_callbacks
    )
    assert response.status_code == 200
    assert not Mandate.objects.exists()


# --- Confirmation -------------------------------------------------------------------


def test_opening_the_link_alone_confirms_nothing_and_the_button_does(
    client, gift_data, django_capture_on_commit_callbacks
):
    submit(client, gift_data(), django_capture_on_commit_callbacks)
    link = confirm_link(mail.outbox[0])

    page = client.get(link)
    assert page.status_code == 200
    assert "Je confirme mon don mensuel" in page.content.decode()
    assert Mandate.objects.get().state == Mandate.State.PENDING

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link)
    mandate = Mandate.objects.get()
    assert mandate.state == Mandate.State.ACTIVE
    assert mandate.signed_at is not None
    today = timezone.localdate()
    assert mandate.first_debit_on == debit_calendar.first_debit_date(today, 15)
    assert response.status_code == 302 and response["Location"].startswith("/don/merci/")

    done = client.get(response["Location"]).content.decode()
    assert "Merci, votre don mensuel est confirmé" in done
    assert mandate.rum in done
    assert "FR76 **** **** **** **** **** 189" in done
    assert f"15,00{NBSP}€" in done and f"5,10{NBSP}€/mois" in done
    assert "Premier prélèvement de" in done
    assert IBAN_FR not in done


def test_the_confirmed_email_carries_the_summary_the_schedule_and_the_pdf(
    client, gift_data, django_capture_on_commit_callbacks
):
    submit(client, gift_data(), django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirm_link(mail.outbox[0]))
    mandate = Mandate.objects.get()
    message = mail.outbox[1]
    assert message.subject == "Votre don mensuel est confirmé"
    body = message.body
    assert f"Don mensuel\u00a0: 15,00{NBSP}€" in body
    assert f"5,10{NBSP}€/mois (réduction de 66 % pour les foyers imposables)" in body
    assert f"Référence unique du mandat (RUM)\u00a0: {mandate.rum}" in body
    assert "Compte débité\u00a0: FR76 **** **** **** **** **** 189" in body
    assert "Ce message vaut pré-notification" in body
    html = message.alternatives[0][0]
    assert (
        "<dt>Créancier</dt><dd>Victoires — section française (DÉMO), 1 rue de l&#x27;Exemple"
        in html
    )
    assert IBAN_FR not in html
    ((filename, content, mimetype),) = message.attachments
    assert filename == f"mandat-{mandate.rum}.pdf"
    assert mimetype == "application/pdf" and content.startswith(b"%PDF")
    assert IBAN_FR.encode() not in content


def test_confirming_twice_changes_nothing(client, gift_data, django_capture_on_commit_callbacks):
    submit(client, gift_data(), django_capture_on_commit_callbacks)
    link = confirm_link(mail.outbox[0])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link)
        client.post(link)
    assert len(mail.outbox) == 2
    assert MandateEvent.objects.filter(kind="confirmed").count() == 1


def test_a_wrong_token_shows_the_invalid_link_page(client, tiers):
    assert client.get("/don/confirmer/" + "0" * 64 + "/").status_code == 404
    assert client.post("/don/confirmer/" + "0" * 64 + "/").status_code == 404
    assert client.get("/don/merci/" + "0" * 64 + "/").status_code == 404


def test_the_link_is_random_stored_as_a_digest_and_replaced_by_a_resend(
    client, gift_data, django_capture_on_commit_callbacks
):
    submit(client, gift_data(), django_capture_on_commit_callbacks)
    mandate = Mandate.objects.get()
    first = confirm_link(mail.outbox[0]).rstrip("/").rsplit("/", 1)[1]
    (row,) = EmailToken.objects.filter(purpose="mandate")
    assert (row.target_model, row.target_id) == ("donations.mandate", str(mandate.pk))
    assert row.digest == token_digest(first) and first not in str(row.__dict__)
    # The task that sends the email makes the token: sent again, the old link dies.
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit(mandate_pending_email, mandate.pk)
    second = confirm_link(mail.outbox[1])
    assert not second.endswith(f"/{first}/")
    assert client.get(f"/don/confirmer/{first}/").status_code == 404
    assert client.get(second).status_code == 200


def test_a_link_expires_with_the_pending_mandate_after_7_days(
    client, gift_data, django_capture_on_commit_callbacks
):
    submit(client, gift_data(), django_capture_on_commit_callbacks)
    link = confirm_link(mail.outbox[0])
    with time_machine.travel(timezone.now() + timedelta(days=6, hours=23)):
        assert client.get(link).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        page = client.get(link)
        assert page.status_code == 404
        assert "Ce lien n’est plus valable" in page.content.decode()
        assert client.post(link).status_code == 404
    assert Mandate.objects.get().state == Mandate.State.PENDING


def test_rotating_the_secret_key_breaks_no_link_already_sent(
    client, gift_data, django_capture_on_commit_callbacks, settings
):
    submit(client, gift_data(), django_capture_on_commit_callbacks)
    link = confirm_link(mail.outbox[0])
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 50
    settings.SECRET_KEY_FALLBACKS = []
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link)
    assert response.status_code == 302
    assert Mandate.objects.get().state == Mandate.State.ACTIVE


def test_the_link_serves_once_and_a_second_press_shows_the_summary(
    client, gift_data, django_capture_on_commit_callbacks
):
    submit(client, gift_data(), django_capture_on_commit_callbacks)
    link = confirm_link(mail.outbox[0])
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(link)
        second = client.post(link)  # a double click
    assert first.status_code == second.status_code == 302
    assert "RUM" in client.get(second["Location"]).content.decode()
    assert "Votre mandat est déjà confirmé" in client.get(link).content.decode()
    # Spent: some minutes later the link leads nowhere.
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        page = client.get(link)
        assert page.status_code == 404
        assert "a déjà servi" in page.content.decode()


def test_the_summary_after_confirming_expires_and_then_shows_nothing_personal(
    client, gift_data, django_capture_on_commit_callbacks
):
    submit(
        client, gift_data(account_holder="Camille Martin-Ozil"), django_capture_on_commit_callbacks
    )
    with django_capture_on_commit_callbacks(execute=True):
        summary = client.post(confirm_link(mail.outbox[0]))["Location"]
    mandate = Mandate.objects.get()
    assert summary.startswith("/don/merci/")
    personal = [mandate.rum, "Camille Martin-Ozil", "FR76 **** **** **** **** **** 189"]
    page = client.get(summary).content.decode()
    assert all(text in page for text in personal)
    with time_machine.travel(timezone.now() + timedelta(minutes=59)):
        assert mandate.rum in client.get(summary).content.decode()
    with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1)):
        later = client.get(summary)
    assert later.status_code == 200
    text = later.content.decode()
    assert "Merci, votre don mensuel est confirmé" in text
    assert "cette page ne les montre plus" in text
    assert not any(part in text for part in [*personal, "15,00"])
    # A cancelled mandate's summary shows nothing either.
    fresh = summary_token(mandate)
    Mandate.objects.filter(pk=mandate.pk).update(state=Mandate.State.CANCELLED)
    assert mandate.rum not in client.get(f"/don/merci/{fresh}/").content.decode()


def test_the_english_form_sends_an_english_email(client, tiers, django_capture_on_commit_callbacks):
    page = client.get("/en/donate/")
    assert page.status_code == 200
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page.content.decode())[1]
    data = {
        "amount_choice": "10",
        "first_name": "Sam",
        "last_name": "Lee",
        "email": "sam@example.org",
        "street": "1 High Street",
        "postal_code": "SW1A 1AA",
        "city": "London",
        "country": "GB",
        "account_holder": "Sam Lee",
        "iban": "GB29 NWBK 6016 1331 9268 19",
        "bic": "NWBKGB2L",
        "debit_day": "5",
        "mandate_accepted": "on",
        "idempotency_key": key,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/donate/", data)
    assert response.status_code == 302
    assert Mandate.objects.get().donor.language == "en"
    assert mail.outbox[0].subject == "Confirm your monthly gift"
    assert "/en/" in mail.outbox[0].body
    # English punctuation: no space before a colon.
    assert "Monthly gift: €10.00" in mail.outbox[0].body
    assert " : " not in mail.outbox[0].body
    assert " : " not in mail.outbox[0].alternatives[0][0]
    link = re.search(r"http://testserver(/en/donate/confirm/[\w-]+/)", mail.outbox[0].body)
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(link.group(1))
    confirmed = mail.outbox[1]
    assert confirmed.subject == "Your monthly gift is confirmed"
    assert " : " not in confirmed.body and " : " not in confirmed.alternatives[0][0]
    assert " : " not in client.get(done["Location"]).content.decode()


# --- Personal data ------------------------------------------------------------------


def test_the_iban_is_encrypted_in_the_database_column(db):
    mandate = MandateFactory(iban="DE89370400440532013000")
    with connection.cursor() as cursor:
        cursor.execute("SELECT iban FROM donations_mandate WHERE id = %s", [mandate.pk])
        (raw,) = cursor.fetchone()
    assert "DE89370400440532013000" not in raw and "0532013000" not in raw
    assert raw.startswith("gAAAA")  # a Fernet token
    assert Mandate.objects.get(pk=mandate.pk).iban == "DE89370400440532013000"


def test_no_iban_reaches_the_logs_during_the_whole_flow(
    client, gift_data, django_capture_on_commit_callbacks, caplog
):
    caplog.set_level(logging.DEBUG)
    submit(
        client,
        gift_data(iban="FR76 3000 6000 0112 3456 7890 188"),
        django_capture_on_commit_callbacks,
    )
    submit(client, gift_data(), django_capture_on_commit_callbacks)
    link = confirm_link(mail.outbox[0])
    client.get(link)
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(link)
    client.get(done["Location"])
    client.get("/don/confirmer/" + "0" * 64 + "/")
    logged = "\n".join(
        [record.getMessage() for record in caplog.records]
        + [str(record.__dict__) for record in caplog.records]
    )
    for fragment in ["30006000011234567890189", "3000 6000 0112", "30006000011234567890188"]:
        assert fragment not in logged


def test_the_gift_view_hides_the_bank_details_from_error_reports(rf, tiers):
    request = rf.post("/don/", {"iban": IBAN_FR, "bic": "X", "first_name": "Camille"})
    request.session = SessionStore()
    gift(request)
    cleansed = SafeExceptionReporterFilter().get_post_parameters(request)
    assert cleansed["iban"] == "********************"
    assert cleansed["bic"] == "********************"
    # The donor's name and address are personal data too: nothing of the form is shown.
    assert cleansed["first_name"] == "********************"


def test_pending_mandates_older_than_7_days_are_deleted_with_their_iban(db):
    old = MandateFactory(state="pending", signed_at=None, first_debit_on=None)
    recent = MandateFactory(state="pending", signed_at=None, first_debit_on=None)
    active = MandateFactory()
    Mandate.objects.filter(pk__in=[old.pk, active.pk]).update(
        created_at=timezone.now() - timedelta(days=8)
    )
    call_command("purge_pending_mandates", stdout=io.StringIO())
    assert set(Mandate.objects.values_list("pk", flat=True)) == {recent.pk, active.pk}
    assert not Donor.objects.filter(pk=old.donor_id).exists()


def test_too_many_gift_forms_for_one_address_are_refused_with_a_french_message(
    client, gift_data, django_capture_on_commit_callbacks
):
    for amount in ("20", "21", "22", "23", "24"):
        data = gift_data(amount_choice="libre", free_amount=amount)
        submit(client, data, django_capture_on_commit_callbacks)
        # The same form again (back button) is not counted.
        submit(client, data, django_capture_on_commit_callbacks)
    response = submit(
        client,
        gift_data(amount_choice="libre", free_amount="30"),
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert (
        "Trop de demandes en peu de temps\u00a0: réessayez dans une heure."
        in response.content.decode()
    )
    assert 'value="Camille"' in response.content.decode()
    assert Mandate.objects.count() == 5 and len(mail.outbox) == 5


def test_an_error_deep_in_the_gift_flow_reports_no_bank_details(rf, tiers, monkeypatch):
    import sys

    from django.views.debug import ExceptionReporter

    from donations.forms import idempotency_key_new

    def broken(**_kwargs):
        raise RuntimeError("the reference service is down")

    monkeypatch.setattr("donations.services.sepa.rum_new", broken)
    data = {
        "amount_choice": "15",
        "first_name": "Camille",
        "last_name": "Martin",
        "email": "camille@example.org",
        "street": "12 rue des Lilas",
        "postal_code": "69003",
        "city": "Lyon",
        "country": "FR",
        "account_holder": "Camille Martin",
        "iban": "FR76 3000 6000 0112 3456 7890 189",
        "bic": "BNPAFRPP",
        "debit_day": "5",
        "mandate_accepted": "on",
        "idempotency_key": idempotency_key_new(),
    }
    request = rf.post("/don/", data, headers={"Sec-Fetch-Site": "same-origin"})
    request.session = SessionStore()

    def report_of(request) -> str:
        """The error report of the failing view, as the admins would receive it."""
        try:
            gift(request)
        except RuntimeError:
            reporter = ExceptionReporter(request, *sys.exc_info())
            return reporter.get_traceback_text() + reporter.get_traceback_html()
        return ""

    report = report_of(request)
    assert "the reference service is down" in report
    assert "mandate_create" in report  # the frames are there, their values hidden
    for secret in ["30006000011234567890189", "3000 6000 0112", "BNPAFRPP"]:
        assert secret not in report


def test_the_gift_pages_answer_only_the_methods_they_use(client, tiers):
    assert client.put("/don/").status_code == 405
    assert client.delete("/don/").status_code == 405
    assert client.post("/don/envoye/").status_code == 405
    assert client.post("/don/merci/abc/").status_code == 405
    assert client.head("/don/").status_code == 200


def test_a_purged_pending_mandates_reference_never_comes_back(
    client, gift_data, django_capture_on_commit_callbacks, monkeypatch
):
    submit(client, gift_data(), django_capture_on_commit_callbacks)
    purged = Mandate.objects.get()
    old_rum = purged.rum
    Mandate.objects.filter(pk=purged.pk).update(created_at=timezone.now() - timedelta(days=8))
    call_command("purge_pending_mandates", stdout=io.StringIO())
    assert not Mandate.objects.exists()
    # Even if the random part and the id drew the purged reference again ...
    drawn = iter([old_rum, "DON-00000099-NEWONE00"])
    monkeypatch.setattr("donations.services.sepa.rum_new", lambda pk: next(drawn))
    submit(client, gift_data(email="autre@example.org"), django_capture_on_commit_callbacks)
    # ... the new mandate gets another one: every reference given is kept.
    assert Mandate.objects.get().rum == "DON-00000099-NEWONE00"
    assert MandateReference.objects.filter(rum=old_rum).exists()


def test_after_an_error_the_tax_line_is_for_the_free_amount_typed(
    client, gift_data, django_capture_on_commit_callbacks
):
    data = gift_data(amount_choice="libre", free_amount="37", last_name="")
    page = submit(client, data, django_capture_on_commit_callbacks).content.decode()
    assert "<strong data-gift-net>12,58\u00a0€</strong>" in page
    assert 'name="free_amount" value="37"' in page


def test_a_tier_description_typed_by_staff_is_typeset_in_french(client):
    from tests.factories import TierFactory

    TierFactory(amount=Decimal("10"), description_fr="Finance l'envoi d'un dossier : urgent !")
    html = client.get("/don/").content.decode()
    assert "Finance l’envoi d’un dossier\u00a0: urgent\u00a0!" in html
    assert "Finance l'envoi" not in unescape(html)


def test_an_empty_gift_form_names_what_each_field_needs(client, db):
    response = client.post(reverse("donations:gift"), {}, HTTP_SEC_FETCH_SITE="same-origin")
    html = response.content.decode()
    assert "Ce champ est obligatoire" not in html
    for message in (
        "Choisissez un montant mensuel, ou indiquez un montant libre.",
        "Choisissez le jour du prélèvement.",
        "Indiquez l’IBAN du compte à débiter.",
        "Cochez cette case pour accepter le mandat de prélèvement.",
    ):
        assert message in unescape(html), message
