"""Revision history: kept for the editorial pages, compared, restored, never for people."""

import pytest
import reversion
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from reversion.models import Version

from cases.models import Case
from donations.models import Donor, Mandate
from petitions.models import Petition, Signature
from tests.cases.test_admin import case_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = get_user_model().objects.create_user("ed", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Éditeurs"))
    client.force_login(user)
    return client


def test_personal_data_is_never_put_in_history():
    for model in (Signature, Donor, Mandate):
        assert not reversion.is_registered(model)
    for model in (Case, Petition):
        assert reversion.is_registered(model)


def test_an_editor_sees_who_changed_what_and_restores_an_earlier_version(editor):
    editor.post("/admin/cases/case/add/", case_form())
    case = Case.objects.get()
    change_url = reverse("admin:cases_case_change", args=[case.pk])
    changed = case_form(headline_fr="Un titre raté")
    changed.update(
        {
            "events-INITIAL_FORMS": "1",
            "events-0-id": str(case.events.get().pk),
            "events-0-case": str(case.pk),
            "figures-TOTAL_FORMS": "0",
            "figures-INITIAL_FORMS": "0",
        }
    )
    response = editor.post(change_url, changed)
    assert response.status_code == 302, response.context["adminform"].form.errors
    case.refresh_from_db()
    assert case.headline_fr == "Un titre raté"

    versions = Version.objects.get_for_object(case)
    assert versions.count() == 2
    assert versions[0].revision.user.username == "ed"
    history = editor.get(reverse("admin:cases_case_history", args=[case.pk])).content.decode()
    assert "ce qui a changé" in history
    compare = editor.get(
        reverse("admin:cases_case_compare", args=[case.pk, versions[0].pk])
    ).content.decode()
    assert "Un titre raté" in compare
    assert "L’ancien président de notre section turque, acquitté" in compare

    first = versions[1]
    revision_url = reverse("admin:cases_case_revision", args=[case.pk, first.pk])
    form = editor.get(revision_url).context["adminform"].form
    assert form.initial["headline_fr"] == "L’ancien président de notre section turque, acquitté"
    restored = dict(changed, headline_fr=form.initial["headline_fr"])
    assert editor.post(revision_url, restored).status_code == 302
    case.refresh_from_db()
    assert case.headline_fr == "L’ancien président de notre section turque, acquitté"


def test_a_deleted_case_can_be_recovered(editor):
    editor.post("/admin/cases/case/add/", case_form())
    case = Case.objects.get()
    editor.post(reverse("admin:cases_case_delete", args=[case.pk]), {"post": "yes"})
    assert not Case.objects.exists()
    listing = editor.get(reverse("admin:cases_case_recoverlist"))
    assert listing.status_code == 200
    deleted = Version.objects.get_deleted(Case).get()
    assert "Taner Kılıç" in listing.content.decode()
    recover_url = reverse("admin:cases_case_recover", args=[deleted.pk])
    form = editor.get(recover_url).context["adminform"].form
    data = case_form()
    data.update({k: v for k, v in form.initial.items() if k == "slug"})
    assert editor.post(recover_url, data).status_code == 302
    assert Case.objects.get().name == "Taner Kılıç"
