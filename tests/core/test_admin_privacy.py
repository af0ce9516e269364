"""Staff act on a person's request from the admin: identity checked first, journaled."""

import json

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from core.models import PrivacyRequest
from petitions.models import Signature
from petitions.services import signature_confirm
from tests.factories import MandateFactory, SignatureFactory

pytestmark = pytest.mark.django_db
URL = "admin:core_privacyrequest_person"


def _staff(django_user_model, name, group):
    user = django_user_model.objects.create_user(name, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def test_mobilisation_erases_a_signer_only_after_checking_identity(client, django_user_model):
    signature = SignatureFactory(email="lea@exemple.fr")
    signature_confirm(signature=signature)
    mandate = MandateFactory(donor__email="lea@exemple.fr")
    user = _staff(django_user_model, "mob", "Mobilisation")
    client.force_login(user)
    page = client.post(reverse(URL), {"email": "lea@exemple.fr", "action": "erase"})
    assert "Vérifiez d" in page.content.decode() and not PrivacyRequest.objects.exists()
    page = client.post(
        reverse(URL), {"email": "lea@exemple.fr", "action": "erase", "identity_checked": "on"}
    )
    assert "1 signature confirmée anonymisée." in page.content.decode()
    assert "(s)" not in page.content.decode()
    assert Signature.objects.get(pk=signature.pk).email is None
    mandate.refresh_from_db()
    assert mandate.state == "active"  # Mobilisation never touches gifts
    entry = PrivacyRequest.objects.get()
    assert (entry.by, entry.identity_checked, entry.apps) == (user, True, "petitions")


def test_dons_exports_a_donor_as_json(client, django_user_model):
    MandateFactory(donor__email="paul@exemple.fr", donor__last_name="Durand")
    client.force_login(_staff(django_user_model, "dons", "Dons"))
    response = client.post(
        reverse(URL), {"email": "paul@exemple.fr", "action": "export", "identity_checked": "on"}
    )
    document = json.loads(response.content)
    assert list(document["apps"]) == ["donations"]
    assert document["apps"]["donations"]["donors"][0]["last_name"] == "Durand"


def test_editors_cannot_act_on_personal_data(client, django_user_model):
    client.force_login(_staff(django_user_model, "ed", "Éditeurs"))
    assert client.get(reverse(URL)).status_code == 403
