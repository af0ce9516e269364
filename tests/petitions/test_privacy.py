"""The petitions' declaration: export, erase, and the retention rules with the clock moved."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from core.personal_data import declaration, retention_apply
from petitions.models import Petition, Signature
from petitions.privacy import SIGNER_CONTACT, UNCONFIRMED
from petitions.services import signature_confirm
from tests.factories import PetitionFactory, SignatureFactory

pytestmark = pytest.mark.django_db


def _confirmed(**kwargs):
    signature = SignatureFactory(**kwargs)
    signature_confirm(signature=signature)
    signature.refresh_from_db()
    return signature


def test_export_and_erase_through_the_declaration():
    decl = declaration("petitions")
    a = _confirmed(email="lea@exemple.fr")
    b = _confirmed(email="LEA@exemple.fr ".strip())
    assert len(decl.export("Lea@Exemple.fr")["signatures"]) == 2
    result = decl.erase("lea@exemple.fr", now=timezone.now())
    assert result.counts == {"anonymised": 2, "deleted": 0}
    assert decl.export("lea@exemple.fr") == {"signatures": []}
    for petition in (a.petition, b.petition):
        assert Petition.objects.with_confirmed_total().get(pk=petition.pk).confirmed_total == 1


def test_signers_contact_goes_three_years_after_their_last_action():
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        old = _confirmed(email="paul@exemple.fr")
        clock.move_to(start + timedelta(days=400))
        later = _confirmed(email="paul@exemple.fr")  # a second petition, a year later
        other = _confirmed(email="zoe@exemple.fr")
        clock.move_to(SIGNER_CONTACT.after(start) + timedelta(days=1))
        retention_apply()
        # Paul acted again 400 days later: both his signatures stay.
        assert Signature.objects.get(pk=old.pk).email == "paul@exemple.fr"
        clock.move_to(SIGNER_CONTACT.after(start + timedelta(days=400)) + timedelta(days=1))
        retention_apply()
    for signature in (old, later, other):
        signature.refresh_from_db()
        assert signature.email is None and signature.anonymised_at
        assert signature.confirmed_at and signature.petition_id
        assert (
            Petition.objects.with_confirmed_total().get(pk=signature.petition_id).confirmed_total
            == 1
        )


def test_unconfirmed_signatures_go_after_seven_days():
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        pending = SignatureFactory()
        clock.move_to(UNCONFIRMED.after(start) - timedelta(minutes=1))
        retention_apply()
        assert Signature.objects.filter(pk=pending.pk).exists()
        clock.move_to(UNCONFIRMED.after(start) + timedelta(minutes=1))
        retention_apply()
    assert not Signature.objects.filter(pk=pending.pk).exists()


def test_the_count_stays_true_after_erasure_and_withdrawal():
    petition = PetitionFactory()
    signatures = [_confirmed(petition=petition) for _ in range(3)]
    declaration("petitions").erase(signatures[0].email, now=timezone.now())
    assert Petition.objects.with_confirmed_total().get(pk=petition.pk).confirmed_total == 3
    declaration("petitions").replay(
        {"petitions.signature": [signatures[1].pk]}, now=timezone.now(), kind="withdraw"
    )
    assert Petition.objects.with_confirmed_total().get(pk=petition.pk).confirmed_total == 2
    assert petition.signatures.confirmed().count() == 2


def test_signing_records_the_consents_as_given(client, sign_data):
    petition = PetitionFactory()
    client.post(
        reverse("petitions:sign", kwargs={"slug": petition.slug}),
        sign_data(newsletter="on", share_name="on"),
    )
    signature = Signature.objects.get()
    assert signature.share_name is True
    assert signature.newsletter_consent_text.startswith("Je veux recevoir la lettre")
    assert signature.newsletter_consent_at is not None


def test_no_consent_is_recorded_when_the_boxes_stay_unticked(client, sign_data):
    petition = PetitionFactory()
    client.post(reverse("petitions:sign", kwargs={"slug": petition.slug}), sign_data())
    signature = Signature.objects.get()
    assert (signature.share_name, signature.newsletter_consent_text) == (False, "")
    assert signature.newsletter_consent_at is None
