from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from core.models import CommandRun
from donations.models import Debit, DebitBatch, DebitBatchDownload
from donations.services import bank_file_create
from tests.factories import DebitFactory, MandateFactory

pytestmark = pytest.mark.django_db
DUE = date(2026, 12, 7)


def staff(username, group_name=None):
    user = get_user_model().objects.create_user(username=username, password="x", is_staff=True)
    if group_name:
        user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def dons_client(client):
    client.force_login(staff("dons", "Dons"))
    return client


@pytest.fixture
def batch():
    DebitFactory(due_on=DUE, mandate=MandateFactory(account_holder="Camille Martin"))
    DebitFactory(due_on=DUE, amount=Decimal("25"))
    (made,) = bank_file_create(due_on=DUE, today=date(2026, 12, 1))
    return made


def test_the_dons_group_can_download_debits_and_files():
    codenames = set(Group.objects.get(name="Dons").permissions.values_list("codename", flat=True))
    assert {"view_debit", "change_debit", "add_debitbatch", "download_debitbatch"} <= codenames


@pytest.mark.parametrize("group_name", [None, "Éditeurs", "Mobilisation"])
def test_only_the_dons_team_reaches_debits_files_and_their_page(client, batch, group_name):
    client.force_login(staff("autre", group_name))
    debit = batch.debits.first()
    for url in [
        "/admin/donations/debit/",
        f"/admin/donations/debit/{debit.pk}/change/",
        "/admin/donations/debit/tableau/",
        "/admin/donations/debitbatch/",
        "/admin/donations/debitbatch/add/",
        f"/admin/donations/debitbatch/{batch.pk}/telecharger/",
        f"/admin/donations/debitbatch/{batch.pk}/export.csv",
    ]:
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert b"FR76" not in response.content
    assert not DebitBatchDownload.objects.exists()


def test_the_dons_team_downloads_the_same_file_and_each_download_is_logged(dons_client, batch):
    url = f"/admin/donations/debitbatch/{batch.pk}/telecharger/"
    first = dons_client.get(url)
    second = dons_client.get(url)
    assert first.status_code == 200
    assert "no-store" in first["Cache-Control"]
    assert first["Content-Disposition"] == f'attachment; filename="{batch.message_id}.xml"'
    assert first.content == second.content == batch.content.encode()
    downloads = DebitBatchDownload.objects.filter(batch=batch)
    assert [d.by.username for d in downloads] == ["dons", "dons"]


def test_the_dons_team_makes_a_bank_file_from_the_admin(dons_client):
    DebitFactory(due_on=DUE)
    with time_machine.travel(date(2026, 12, 1)):
        response = dons_client.post(
            "/admin/donations/debitbatch/add/", {"due_on": "2026-12-07"}, follow=True
        )
        assert response.status_code == 200
        batch = DebitBatch.objects.get()
        assert batch.created_by.username == "dons"
        assert batch.message_id in response.content.decode()
        # Too close: a French message next to the field, nothing made.
        too_close = dons_client.post("/admin/donations/debitbatch/add/", {"due_on": "2026-12-02"})
    assert too_close.status_code == 200
    assert "trop proche" in too_close.content.decode()
    assert DebitBatch.objects.count() == 1


def test_a_batch_is_marked_collected_only_after_its_due_date(dons_client, batch):
    action = {"action": "mark_collected", "_selected_action": [batch.pk], "confirm": "yes"}
    user = get_user_model().objects.get(username="dons")
    with time_machine.travel(date(2026, 12, 7)):
        dons_client.force_login(user)  # a staff session ends after 8 idle hours
        dons_client.post("/admin/donations/debitbatch/", action, follow=True)
    assert not Debit.objects.filter(status="collected").exists()
    with time_machine.travel(date(2026, 12, 8)):
        dons_client.force_login(user)
        dons_client.post("/admin/donations/debitbatch/", action, follow=True)
    assert set(batch.debits.values_list("status", "collected_on")) == {("collected", DUE)}


def test_a_debit_is_marked_returned_with_its_reason_code(
    dons_client, batch, mailoutbox, django_capture_on_commit_callbacks
):
    debit = batch.debits.first()
    data = {"action": "mark_failed", "_selected_action": [debit.pk]}
    form = dons_client.post("/admin/donations/debit/", data)
    assert "Code motif ISO" in form.content.decode()
    wrong = dons_client.post(
        "/admin/donations/debit/",
        {
            **data,
            "confirm": "yes",
            "status": "returned",
            "reason_code": "A!",
            "failed_on": "2026-12-09",
        },
    )
    assert wrong.status_code == 200
    debit.refresh_from_db()
    assert debit.status == "sent"
    with django_capture_on_commit_callbacks(execute=True):
        dons_client.post(
            "/admin/donations/debit/",
            {
                **data,
                "confirm": "yes",
                "status": "returned",
                "reason_code": "md06",
                "failed_on": "2026-12-09",
            },
        )
    debit.refresh_from_db()
    assert (debit.status, debit.reason_code, debit.failed_on) == (
        "returned",
        "MD06",
        date(2026, 12, 9),
    )
    assert len(mailoutbox) == 1
    assert "n’a pas pu être prélevé" in mailoutbox[0].subject


def test_the_batch_csv_lists_its_debits_for_the_accountant(dons_client, batch):
    response = dons_client.get(f"/admin/donations/debitbatch/{batch.pk}/export.csv")
    assert response.status_code == 200
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0].startswith("\ufeffFichier;Échéance;Référence de bout en bout")
    assert len(lines) == 3
    assert lines[1].split(";")[0] == batch.message_id
    assert "07/12/2026" in lines[1]
    assert {line.split(";")[5] for line in lines[1:]} == {"15,00", "25,00"}


def test_the_dons_page_shows_the_months_the_mandates_and_the_last_daily_run(dons_client, batch):
    page = dons_client.get("/admin/donations/debit/tableau/").content.decode()
    assert "Tableau des dons" in page
    assert "décembre 2026" in page
    assert "40,00\u00a0€" in page
    assert "n’a jamais tourné" in page
    assert "plus de 26 heures" in page
    CommandRun.objects.create(
        name="daily", started_at=timezone.now() - timedelta(hours=2), succeeded=True
    )
    page = dons_client.get("/admin/donations/debit/tableau/").content.decode()
    assert "plus de 26 heures" not in page
    assert "2 mandats actifs" in page
    CommandRun.objects.create(name="daily", started_at=timezone.now() - timedelta(hours=27))
    CommandRun.objects.filter(started_at__gt=timezone.now() - timedelta(hours=3)).delete()
    page = dons_client.get("/admin/donations/debit/tableau/").content.decode()
    assert "plus de 26 heures" in page


def test_the_dons_page_counts_last_years_receipts_and_the_declaration_with_french_plurals(
    dons_client,
):
    from donations.services import receipts_issue
    from tests.donations.test_receipts import collect, months

    page = dons_client.get("/admin/donations/debit/tableau/").content.decode()
    assert "Reçus fiscaux des dons de 2025" in page
    assert "0 reçu en vigueur pour 2025, pour un total de 0,00\u00a0€." in page
    assert "0 reçu reste à envoyer par courriel." in page
    assert "0 donateur a des dons encaissés sans reçu en vigueur." in page
    assert "Aucun reçu fiscal n’a encore été émis." in page
    assert "(s)" not in page

    first, second, late = MandateFactory(), MandateFactory(), MandateFactory()
    collect(first, *months(2025, 1, 2, 3))
    collect(second, *months(2025, 4, 5), amount="25")
    receipts_issue(year=2025, today=date(2026, 1, 10), send=False)
    collect(late, *months(2025, 11))
    page = dons_client.get("/admin/donations/debit/tableau/").content.decode()
    assert "2 reçus en vigueur pour 2025, pour un total de 95,00\u00a0€." in page
    assert "2 reçus restent à envoyer par courriel." in page
    assert "1 donateur a des dons encaissés sans reçu en vigueur." in page
    assert '<tr><th scope="row">2025</th><td>2</td><td>95,00\u00a0€</td></tr>' in page
    assert "(s)" not in page


def test_the_dons_page_is_in_the_admin_menu_of_the_dons_group(dons_client, client):
    home = dons_client.get("/admin/").content.decode()
    assert 'href="/admin/donations/donsdashboard/"' in home
    assert "Tableau des dons" in home
    response = dons_client.get("/admin/donations/donsdashboard/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/donations/debit/tableau/"
    sidebar = dons_client.get("/admin/donations/mandate/").content.decode()
    assert 'href="/admin/donations/donsdashboard/"' in sidebar
    client.force_login(staff("editor", "Éditeurs"))
    assert 'href="/admin/donations/donsdashboard/"' not in client.get("/admin/").content.decode()
    assert client.get("/admin/donations/donsdashboard/").status_code == 403
