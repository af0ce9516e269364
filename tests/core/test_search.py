"""Forgiving admin search: accents, case and « ı » ignored, on SQLite and PostgreSQL alike
(CI runs this file on PostgreSQL, `make test` on SQLite)."""

import pytest
from django.urls import reverse

from core.search import fold, search_text_refresh
from petitions.models import Signature
from tests.factories import CaseFactory, DonorFactory, MandateFactory, SignatureFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Taner Kılıç", "taner kilic"),
        ("Égypte", "egypte"),
        ("ÉLODIE  Bø", "elodie bo"),
        ("Straße", "strasse"),
        (None, ""),
    ],
)
def test_fold_drops_accents_case_and_dotless_i(text, folded):
    assert fold(text) == folded


def found(admin_client, url_name, term):
    response = admin_client.get(reverse(url_name), {"q": term})
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def test_kilic_and_egypte_find_the_cases(admin_client):
    taner = CaseFactory(name="Taner Kılıç", slug="taner-kilic", country="TR")
    egypt = CaseFactory(name="Alaa Abd El-Fattah", slug="alaa", country="EG")
    assert found(admin_client, "admin:cases_case_changelist", "kilic") == [taner]
    assert found(admin_client, "admin:cases_case_changelist", "KILIÇ") == [taner]
    assert found(admin_client, "admin:cases_case_changelist", "egypte") == [egypt]
    assert found(admin_client, "admin:cases_case_changelist", "Egypt") == [egypt]
    assert found(admin_client, "admin:cases_case_changelist", "turquie taner") == [taner]
    assert found(admin_client, "admin:cases_case_changelist", "norvege") == []


def test_elodie_finds_the_signer_the_donor_and_her_mandate(admin_client):
    signature = SignatureFactory(first_name="Élodie", last_name="Durand")
    SignatureFactory(first_name="Camille")
    donor = DonorFactory(first_name="ÉLODIE", last_name="Müller")
    mandate = MandateFactory(donor=donor)
    MandateFactory()
    assert found(admin_client, "admin:petitions_signature_changelist", "elodie") == [signature]
    assert found(admin_client, "admin:donations_donor_changelist", "elodie muller") == [donor]
    assert found(admin_client, "admin:donations_mandate_changelist", "elodie") == [mandate]
    assert found(admin_client, "admin:donations_mandate_changelist", mandate.rum.lower()) == [
        mandate
    ]


def test_a_change_keeps_the_folded_text_and_an_update_is_refreshed():
    signature = SignatureFactory(first_name="Élodie")
    signature.first_name = "Zoé"
    signature.save(update_fields=["first_name"])
    assert "zoe" in Signature.objects.get(pk=signature.pk).search_text
    Signature.objects.filter(pk=signature.pk).update(first_name="Anaïs")
    assert search_text_refresh(Signature.objects.all()) == 1
    assert "anais" in Signature.objects.get(pk=signature.pk).search_text


def test_anonymised_signers_and_donors_leave_no_name_in_the_search_text():
    from django.utils import timezone

    from donations.models import Donor
    from donations.privacy import donor_anonymise
    from petitions.services import signature_confirm, signatures_anonymise

    signature = SignatureFactory(first_name="Élodie", last_name="Durand")
    signature_confirm(signature=signature)
    signatures_anonymise(signatures=Signature.objects.filter(pk=signature.pk), now=timezone.now())
    assert Signature.objects.get(pk=signature.pk).search_text == ""
    donor = DonorFactory(first_name="Élodie")
    donor_anonymise(donor, now=timezone.now())
    assert Donor.objects.get(pk=donor.pk).search_text == ""
