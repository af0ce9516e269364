"""One person across the apps: export, erasure, the journal, its replay, the register."""

import io
import json
import logging
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from core.models import PrivacyRequest
from core.personal_data import Period, declarations, person_erase, rule
from donations.models import Donor, Mandate
from petitions.models import Petition, Signature
from petitions.services import signature_confirm
from tests.factories import MandateFactory, PetitionFactory, SignatureFactory

pytestmark = pytest.mark.django_db

EMAIL = "Ana.Lopez@Exemple.fr"


@pytest.fixture
def person():
    """Ana signed two petitions (one confirmed, one pending) and gives 20 € a month."""
    first, second = PetitionFactory(), PetitionFactory()
    confirmed = SignatureFactory(petition=first, email=EMAIL, first_name="Ana", last_name="Lopez")
    signature_confirm(signature=confirmed)
    pending = SignatureFactory(petition=second, email=EMAIL.lower(), first_name="Ana")
    mandate = MandateFactory(
        donor__email=EMAIL, donor__first_name="Ana", donor__last_name="Lopez", amount=20
    )
    return {"petitions": (first, second), "signatures": (confirmed, pending), "mandate": mandate}


def _run(*args):
    out = io.StringIO()
    call_command("personal_data", *args, stdout=out)
    return out.getvalue()


def test_every_app_declares_itself_by_convention():
    labels = [d.app_label for d in declarations()]
    assert labels == ["core", "petitions", "donations"]
    assert all(d.rules for d in declarations())


def test_period_arithmetic_is_calendar_arithmetic():
    moment = timezone.make_aware(timezone.datetime(2024, 2, 29, 12, 0))
    assert Period(years=1).after(moment).date().isoformat() == "2025-02-28"
    assert Period(months=13).after(moment).date().isoformat() == "2025-03-29"
    assert Period(days=7).before(moment).date().isoformat() == "2024-02-22"
    assert str(Period(months=13)) == "13 mois"
    assert str(Period(years=3)) == "3 ans"


def test_export_is_one_json_document_across_apps(person):
    document = json.loads(_run("export", "ana.lopez@exemple.fr"))
    signatures = document["apps"]["petitions"]["signatures"]
    assert [s["petition"] for s in signatures] == [p.title for p in person["petitions"]]
    assert signatures[0]["confirmed_at"] and signatures[1]["confirmed_at"] is None
    donor = document["apps"]["donations"]["donors"][0]
    assert donor["last_name"] == "Lopez"
    assert donor["mandates"][0]["amount"] == "20.00"
    # The masked IBAN only: an export travels by email.
    assert donor["mandates"][0]["iban"] == "FR76 **** **** **** **** **** 189"
    assert "FR7630006000011234567890189" not in json.dumps(document)
    entry = PrivacyRequest.objects.get()
    assert entry.kind == "export" and entry.channel == "command"
    assert entry.summary["petitions"] == {"signatures": 2}
    assert "Lopez" not in json.dumps(entry.summary) and "exemple" not in json.dumps(entry.summary)


def test_erase_anonymises_keeps_what_the_law_requires_and_says_why(person):
    first, _second = person["petitions"]
    confirmed, pending = person["signatures"]
    out = _run("erase", EMAIL)

    confirmed.refresh_from_db()
    assert confirmed.email is None and confirmed.first_name == "" and confirmed.last_name == ""
    assert confirmed.country == "" and confirmed.anonymised_at is not None
    assert confirmed.petition_id == first.pk and confirmed.confirmed_at and confirmed.language
    assert not Signature.objects.filter(pk=pending.pk).exists()
    assert (
        Petition.objects.with_confirmed_total().get(pk=first.pk).confirmed_total == 1
    )  # the public count stays true

    mandate = Mandate.objects.get(pk=person["mandate"].pk)
    assert mandate.state == "cancelled"
    assert mandate.iban == "FR7630006000011234567890189"  # 13 months: proof of the mandate
    donor = mandate.donor
    assert donor.email == "" and donor.last_name == "Lopez" and donor.street
    assert "Mandat TEST-" in out and "arrêté" in out
    assert "gardé jusqu'au" in out and "L. 133-24" in out
    assert not Signature.objects.for_email(EMAIL).exists()
    assert not Donor.objects.filter(email__iexact=EMAIL).exists()

    entry = PrivacyRequest.objects.get()
    assert entry.kind == "erase"
    assert entry.erased_ids["petitions.signature"] == [confirmed.pk, pending.pk]
    assert entry.erased_ids["donations.donor"] == [donor.pk]
    assert "Lopez" not in json.dumps([entry.summary, entry.erased_ids])


def test_erase_then_retention_across_every_limit(person):
    donor_pk = person["mandate"].donor_id
    start = timezone.now()
    limit = Period(months=13).after(start)
    with time_machine.travel(start, tick=False) as clock:
        _run("erase", EMAIL)
        clock.move_to(limit - timedelta(hours=1))
        call_command("apply_retention", stdout=io.StringIO())
        assert Mandate.objects.get(pk=person["mandate"].pk).iban_masked != ""
        assert Donor.objects.get(pk=donor_pk).last_name == "Lopez"
        clock.move_to(limit + timedelta(hours=1))
        call_command("apply_retention", stdout=io.StringIO())
    mandate = Mandate.objects.get(pk=person["mandate"].pk)
    assert mandate.iban == "" and mandate.bic == "" and mandate.signature_place == ""
    assert mandate.amount == 20  # the gifts stay in the figures
    donor = Donor.objects.get(pk=donor_pk)
    assert donor.last_name == "" and donor.street == "" and donor.anonymised_at


def test_replay_redoes_erasures_after_a_backup_is_restored(person):
    confirmed, _pending = person["signatures"]
    before = timezone.now()
    person_erase(email=EMAIL, channel="command")
    # A backup taken before the erasure comes back: the rows are as they were.
    Signature.objects.filter(pk=confirmed.pk).update(
        email=EMAIL, first_name="Ana", last_name="Lopez", anonymised_at=None
    )
    Donor.objects.filter(pk=person["mandate"].donor_id).update(email=EMAIL)
    out = _run("replay", "--since", (before - timedelta(minutes=1)).isoformat())
    assert "Effacements rejoués : 1." in out
    assert not Signature.objects.for_email(EMAIL).exists()
    assert not Donor.objects.filter(email__iexact=EMAIL).exists()


def test_erasure_leaves_no_email_in_the_logs(person, caplog):
    caplog.set_level(logging.DEBUG)
    _run("erase", EMAIL)
    _run("export", EMAIL)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "ana.lopez" not in logged.lower()


def test_a_bad_command_line_is_a_clear_error():
    with pytest.raises(CommandError):
        _run("erase", "not-an-email")
    with pytest.raises(CommandError):
        _run("replay")


def test_the_committed_register_is_up_to_date():
    call_command("privacy_register", "--check")


def test_the_register_names_every_rule_and_processor():
    from core.management.commands.privacy_register import register_text

    text = register_text()
    for decl in declarations():
        for item in decl.rules:
            assert f"`{item.key}`" in text
    assert "`HOST_NAME`" in text and "`BANK_NAME`" in text and "L. 102 E" in text
    assert rule("petitions.signer-contact").period == Period(years=3)


def test_withdrawing_lowers_the_count_and_erasing_does_not():
    from petitions.services import signatures_erase

    petition = PetitionFactory()
    a, b = SignatureFactory(petition=petition), SignatureFactory(petition=petition)
    signature_confirm(signature=a)
    signature_confirm(signature=b)
    signatures_erase(signatures=Signature.objects.filter(pk=a.pk))
    person_erase(email=b.email, channel="command")
    assert Petition.objects.with_confirmed_total().get(pk=petition.pk).confirmed_total == 1
    assert Signature.objects.filter(petition=petition).confirmed().count() == 1
