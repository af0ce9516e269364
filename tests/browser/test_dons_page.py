"""The Dons team's page and the per-batch export, in a real browser, with the axe audit."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import expect

from donations.services import bank_file_create, batch_collect, debit_fail
from tests.factories import DebitFactory, MandateFactory

pytestmark = pytest.mark.browser

DUE = date(2026, 11, 5)


@pytest.fixture
def dons_user(transactional_db, django_user_model):
    group, _ = Group.objects.get_or_create(name="Dons")
    group.permissions.set(Permission.objects.filter(content_type__app_label="donations"))
    user = django_user_model.objects.create_user("dons", password="dons-pw-2026", is_staff=True)
    user.groups.add(group)
    return user


@pytest.fixture
def collected_batch(transactional_db):
    debits = [
        DebitFactory(due_on=DUE, mandate=MandateFactory(amount=15)),
        DebitFactory(due_on=DUE, amount=Decimal("25"), mandate=MandateFactory(amount=25)),
    ]
    (batch,) = bank_file_create(due_on=DUE, today=date(2026, 10, 30))
    debit_fail(debit=debits[1], status="rejected", reason_code="AM04", notify=False)
    batch_collect(batch=batch, today=date(2026, 11, 6))
    return batch


def test_the_dons_page_shows_the_month_and_the_export_gives_the_batch(
    site, page, axe, admin_login, dons_user, collected_batch
):
    admin_login(dons_user, "dons-pw-2026", "/admin/donations/debit/tableau/")
    expect(page.get_by_role("heading", name="Tableau des dons")).to_be_visible()
    row = page.get_by_role("row", name="novembre 2026 0 ·")
    expect(row).to_contain_text("1 · 15,00\u00a0€")  # collected
    expect(row).to_contain_text("1 · 25,00\u00a0€")  # failed
    expect(page.get_by_text("n’a jamais tourné")).to_be_visible()
    expect(page.get_by_text("plus de 26 heures")).to_be_visible()
    axe(page)
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=f"/tmp/i9-dons-{width}.png", full_page=True)

    # The export, from the list of files (Django's own change list, audited by the admin's
    # owners): a CSV of the batch's debits.
    page.goto(f"{site}/admin/donations/debitbatch/")
    page.locator(f"input[name=_selected_action][value='{collected_batch.pk}']").check()
    page.select_option("select[name=action]", "export_csv")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Envoyer").click()
    with open(download_info.value.path(), encoding="utf-8-sig") as export:
        content = export.read().splitlines()
    assert content[0].startswith("Fichier;Échéance;")
    assert len(content) == 3
    assert {line.split(";")[7] for line in content[1:]} == {"encaissé", "rejeté"}


def test_dons_import_a_bank_answer_and_a_wrong_file_is_said_next_to_the_field(
    site, page, axe, admin_login, dons_user, collected_batch, tmp_path
):
    from donations.models import Debit
    from tests.donations.test_bank_answers import fixture

    admin_login(dons_user, "dons-pw-2026", "/admin/donations/debit/tableau/")
    expect(page.get_by_role("heading", name="Reçus fiscaux des dons de 2025")).to_be_visible()
    page.get_by_role("link", name="Importer une réponse de la banque").click()
    expect(page.get_by_role("heading", name="Importer une réponse de la banque")).to_be_visible()

    wrong = tmp_path / "releve.xml"
    wrong.write_bytes(b"<Document>pas un pain.002</Document>")
    page.get_by_label("Fichier de la banque").set_input_files(str(wrong))
    page.get_by_role("button", name="Importer le fichier").click()
    field = page.get_by_label("Fichier de la banque")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_file_errors")).to_contain_text(
        "Ce fichier n’est pas une réponse de la banque que le site sait lire"
    )
    axe(page)

    good = tmp_path / "rejet.xml"
    good.write_bytes(
        fixture("pain002_file_rejected.xml", message_id="STS-B-1", batch=collected_batch.message_id)
    )
    field.set_input_files(str(good))
    page.get_by_role("button", name="Importer le fichier").click()
    expect(page.get_by_text("Fichier STS-B-1 importé")).to_be_visible()
    axe(page)
    # Collected debits cannot be rejected any more: listed as not applied, nothing changed.
    assert set(Debit.objects.values_list("status", flat=True)) == {"collected", "rejected"}
