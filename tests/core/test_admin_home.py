"""The admin home says to each team what is waiting for it."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from core.models import CommandRun
from donations.models import DebitBatch
from tests.factories import (
    AppealFactory,
    CaseFactory,
    DebitFactory,
    PetitionFactory,
    SignatureFactory,
)

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


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


def test_dons_see_the_last_daily_run_and_a_link_to_their_page(client):
    CommandRun.objects.create(
        name="daily",
        started_at=timezone.now() - timedelta(hours=3),
        finished_at=timezone.now() - timedelta(hours=3),
        succeeded=True,
    )
    block = home(client, "Dons").split("Ce qui attend")[1].split("</section>")[0]
    assert 'href="/admin/donations/debit/tableau/"' in block
    assert "Dernier passage de «\u00a0manage.py daily\u00a0»" in block
    assert "plus de 26 heures" not in block
    assert "admin-todo__item--urgent" not in block.split("daily")[0].rsplit("<li", 1)[1]


def test_a_daily_run_older_than_26_hours_is_flagged_on_the_home(client):
    started = timezone.now() - timedelta(hours=27)
    CommandRun.objects.create(name="daily", started_at=started, finished_at=started, succeeded=True)
    block = home(client, "Dons").split("Ce qui attend")[1].split("</section>")[0]
    assert "plus de 26 heures" in block
    item = block.split("plus de 26")[0].rsplit("<li", 1)[1]
    assert "admin-todo__item--urgent" in item


def test_the_home_links_failed_debits_to_their_filtered_list(client):
    since = timezone.localdate() - timedelta(days=30)
    batch = DebitBatch.objects.create(
        message_id="TEST-BATCH",
        created_at=timezone.now(),
        due_on=since,
        version="pain.008.001.08",
        debit_count=2,
        total=30,
        content="<xml/>",
        sha256="0" * 64,
    )
    old = DebitFactory(status="rejected", due_on=since - timedelta(days=1), batch=batch)
    recent = DebitFactory(
        status="returned", due_on=timezone.localdate() - timedelta(days=2), batch=batch
    )
    DebitFactory(status="scheduled", due_on=timezone.localdate() + timedelta(days=5))
    block = home(client, "Dons").split("Ce qui attend")[1].split("</section>")[0]
    assert "1 prélèvement échoué ces 30 derniers jours" in block
    url = block.split("1 prélèvement échoué")[0].rsplit('href="', 1)[1].split('"')[0]
    listing = client.get(url.replace("&amp;", "&")).content.decode()
    assert recent.end_to_end_id in listing
    assert old.end_to_end_id not in listing


def test_editors_and_mobilisation_see_neither_the_daily_run_nor_the_dons_page(client):
    for group in ("Éditeurs", "Mobilisation"):
        block = home(client, group).split("Ce qui attend")[1].split("</section>")[0]
        assert "manage.py daily" not in block
        assert "tableau" not in block
        client.logout()


def test_mobilisation_sees_petitions_opening_this_week_and_the_banner_s_french_end(client):
    PetitionFactory(opens_at=timezone.now() + timedelta(days=3))
    AppealFactory(
        label="URGENCE",
        url="https://example.org/",
        ends_at=datetime(2031, 8, 1, 9, 5, tzinfo=PARIS),
    )
    block = home(client, "Mobilisation").split("Ce qui attend")[1].split("</section>")[0]
    assert "1 pétition programmée pour ouvrir dans les 7 jours" in block
    assert "1er août 2031 à 09:05" in block


def test_the_home_counts_cases_to_translate_in_a_fixed_number_of_queries(
    client, django_assert_max_num_queries
):
    from tests.factories import OutcomeEventFactory

    for _ in range(2):
        OutcomeEventFactory(case=CaseFactory(headline_en=""))
    home(client, "Éditeurs")
    with django_assert_max_num_queries(25) as few:
        client.get("/admin/")
    for _ in range(20):
        OutcomeEventFactory(case=CaseFactory(headline_en=""))
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get("/admin/").content.decode()
    assert "22 victoires à traduire en anglais" in html
