"""The roles matrix: every role × every admin page × every right, through the admin itself.

The expected table is written here by hand; the pages come from the admin registry, so a
model registered later fails this test until its row is added (and docs/roles.md updated
with ``manage.py admin_roles --write``).
"""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from core.management.commands.admin_roles import docs_path, docs_table
from donations.models import GiftSettings, MandatePdfAccess, Receipt
from tests.factories import (
    AppealFactory,
    CaseFactory,
    DebitFactory,
    DonorFactory,
    MandateFactory,
    PetitionFactory,
    SignatureFactory,
    TierFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonyme", "Éditeurs", "Mobilisation", "Dons", "superutilisateur"]

# model -> role -> (rights among "vacd", actions, staff views)
NOTHING = ("", set(), set())
MANDATE_ACTIONS = {
    "cancel_mandates",
    "pause_mandates",
    "resume_mandates",
    "suspend_mandates",
    "delete_selected",
}
EXPECTED = {
    "auth.group": {"superutilisateur": ("vacd", {"delete_selected"}, set())},
    "auth.user": {"superutilisateur": ("vacd", {"delete_selected"}, set())},
    "django_tasks_database.dbtaskresult": {"superutilisateur": ("v", set(), set())},
    "cases.case": {
        "Éditeurs": ("vacd", {"publish", "unpublish", "delete_selected"}, set()),
        "superutilisateur": ("vacd", {"publish", "unpublish", "delete_selected"}, set()),
    },
    "cases.victorypage": {
        "Éditeurs": ("vacd", {"delete_selected"}, set()),
        "superutilisateur": ("vacd", {"delete_selected"}, set()),
    },
    "petitions.petition": {
        "Éditeurs": ("vac", set(), set()),
        "Mobilisation": ("vacd", {"mark_won", "delete_selected"}, {"export"}),
        "superutilisateur": ("vacd", {"mark_won", "delete_selected"}, {"export"}),
    },
    "petitions.signature": {
        "Mobilisation": ("vd", {"resend_confirmation", "delete_selected"}, set()),
        "superutilisateur": ("vd", {"resend_confirmation", "delete_selected"}, set()),
    },
    "petitions.signatureexport": {"superutilisateur": ("v", set(), set())},
    "core.privacyrequest": {"superutilisateur": ("v", set(), set())},
    "petitions.appeal": {
        "Mobilisation": ("vacd", {"delete_selected"}, set()),
        "superutilisateur": ("vacd", {"delete_selected"}, set()),
    },
    "donations.giftsettings": {
        "Dons": ("vac", set(), set()),
        "superutilisateur": ("vac", set(), set()),
    },
    "donations.tier": {
        "Dons": ("vacd", {"delete_selected"}, set()),
        "superutilisateur": ("vacd", {"delete_selected"}, set()),
    },
    "donations.donor": {
        "Dons": ("vcd", {"delete_selected"}, set()),
        "superutilisateur": ("vcd", {"delete_selected"}, set()),
    },
    "donations.mandate": {
        "Dons": ("vcd", MANDATE_ACTIONS, {"pdf"}),
        "superutilisateur": ("vcd", MANDATE_ACTIONS, {"pdf"}),
    },
    "donations.mandatepdfaccess": {"superutilisateur": ("v", set(), set())},
    "donations.receipt": {
        "Dons": ("v", {"resend_receipts"}, {"receipt_pdf"}),
        "superutilisateur": ("v", {"resend_receipts"}, {"receipt_pdf"}),
    },
    "donations.debit": {
        "Dons": ("vc", {"mark_failed"}, set()),
        "superutilisateur": ("vc", {"mark_failed"}, set()),
    },
    "donations.bankanswer": {
        "Dons": ("va", set(), set()),
        "superutilisateur": ("va", set(), set()),
    },
    "donations.donsdashboard": {
        "Dons": ("v", set(), set()),
        "superutilisateur": ("v", set(), set()),
    },
    "donations.debitbatch": {
        "Dons": ("va", {"mark_collected", "export_csv"}, {"download", "csv"}),
        "superutilisateur": ("va", {"mark_collected", "export_csv"}, {"download", "csv"}),
    },
}


def make_object(label):
    """One row of each model, deletable where the model allows deleting at all."""
    makers = {
        "auth.group": lambda: Group.objects.create(name="Bénévoles"),
        "auth.user": lambda: get_user_model().objects.create_user("someone", password="x"),
        "django_tasks_database.dbtaskresult": lambda: DBTaskResult.objects.create(
            args_kwargs={"args": [], "kwargs": {}},
            task_path="petitions.tasks.petition_won_notify",
            backend_name="default",
            run_after=get_date_max(),
        ),
        "cases.case": CaseFactory,
        "cases.victorypage": lambda: __import__("cases.models").models.VictoryPage.objects.create(
            title_fr="Victoires", intro_fr="Elles sont libres."
        ),
        "petitions.petition": PetitionFactory,
        "petitions.signature": SignatureFactory,
        "petitions.appeal": AppealFactory,
        "core.privacyrequest": lambda: __import__(
            "core.models"
        ).models.PrivacyRequest.objects.create(kind="export", channel="command"),
        "petitions.signatureexport": lambda: __import__(
            "petitions.models"
        ).models.SignatureExport.objects.create(purpose="Contrôle interne", rows=1),
        "donations.giftsettings": GiftSettings.load,
        "donations.tier": TierFactory,
        "donations.donor": DonorFactory,
        "donations.mandate": lambda: MandateFactory(state="pending", donor=DonorFactory()),
        "donations.mandatepdfaccess": lambda: MandatePdfAccess.objects.create(
            rum="RUM-TEST-1", by_username="dons"
        ),
        "donations.receipt": lambda: Receipt.objects.create(
            number="2025-000001",
            year=2025,
            sequence=1,
            donor=DonorFactory(),
            amount=180,
            payment_dates=["2025-01-05"],
            donor_name="Camille Martin",
            donor_address="12 rue des Lilas\n69003 Lyon",
            issued_at=timezone.now(),
        ),
        "donations.debit": DebitFactory,
        "donations.debitbatch": _debit_batch,
        "donations.donsdashboard": lambda: __import__(
            "donations.models"
        ).models.DonsDashboard.objects.get(pk=DebitFactory().pk),
        "donations.bankanswer": lambda: __import__(
            "donations.models"
        ).models.BankAnswer.objects.create(
            kind="pain.002",
            version="pain.002.001.03",
            message_id="STS-1",
            sent_at=timezone.now(),
            sha256="0" * 64,
        ),
    }
    return makers[label]()


def _debit_batch():
    from datetime import date

    from donations.services import bank_file_create

    DebitFactory(due_on=date(2026, 12, 7))
    (batch,) = bank_file_create(due_on=date(2026, 12, 7), today=date(2026, 12, 1))
    return batch


def test_every_admin_page_is_in_the_matrix():
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert registered == set(EXPECTED), "add the new admin pages to EXPECTED and docs/roles.md"


def login(client, role):
    if role == "anonyme":
        return
    if role == "superutilisateur":
        user = get_user_model().objects.create_superuser("root", password="x")
    else:
        user = get_user_model().objects.create_user("staff", password="x", is_staff=True)
        user.groups.add(Group.objects.get(name=role))
    client.force_login(user)


def allowed(response, role):
    """200 (or a redirect inside the admin) is allowed; 403 is refused; anonymous → login."""
    if role == "anonyme":
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
        return False
    assert response.status_code in (200, 302, 403), response.status_code
    if response.status_code == 302:
        assert not response["Location"].startswith("/admin/login/")
    return response.status_code != 403


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("label", sorted(EXPECTED))
def test_each_role_has_exactly_its_rights_on_each_admin_page(client, role, label):
    rights, actions, views = EXPECTED[label].get(role, NOTHING)
    obj = make_object(label)
    app, model = label.split(".")
    model_admin = admin.site._registry[type(obj)]
    login(client, role)

    changelist = client.get(reverse(f"admin:{app}_{model}_changelist"))
    assert allowed(changelist, role) == ("v" in rights)
    change = client.get(reverse(f"admin:{app}_{model}_change", args=[obj.pk]))
    assert allowed(change, role) == ("v" in rights)
    if "v" in rights and change.status_code == 200:
        assert change.context["has_change_permission"] == ("c" in rights)
    assert allowed(client.get(reverse(f"admin:{app}_{model}_add")), role) == ("a" in rights)
    delete = client.get(reverse(f"admin:{app}_{model}_delete", args=[obj.pk]))
    assert allowed(delete, role) == ("d" in rights)

    if changelist.status_code == 200:
        form = changelist.context.get("action_form")
        offered = (
            {name for name, _label in form.fields["action"].choices if name} if form else set()
        )
        assert offered == actions
    names = {
        "export": "admin:petitions_petition_export",
        "pdf": "admin:donations_mandate_pdf",
        "receipt_pdf": "admin:donations_receipt_pdf",
        "download": "admin:donations_debitbatch_download",
        "csv": "admin:donations_debitbatch_csv",
    }
    for url_name, _label, _permission in getattr(model_admin, "staff_views", []):
        key = next(k for k, v in names.items() if v == url_name)
        if key == "pdf":
            obj.state = "active"
            obj.save()
        assert allowed(client.get(reverse(url_name, args=[obj.pk])), role) == (key in views)


def test_the_table_in_the_docs_is_the_admin_s_own(capsys):
    call_command("admin_roles")
    assert docs_table(docs_path().read_text(encoding="utf-8")) == capsys.readouterr().out
