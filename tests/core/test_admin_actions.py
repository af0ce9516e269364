import re

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory

from cases.models import Case
from petitions.models import Signature
from tests.factories import CaseFactory, PetitionFactory, SignatureFactory

pytestmark = pytest.mark.django_db

# Actions that change nothing: they need no confirmation page.
READ_ONLY_ACTIONS = {"export_csv"}
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


def test_the_bulk_delete_action_reads_well_in_french(client):
    CaseFactory()
    admin_user = get_user_model().objects.create_superuser("chef", "chef@exemple.fr", "x")
    client.force_login(admin_user)
    html = client.get("/admin/cases/case/").content.decode()
    assert '<option value="delete_selected">Supprimer la sélection</option>' in html
    assert "Supprimer les victoires sélectionnés" not in html


def test_every_action_that_changes_data_asks_first():
    """A new bulk action fails here until it uses ``core.admin_actions.confirmed_action``
    (Django's bulk delete has its own confirmation page)."""
    request = RequestFactory().get("/admin/")
    request.user = get_user_model().objects.create_superuser("chef", "chef@exemple.fr", "x")
    unconfirmed = [
        f"{model._meta.label}.{name}"
        for model, model_admin in admin.site._registry.items()
        for name, (func, _name, _description) in model_admin.get_actions(request).items()
        if name != "delete_selected"
        and name not in READ_ONLY_ACTIONS
        and not getattr(func, "confirmed", False)
    ]
    assert unconfirmed == []


def page_form(html):
    """The confirmation page's hidden fields, as the browser would send them back."""
    data = {}
    for name, value in HIDDEN.findall(html):
        if name == "csrfmiddlewaretoken":
            continue
        data.setdefault(name, []).append(value)
    return data


def test_a_bulk_action_says_what_it_will_do_to_how_many_rows_then_does_it(client):
    cases = [CaseFactory(is_published=True) for _ in range(3)]
    client.force_login(get_user_model().objects.create_superuser("chef", "c@exemple.fr", "x"))
    selection = {"action": "unpublish", "_selected_action": [case.pk for case in cases]}
    page = client.post("/admin/cases/case/", selection)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Dépublier 3 victoires\u00a0?" in html
    assert "disparaît aussitôt du site" in html
    assert all(str(case) in html for case in cases)
    assert 'value="Dépublier ces 3 victoires"' in html
    assert Case.objects.filter(is_published=True).count() == 3  # nothing done yet

    data = {**page_form(html), "confirm": "Dépublier ces 3 victoires"}
    assert sorted(data["_selected_action"]) == sorted(str(case.pk) for case in cases)
    done = client.post("/admin/cases/case/", data)
    assert done.status_code == 302
    assert not Case.objects.filter(is_published=True).exists()


def test_the_confirmation_keeps_select_all_and_the_list_s_filters(client):
    CaseFactory(is_published=True, name="Dans le filtre")
    other = CaseFactory(is_published=False, name="Hors du filtre")
    client.force_login(get_user_model().objects.create_superuser("chef", "c@exemple.fr", "x"))
    url = "/admin/cases/case/?is_published__exact=1"
    shown = Case.objects.filter(is_published=True)
    selection = {
        "action": "unpublish",
        "select_across": "1",
        "_selected_action": [case.pk for case in shown],
    }
    html = client.post(url, selection).content.decode()
    assert "Dépublier 1 victoire\u00a0?" in html
    assert "Hors du filtre" not in html
    client.post(url, {**page_form(html), "confirm": "oui"})
    assert not Case.objects.filter(is_published=True).exists()
    other.refresh_from_db()
    assert other.is_published is False


def test_only_the_rows_an_action_changes_are_counted_the_others_are_named_as_left(client):
    petition = PetitionFactory()
    SignatureFactory(petition=petition, email="attend@exemple.fr")
    confirmed = SignatureFactory(petition=petition, email="fait@exemple.fr")
    Signature.objects.filter(pk=confirmed.pk).update(confirmed_at="2026-01-01T00:00:00Z")
    client.force_login(get_user_model().objects.create_superuser("chef", "c@exemple.fr", "x"))
    url = "/admin/petitions/signature/"
    ids = list(Signature.objects.values_list("pk", flat=True))
    html = client.post(url, {"action": "resend_confirmation", "_selected_action": ids})
    html = html.content.decode()
    assert "Renvoyer le lien de confirmation à 1 signataire\u00a0?" in html
    assert "1 autre ligne de la sélection n" in html

    only_confirmed = client.post(
        url, {"action": "resend_confirmation", "_selected_action": [confirmed.pk]}, follow=True
    )
    text = only_confirmed.content.decode()
    assert "Aucune signature de la sélection n" in text
    assert "Renvoyer le lien de confirmation à" not in text
