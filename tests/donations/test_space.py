"""The donor's part of the personal space: change, pause, cancel, new account, address,
documents. Every change is the donor's own, recorded in the mandate's history."""

import io
import re
from datetime import date, timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from donations import services
from donations.models import Donor, Mandate, MandateAmendment, MandateEvent, MandateTerms
from tests.donations.test_receipts import collect, months
from tests.factories import MandateFactory

pytestmark = pytest.mark.django_db

EMAIL = "ana@exemple.fr"
NEW_IBAN = "DE89370400440532013000"


def text(response) -> str:
    """The page as read: entities decoded, apostrophes curled, no-break spaces as spaces."""
    page = unescape(response.content.decode()).replace("'", "’")
    return page.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.fixture
def mandate():
    return MandateFactory(donor__email="Ana@Exemple.fr", donor__first_name="Ana", amount=20)


@pytest.fixture
def space(space_open, mandate):
    return space_open(EMAIL)


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_the_space_shows_the_mandate_and_what_can_be_done(space, mandate):
    page = text(space.get("/don/mon-don/"))
    assert mandate.rum in page and "20,00 €" in page
    for action in ("Modifier le montant ou le jour", "Mettre en pause", "Arrêter mon don mensuel"):
        assert action in page


def test_changing_the_amount_waits_the_14_day_notice_and_is_emailed(space, mandate, commit):
    with commit():
        response = space.post(
            f"/don/mon-don/mandat/{mandate.pk}/modifier/", {"amount": "35", "debit_day": "15"}
        )
    assert response.status_code == 302
    terms = MandateTerms.objects.filter(mandate=mandate).latest("effective_from")
    assert (terms.amount, terms.debit_day) == (Decimal("35"), 15)
    assert terms.effective_from == timezone.localdate() + timedelta(days=14)
    mandate.refresh_from_db()
    assert mandate.amount == Decimal("20")  # not before the notice
    event = MandateEvent.objects.get(mandate=mandate, kind="changed")
    assert event.actor == "donor"
    assert [m.to for m in mail.outbox] == [["Ana@Exemple.fr"]]
    assert "À partir du" in text(space.get("/don/mon-don/"))


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("abc", "Indiquez le montant libre en euros entiers, sans centimes."),
        ("2", "Le montant libre est d’au moins 5,00 € par mois."),
        ("", "Indiquez le montant mensuel, en euros entiers."),
    ],
)
def test_a_bad_amount_is_a_french_message_and_changes_nothing(space, mandate, amount, message):
    response = space.post(
        f"/don/mon-don/mandat/{mandate.pk}/modifier/", {"amount": amount, "debit_day": "5"}
    )
    assert response.status_code == 200
    assert message in text(response)
    assert MandateTerms.objects.filter(mandate=mandate).count() == 1


def test_a_pause_of_two_months_is_emailed_and_ends_by_itself(space, mandate, commit):
    with commit():
        response = space.post(f"/don/mon-don/mandat/{mandate.pk}/pause/", {"months": "2"})
    assert response.status_code == 302
    mandate.refresh_from_db()
    assert mandate.state == "paused"
    (message,) = mail.outbox
    assert message.subject == "Votre don mensuel est en pause"
    assert "aucun prélèvement jusqu’au" in message.body
    assert mandate.paused_until > timezone.localdate() + timedelta(days=55)
    assert MandateEvent.objects.get(mandate=mandate, kind="paused").actor == "donor"
    services.mandates_pause_end(today=mandate.paused_until - timedelta(days=1))
    mandate.refresh_from_db()
    assert mandate.state == "paused"
    call_command("apply_mandate_changes", stdout=io.StringIO())
    assert Mandate.objects.get(pk=mandate.pk).state == "paused"
    services.mandates_pause_end(today=mandate.paused_until)
    mandate.refresh_from_db()
    assert (mandate.state, mandate.paused_until) == ("active", None)


def test_a_pause_is_one_to_three_months(space, mandate):
    response = space.post(f"/don/mon-don/mandat/{mandate.pk}/pause/", {"months": "6"})
    assert "Choisissez la durée de la pause : 1, 2 ou 3 mois." in text(response)
    assert Mandate.objects.get(pk=mandate.pk).state == "active"


def test_cancelling_asks_for_the_box_then_stops_the_gift_and_emails(space, mandate, commit):
    refused = space.post(f"/don/mon-don/mandat/{mandate.pk}/arreter/", {})
    assert "Cochez cette case pour arrêter votre don mensuel." in text(refused)
    with commit():
        space.post(f"/don/mon-don/mandat/{mandate.pk}/arreter/", {"sure": "on"})
    mandate.refresh_from_db()
    assert mandate.state == "cancelled"
    event = MandateEvent.objects.get(mandate=mandate, kind="cancelled")
    assert event.actor == "donor"
    assert len(mail.outbox) == 1


def test_a_new_account_needs_the_mandate_accepted_again(space, mandate):
    url = f"/don/mon-don/mandat/{mandate.pk}/compte/"
    page = text(space.get(url))
    assert "Mandat de prélèvement SEPA" in page and mandate.rum in page
    refused = space.post(url, {"account_holder": "Ana Lopez", "iban": NEW_IBAN})
    assert "Cochez cette case pour accepter le mandat de prélèvement." in text(refused)
    bad = space.post(
        url, {"account_holder": "Ana Lopez", "iban": "FR76 0000", "mandate_accepted": "on"}
    )
    assert "Cet IBAN" in text(bad)
    assert not MandateAmendment.objects.exists()
    space.post(url, {"account_holder": "Ana Lopez", "iban": NEW_IBAN, "mandate_accepted": "on"})
    amendment = MandateAmendment.objects.get(mandate=mandate)
    assert amendment.other_bank and amendment.new_iban_masked.startswith("DE89")
    assert MandateEvent.objects.get(mandate=mandate, kind="bank_changed").actor == "donor"


def test_the_postal_address_changes_at_once_and_the_email_once_confirmed(space, mandate, commit):
    data = {
        "email": "ana.nouvelle@exemple.fr",
        "street": "3 rue Neuve",
        "postal_code": "13001",
        "city": "Marseille",
        "country": "FR",
    }
    bad = space.post("/don/mon-don/coordonnees/", {**data, "postal_code": ""})
    assert "Indiquez votre code postal." in text(bad)
    with commit():
        assert space.post("/don/mon-don/coordonnees/", data).status_code == 302
    donor = Donor.objects.get(pk=mandate.donor_id)
    assert (donor.email, donor.city) == ("Ana@Exemple.fr", "Marseille")  # not yet
    (message,) = mail.outbox
    assert message.to == ["ana.nouvelle@exemple.fr"]
    link = re.search(r"http://testserver(/don/mon-don/nouvelle-adresse/\S+/)", message.body)[1]
    assert "Confirmer ma nouvelle adresse" in text(space.get(link))
    assert Donor.objects.get(pk=mandate.donor_id).email == "Ana@Exemple.fr"  # a GET changes nothing
    assert space.post(link).status_code == 200
    assert Donor.objects.get(pk=mandate.donor_id).email == "ana.nouvelle@exemple.fr"
    assert mandate.rum in text(space.get("/don/mon-don/"))  # the space follows
    assert space.post(link).status_code == 404  # once


def test_the_signed_mandate_and_the_receipts_download(space, mandate):
    pdf = space.get(f"/don/mon-don/mandat/{mandate.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    collect(mandate, *months(2025, 1, 2))
    services.receipts_issue(year=2025, today=date(2026, 1, 15), send=False)
    receipt = mandate.donor.receipts.get()
    assert receipt.number in text(space.get("/don/mon-don/"))
    download = space.get(f"/don/mon-don/recu/{receipt.pk}/")
    assert download.content.startswith(b"%PDF")


def test_nobody_reaches_another_donors_mandate(space):
    other = MandateFactory()
    for url in (
        f"/don/mon-don/mandat/{other.pk}/modifier/",
        f"/don/mon-don/mandat/{other.pk}/pdf/",
    ):
        assert space.get(url).status_code == 404
    assert space.post(f"/don/mon-don/mandat/{other.pk}/arreter/", {"sure": "on"}).status_code == 404
    assert Mandate.objects.get(pk=other.pk).state == "active"


def test_the_dons_team_sees_what_donors_changed_themselves(space, mandate):
    from tests.clients import SecondFactorClient
    from tests.donations.test_debits_admin import staff

    space.post(f"/don/mon-don/mandat/{mandate.pk}/modifier/", {"amount": "35", "debit_day": "5"})
    space.post(f"/don/mon-don/mandat/{mandate.pk}/pause/", {"months": "1"})
    team = SecondFactorClient()
    team.force_login(staff("dons", "Dons"))
    page = text(team.get("/admin/donations/debit/tableau/"))
    assert "Changements faits par les donateurs (30 derniers jours)" in page
    assert mandate.rum in page
    assert "montant ou jour modifié : 20,00 € → 35,00 €" in page
    assert "mis en pause" in page


def test_every_page_of_the_open_space_is_valid_html(space, mandate, vnu):
    from petitions.services import signature_confirm
    from tests.factories import SignatureFactory

    signature_confirm(signature=SignatureFactory(email=EMAIL))
    collect(mandate, *months(2025, 1, 2))
    services.receipts_issue(year=2025, today=date(2026, 1, 15), send=False)
    services.mandate_change(mandate=mandate, amount=Decimal("30"))
    documents = {}
    for prefix in ("", "/en"):
        base = f"{prefix}/don/mon-don/" if not prefix else "/en/donate/my-gift/"
        mandate_base = base + ("mandat/" if not prefix else "mandate/") + f"{mandate.pk}/"
        pages = [
            base,
            mandate_base + ("modifier/" if not prefix else "change/"),
            mandate_base + "pause/",
            mandate_base + ("arreter/" if not prefix else "stop/"),
            mandate_base + ("compte/" if not prefix else "account/"),
            base + ("coordonnees/" if not prefix else "contact-details/"),
            base + ("effacer/" if not prefix else "erase/"),
        ]
        for path in pages:
            response = space.get(path)
            assert response.status_code == 200, path
            documents[path] = response.content.decode()
        bad = space.post(mandate_base + ("modifier/" if not prefix else "change/"), {"amount": "x"})
        documents[f"POST {prefix} change"] = bad.content.decode()
    from core.tokens import token_issue

    raw = token_issue(
        purpose=services.EMAIL_CHANGE, target=f"{mandate.donor_id}|ana2@exemple.fr", hours=1
    )
    documents["new address"] = space.get(f"/don/mon-don/nouvelle-adresse/{raw}/").content.decode()
    errors = vnu(documents)
    assert not errors, errors


def test_erasing_either_address_drops_a_new_address_waiting_for_confirmation(space, mandate):
    from core.models import EmailToken
    from core.personal_data import person_erase

    services.donor_email_change_request(donor=mandate.donor, email="ana2@exemple.fr")
    person_erase(email="ana2@exemple.fr", channel="command")
    assert not EmailToken.objects.filter(purpose=services.EMAIL_CHANGE).exists()
    services.donor_email_change_request(donor=mandate.donor, email="ana2@exemple.fr")
    person_erase(email=EMAIL, channel="command")
    assert not EmailToken.objects.filter(purpose=services.EMAIL_CHANGE).exists()
