"""The admin home says to each team what is waiting for it."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from tests.factories import AppealFactory, CaseFactory, PetitionFactory, SignatureFactory

pytestmark = pytest.mark.django_db


def home(client, group):
    user = get_user_model().objects.create_user(group, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    return client.get("/admin/").content.decode()


def test_editors_see_cases_to_translate_and_this_week_s_publications(client):
    CaseFactory(headline_fr="Libéré", headline_en="")
    CaseFactory(published_at=timezone.now() + timedelta(days=2))
    html = home(client, "Éditeurs")
    assert "victoire à traduire en anglais" in html or "victoires à traduire en anglais" in html
    assert "1 publication programmée dans les 7 jours" in html
    assert "signature" not in html.split("Ce qui attend")[1].split("</section>")[0]


def test_mobilisation_sees_the_live_banner_and_today_s_pending_signatures(client):
    petition = PetitionFactory()
    AppealFactory(label="URGENCE GAZA", petition=petition, url="")
    SignatureFactory(petition=petition)
    html = home(client, "Mobilisation")
    assert "Bandeau en ligne\u00a0: «\u00a0URGENCE GAZA\u00a0», jusqu" in html
    assert "1 signature du jour en attente de confirmation" in html
    assert "victoire" not in html.split("Ce qui attend")[1].split("</section>")[0]


def test_dons_see_failed_debits_and_receipts_to_send(client):
    html = home(client, "Dons")
    block = html.split("Ce qui attend")[1].split("</section>")[0]
    assert "0 prélèvement échoué ces 30 derniers jours" in block
    assert "0 reçu fiscal à envoyer" in block
