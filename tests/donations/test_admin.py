import io
from datetime import date, timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from core.formats import format_date
from donations.models import GiftSettings, Mandate, MandateEvent, MandatePdfAccess
from tests.donations.conftest import IBAN_FR
from tests.factories import DonorFactory, MandateFactory

pytestmark = pytest.mark.django_db


def staff(username, group_name=None):
    user = get_user_model().objects.create_user(username=username, password="x", is_staff=True)
    if group_name:
        user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def dons_client(client):
    client.force_login(staff("dons", "Dons"))
    return client


def test_the_dons_group_has_every_donation_permission_and_nothing_else():
    codenames = set(
        Group.objects.get(name="Dons").permissions.values_list(
            "content_type__app_label", "codename"
        )
    )
    assert {app for app, _ in codenames} == {"donations"}
    assert ("donations", "view_mandate_pdf") in codenames
    assert ("donations", "change_mandate") in codenames
    assert ("donations", "view_donor") in codenames


@pytest.mark.parametrize(
    ("username", "group_name"), [("editeur", "Éditeurs"), ("mobilisation", "Mobilisation")]
)
def test_editors_and_mobilisation_staff_see_no_donor(client, username, group_name):
    mandate = MandateFactory(donor=DonorFactory(last_name="Dupontel"))
    client.force_login(staff(username, group_name))
    index = client.get("/admin/").content.decode()
    assert "Dons mensuels" not in index and "/admin/donations/" not in index
    for url in [
        "/admin/donations/donor/",
        f"/admin/donations/donor/{mandate.donor_id}/change/",
        "/admin/donations/mandate/",
        f"/admin/donations/mandate/{mandate.pk}/change/",
        f"/admin/donations/mandate/{mandate.pk}/pdf/",
    ]:
        response = client.get(url)
        assert response.status_code == 403, url
        assert b"Dupontel" not in response.content


def test_the_mandate_list_shows_the_iban_masked_only(dons_client):
    MandateFactory(donor=DonorFactory(last_name="Dupontel"))
    page = dons_client.get("/admin/donations/mandate/").content.decode()
    assert "Dupontel" in page
    assert "FR76 **** **** **** **** **** 189" in page
    assert IBAN_FR not in page and "3000 6000 0112" not in page


def test_the_mandate_form_never_shows_the_whole_iban(dons_client):
    mandate = MandateFactory()
    page = dons_client.get(f"/admin/donations/mandate/{mandate.pk}/change/").content.decode()
    assert "FR76 **** **** **** **** **** 189" in page
    assert IBAN_FR not in page and "3000 6000 0112" not in page
    donor_page = dons_client.get(f"/admin/donations/donor/{mandate.donor_id}/change/")
    assert IBAN_FR not in donor_page.content.decode()


def test_staff_search_and_filter_mandates(dons_client):
    a = MandateFactory(amount=10, donor=DonorFactory(last_name="Arnaud"))
    b = MandateFactory(amount=25, donor=DonorFactory(last_name="Bertin"))
    c = MandateFactory(amount=50, state="cancelled", donor=DonorFactory(last_name="Carel"))
    Mandate.objects.filter(pk=c.pk).update(first_debit_on="2027-02-05")

    def listed(query):
        response = dons_client.get("/admin/donations/mandate/" + query)
        return {m.pk for m in response.context["cl"].result_list}

    assert listed("?q=Bertin") == {b.pk}
    assert listed("?state__exact=active") == {a.pk, b.pk}
    assert listed("?montant=15-30") == {b.pk}
    assert listed("?montant=gte50") == {c.pk}
    assert listed("?debut=2027-02") == {c.pk}


def test_changing_the_amount_is_applied_14_days_later_and_the_donor_is_told(
    dons_client, django_capture_on_commit_callbacks
):
    mandate = MandateFactory(amount=15, debit_day=5)
    with django_capture_on_commit_callbacks(execute=True):
        response = dons_client.post(
            f"/admin/donations/mandate/{mandate.pk}/change/",
            {
                "amount": "20",
                "debit_day": "15",
                "change_note": "appel du donateur",
                "new_iban": "",
                "new_bic": "",
                "new_account_holder": "",
                "events-TOTAL_FORMS": "0",
                "events-INITIAL_FORMS": "0",
            },
        )
    assert response.status_code == 302
    mandate.refresh_from_db()
    today = timezone.localdate()
    assert mandate.amount == 15 and mandate.debit_day == 5  # not yet
    upcoming = mandate.terms_upcoming(today)
    assert [(t.amount, t.debit_day, t.effective_from) for t in upcoming] == [
        (Decimal("20.00"), 15, today + timedelta(days=14))
    ]
    assert upcoming[0].by.username == "dons"
    event = mandate.events.get(kind="changed")
    assert (event.old_amount, event.new_amount) == (15, 20)
    assert (event.old_debit_day, event.new_debit_day) == (5, 15)
    assert event.by.username == "dons" and event.note == "appel du donateur"
    effective = format_date(today + timedelta(days=14), "day", "fr")
    page = dons_client.get(response["Location"]).content.decode()
    assert f"La modification prendra effet le {effective}\u00a0; le donateur est prévenu." in page
    change_page = dons_client.get(f"/admin/donations/mandate/{mandate.pk}/change/")
    assert f"20,00\u00a0€, le 15 du mois, à partir du {effective}" in change_page.content.decode()
    (message,) = mail.outbox
    assert message.subject == "Modification de votre don mensuel"
    assert (
        "Don mensuel\u00a0: 20,00\u00a0€ (6,80\u00a0€/mois après réduction d’impôt)" in message.body
    )
    assert "Jour de prélèvement\u00a0: le 15 du mois" in message.body

    call_command("apply_mandate_changes", stdout=io.StringIO())
    mandate.refresh_from_db()
    assert mandate.amount == 15  # the date has not come
    from donations.services import mandate_changes_apply

    assert mandate_changes_apply(today=today + timedelta(days=14)) == 1
    mandate.refresh_from_db()
    assert (mandate.amount, mandate.debit_day) == (Decimal("20.00"), 15)
    assert mandate.terms_upcoming(today + timedelta(days=14)) == []
    assert list(mandate.events.values_list("kind", flat=True)) == ["changed", "applied"]


def test_a_new_bank_account_is_an_amendment_kept_in_the_history(dons_client):
    mandate = MandateFactory(sequence_type="RCUR")
    response = dons_client.post(
        f"/admin/donations/mandate/{mandate.pk}/change/",
        {
            "amount": "15",
            "debit_day": "5",
            "new_iban": "de89 3704 0044 0532 0130 00",
            "new_bic": "",
            "new_account_holder": "Camille et Alex Martin",
            "change_note": "",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    mandate.refresh_from_db()
    assert mandate.iban == "DE89370400440532013000"
    assert mandate.iban_masked == "DE89 **** **** **** ***0 00"
    assert mandate.account_holder == "Camille et Alex Martin"
    assert mandate.sequence_type == "RCUR"  # no new FRST since the 2016 rulebook
    amendment = mandate.amendments.get()
    assert amendment.old_iban == IBAN_FR and amendment.other_bank
    event = mandate.events.get()
    assert event.kind == "bank_changed"
    assert event.old_iban_masked == "FR76 **** **** **** **** **** 189"
    assert event.new_iban_masked == "DE89 **** **** **** ***0 00"


def test_a_wrong_new_iban_is_refused_in_the_admin(dons_client):
    mandate = MandateFactory()
    response = dons_client.post(
        f"/admin/donations/mandate/{mandate.pk}/change/",
        {
            "amount": "15",
            "debit_day": "5",
            "new_iban": "FR76 3000 6000 0112 3456 7890 188",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "la clé de contrôle ne correspond pas" in response.content.decode()
    mandate.refresh_from_db()
    assert mandate.iban == IBAN_FR


@pytest.mark.parametrize("amount", ["0", "-5"])
def test_a_zero_or_negative_amount_is_refused_next_to_its_field(dons_client, amount):
    mandate = MandateFactory()
    response = dons_client.post(
        f"/admin/donations/mandate/{mandate.pk}/change/",
        {
            "amount": amount,
            "debit_day": "5",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "amount": ["Le montant mensuel doit être supérieur à zéro."]
    }
    assert not MandateEvent.objects.filter(mandate=mandate).exists()


def test_cancelling_a_mandate_asks_why_then_records_who_cancels_its_debits_and_tells_the_donor(
    dons_client, django_capture_on_commit_callbacks, mailoutbox
):
    from donations.models import Debit

    mandate = MandateFactory()
    selection = {"action": "cancel_mandates", "_selected_action": [mandate.pk]}
    page = dons_client.post("/admin/donations/mandate/", selection)
    assert page.status_code == 200
    assert "Annuler 1 mandat\u00a0?" in page.content.decode()
    mandate.refresh_from_db()
    assert mandate.state == "active"  # nothing happens before the confirmation
    without_reason = dons_client.post("/admin/donations/mandate/", {**selection, "confirm": "yes"})
    assert without_reason.status_code == 200
    assert without_reason.context["form"].errors["reason"]
    mandate.refresh_from_db()
    assert mandate.state == "active"

    debit = Debit.objects.create(
        mandate=mandate,
        month=date(2030, 1, 1),
        due_on=date(2030, 1, 5),
        amount=mandate.amount,
        sequence_type="RCUR",
        end_to_end_id="E2E-TEST-1",
        remittance="Don mensuel",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = dons_client.post(
            "/admin/donations/mandate/",
            {**selection, "confirm": "yes", "reason": "Appel du donateur le 3 mars"},
        )
    assert response.status_code == 302
    mandate.refresh_from_db()
    assert mandate.state == "cancelled" and mandate.cancelled_at is not None
    event = MandateEvent.objects.filter(mandate=mandate, kind="cancelled").get()
    assert event.note == "Appel du donateur le 3 mars"
    assert event.by.username == "dons"
    debit.refresh_from_db()
    assert debit.status == "cancelled" and debit.cancelled_at is not None
    assert [m.subject for m in mailoutbox] == ["Votre don mensuel est arrêté"]
    assert mailoutbox[0].to == [mandate.donor.email]


def test_the_signed_mandate_pdf_is_served_to_the_dons_group_only(dons_client):
    mandate = MandateFactory()
    response = dons_client.get(f"/admin/donations/mandate/{mandate.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF")


def test_each_opening_of_the_full_iban_pdf_is_recorded_with_who_and_when(dons_client):
    mandate = MandateFactory(iban=IBAN_FR)
    before = timezone.now()
    for _ in range(2):
        assert dons_client.get(f"/admin/donations/mandate/{mandate.pk}/pdf/").status_code == 200
    accesses = list(MandatePdfAccess.objects.order_by("pk"))
    assert len(accesses) == 2
    for access in accesses:
        assert (access.mandate, access.rum) == (mandate, mandate.rum)
        assert (access.by.username, access.by_username) == ("dons", "dons")
        assert before <= access.at <= timezone.now()
    # Nothing of the account in the line: neither the IBAN nor its masked form.
    row = str(MandatePdfAccess.objects.filter(pk=accesses[0].pk).values().get())
    assert IBAN_FR not in row and IBAN_FR[-3:] + "'" not in row and "FR76" not in row


def test_a_refused_pdf_records_nothing(client):
    mandate = MandateFactory()
    client.force_login(staff("editeur", "Éditeurs"))
    assert client.get(f"/admin/donations/mandate/{mandate.pk}/pdf/").status_code == 403
    assert not MandatePdfAccess.objects.exists()


def test_the_openings_stay_listed_after_the_mandate_and_the_account_are_gone(
    dons_client, admin_client
):
    mandate = MandateFactory(state="pending")
    rum = mandate.rum
    dons_client.get(f"/admin/donations/mandate/{mandate.pk}/pdf/")
    mandate.delete()
    get_user_model().objects.get(username="dons").delete()
    page = admin_client.get("/admin/donations/mandatepdfaccess/")
    assert page.status_code == 200
    text = page.content.decode()
    assert rum in text and "dons" in text


def test_the_openings_are_listed_for_those_given_the_permission_only(dons_client, client):
    mandate = MandateFactory()
    dons_client.get(f"/admin/donations/mandate/{mandate.pk}/pdf/")
    # The Dons group opens the PDFs; it does not read who opened them.
    assert dons_client.get("/admin/donations/mandatepdfaccess/").status_code == 403
    auditor = staff("controle")
    auditor.user_permissions.add(Permission.objects.get(codename="view_mandatepdfaccess"))
    client.force_login(auditor)
    page = client.get("/admin/donations/mandatepdfaccess/")
    assert page.status_code == 200 and mandate.rum in page.content.decode()
    access = MandatePdfAccess.objects.get()
    detail = client.get(f"/admin/donations/mandatepdfaccess/{access.pk}/change/")
    assert detail.status_code == 200
    assert IBAN_FR not in detail.content.decode()
    assert client.post(f"/admin/donations/mandatepdfaccess/{access.pk}/delete/").status_code == 403


def test_the_pdf_needs_a_login(client):
    mandate = MandateFactory()
    response = client.get(f"/admin/donations/mandate/{mandate.pk}/pdf/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_staff_change_the_tax_rate_and_the_free_amount_limits(dons_client, tiers):
    response = dons_client.get("/admin/donations/giftsettings/")
    assert response.status_code == 302
    page = dons_client.get(response["Location"])
    assert page.status_code == 200
    dons_client.post(
        response["Location"],
        {"tax_rate_percent": "75", "free_amount_min": "10", "free_amount_max": "500"},
    )
    home = dons_client.get("/").content.decode()
    assert "réduction d’impôts de 75&nbsp;%" in home
    assert "<strong data-gift-net>3,75\u00a0€</strong>" in home


@pytest.mark.parametrize("typed", ["50", "0.66", "0,75", "100", ""])
def test_only_the_rates_the_law_knows_are_accepted(dons_client, typed):
    url = dons_client.get("/admin/donations/giftsettings/")["Location"]
    page = dons_client.get(url).content.decode()
    assert "Taux de réduction d" in page and "1\u00a0000,00\u00a0€" in page
    response = dons_client.post(
        url, {"tax_rate_percent": typed, "free_amount_min": "5", "free_amount_max": "1000"}
    )
    assert response.status_code == 200
    assert "66\u00a0% ou 75\u00a0%" in response.content.decode() or typed == ""
    assert GiftSettings.load().tax_rate == Decimal("0.66")


def test_a_change_of_the_tax_rate_is_kept_in_the_history(dons_client):
    from reversion.models import Version

    url = dons_client.get("/admin/donations/giftsettings/")["Location"]
    dons_client.post(
        url, {"tax_rate_percent": "75", "free_amount_min": "5", "free_amount_max": "1000"}
    )
    settings_row = GiftSettings.load()
    assert settings_row.tax_rate == Decimal("0.75")
    versions = Version.objects.get_for_object(settings_row)
    assert versions.count() == 1
    assert versions[0].revision.user.username == "dons"
    assert versions[0].field_dict["tax_rate"] == Decimal("0.75")


def test_the_mandate_list_runs_a_fixed_number_of_queries(
    dons_client, django_assert_max_num_queries
):
    for _ in range(3):
        MandateFactory()
    with django_assert_max_num_queries(12):
        dons_client.get("/admin/donations/mandate/")
    for _ in range(10):
        MandateFactory()
    with django_assert_max_num_queries(12):
        dons_client.get("/admin/donations/mandate/")


def test_the_mandate_form_hides_the_new_bank_details_from_error_reports(rf, admin_user):
    from django.contrib import admin

    from donations.admin import MandateAdmin

    mandate = MandateFactory()
    request = rf.get(f"/admin/donations/mandate/{mandate.pk}/change/")
    request.user = admin_user
    MandateAdmin(Mandate, admin.site).changeform_view(request, str(mandate.pk))
    assert set(request.sensitive_post_parameters) == {"new_iban", "new_bic", "new_account_holder"}


def test_a_second_default_tier_is_refused_with_a_french_message(dons_client, tiers):
    response = dons_client.post(
        "/admin/donations/tier/add/",
        {
            "amount": "30",
            "description_fr": "",
            "description_en": "",
            "order": "5",
            "is_default": "on",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "is_default": [
            "Un seul palier peut être proposé par défaut\u00a0: c’est déjà celui de 15,00\u00a0€. "
            "Décochez-le d’abord."
        ]
    }


def test_a_tier_is_named_by_its_amount_written_the_french_way(dons_client, tiers):
    page = dons_client.get(f"/admin/donations/tier/{tiers[0].pk}/change/").content.decode()
    assert "<h2>10,00\u00a0€</h2>" in page


def test_a_cancelled_mandate_takes_no_new_bank_account(dons_client):
    mandate = MandateFactory(state="cancelled")
    response = dons_client.post(
        f"/admin/donations/mandate/{mandate.pk}/change/",
        {
            "amount": "15",
            "debit_day": "5",
            "new_iban": "DE89 3704 0044 0532 0130 00",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "Un mandat en attente, caduc ou annulé ne peut pas être modifié." in (
        response.content.decode()
    )
    mandate.refresh_from_db()
    assert mandate.iban == IBAN_FR and not mandate.events.exists()


def test_the_mandate_form_shown_again_after_an_error_does_not_print_the_new_iban(dons_client):
    mandate = MandateFactory()
    response = dons_client.post(
        f"/admin/donations/mandate/{mandate.pk}/change/",
        {
            "amount": "-5",
            "debit_day": "5",
            "new_iban": "DE89 3704 0044 0532 0130 00",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Le montant mensuel doit être supérieur à zéro." in page
    assert "0532 0130" not in page and "0532013000" not in page
    assert 'name="new_iban"' in page


def test_the_bulk_delete_action_cannot_erase_a_signed_mandate(dons_client):
    active = MandateFactory()
    pending = MandateFactory(state="pending", signed_at=None, first_debit_on=None)
    response = dons_client.post(
        "/admin/donations/mandate/",
        {
            "action": "delete_selected",
            "_selected_action": [active.pk, pending.pk],
            "post": "yes",
        },
    )
    assert response.status_code in (200, 403)
    assert Mandate.objects.filter(pk=active.pk).exists()


def test_staff_are_warned_that_a_new_members_bank_may_not_take_debits_yet(dons_client):
    mandate = MandateFactory(iban="RS35260005601001611379", bic="AIKBRS22")
    page = unescape(
        dons_client.get(f"/admin/donations/mandate/{mandate.pk}/change/").content.decode()
    )
    assert "Compte d’un pays entré récemment dans la zone SEPA (Serbie, en mai 2025)" in page
    french = MandateFactory()
    page = dons_client.get(f"/admin/donations/mandate/{french.pk}/change/").content.decode()
    assert "entré récemment dans la zone SEPA" not in page


def test_banking_words_are_explained_where_the_dons_team_meets_them(dons_client):
    mandate = MandateFactory(state="active")
    page = unescape(
        dons_client.get(f"/admin/donations/mandate/{mandate.pk}/change/").content.decode()
    )
    assert "Référence unique du mandat\u00a0: le numéro qui désigne ce mandat" in page
    assert "FRST (de l’anglais «\u00a0first\u00a0») pour le premier prélèvement" in page or (
        "FRST (de l’anglais «\u00a0first\u00a0») pour le premier prélèvement" in page
    )
    settings_page = unescape(
        dons_client.get("/admin/donations/giftsettings/add/", follow=True).content.decode()
    )
    assert (
        "Identifiant créancier SEPA (ICS)\u00a0: le numéro que la Banque de France" in settings_page
    )
    assert "FR72ZZZ123456 (identifiant de démonstration" in settings_page
    new_file = unescape(dons_client.get("/admin/donations/debitbatch/add/").content.decode())
    assert "ICS, ici FR72ZZZ123456" in new_file
    assert "FRST (premier prélèvement du mandat) ou RCUR (prélèvement suivant)" in new_file
