"""The admin speaks French to staff: whole sentences, the right gender, no « objet »."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.urls import reverse

from core.formats import is_plural
from tests.cases.test_admin import case_form
from tests.factories import AppealFactory, MandateFactory, PetitionFactory

pytestmark = pytest.mark.django_db


def staff(client, group):
    user = get_user_model().objects.create_user(group, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    return client


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.parametrize(
    ("count", "language", "plural"),
    [(0, "fr", False), (1, "fr", False), (2, "fr", True), (0, "en", True), (1, "en", False)],
)
def test_french_counts_take_the_singular_up_to_one(count, language, plural):
    assert is_plural(count, language) is plural


def test_adding_a_case_says_it_is_saved_naming_it_with_its_gender(client):
    staff(client, "Éditeurs")
    response = client.post("/admin/cases/case/add/", case_form())
    assert response.status_code == 302
    assert messages_of(response) == ["La victoire «\u00a0Taner Kılıç\u00a0» est enregistrée."]


def test_the_add_page_and_button_name_the_thing(client):
    staff(client, "Mobilisation")
    listing = client.get(reverse("admin:petitions_appeal_changelist")).content.decode()
    assert "Ajouter un appel urgent" in listing
    assert "Ajout de" not in listing
    add = client.get(reverse("admin:petitions_appeal_add")).content.decode()
    assert "<h1>Ajouter un appel urgent</h1>" in add


def test_deleting_names_the_thing_and_the_confirmation_says_no_objet(client):
    staff(client, "Mobilisation")
    appeal = AppealFactory(label="GAZA")
    url = reverse("admin:petitions_appeal_delete", args=[appeal.pk])
    confirmation = client.get(url).content.decode()
    assert "objet" not in confirmation
    response = client.post(url, {"post": "yes"})
    assert messages_of(response) == [f"L’appel urgent «\u00a0{appeal}\u00a0» est supprimé."]


def test_an_empty_list_says_0_in_the_singular_and_filters_have_no_par(client):
    staff(client, "Mobilisation")
    PetitionFactory()
    html = client.get(reverse("admin:petitions_signature_changelist")).content.decode()
    assert "0 signature\n" in html
    assert "0 signatures" not in html
    assert "Par accepte" not in html
    assert "<summary>Accepte la lettre d" in html


def test_cancelling_mandates_in_bulk_agrees_with_the_count(client):
    staff(client, "Dons")
    mandates = [MandateFactory(), MandateFactory()]
    response = client.post(
        reverse("admin:donations_mandate_changelist"),
        {
            "action": "cancel_mandates",
            "_selected_action": [m.pk for m in mandates],
            "confirm": "yes",
            "reason": "Demande écrite",
        },
    )
    text = " ".join(messages_of(response))
    assert "2 mandats annulés ; les donateurs sont prévenus par courriel." in text
    assert "(s)" not in text


def test_read_only_labels_carry_no_language_code(client):
    staff(client, "Éditeurs")
    petition = PetitionFactory()
    # Éditeurs see the campaign fields read-only; Dons see no petition: use a view-only role.
    viewer = get_user_model().objects.create_user("viewer", password="x", is_staff=True)
    viewer.user_permissions.add(
        *__import__("django.contrib.auth.models").contrib.auth.models.Permission.objects.filter(
            codename="view_petition"
        )
    )
    client.force_login(viewer)
    html = client.get(reverse("admin:petitions_petition_change", args=[petition.pk])).content
    html = html.decode()
    assert "[fr]" not in html
    assert "[en]" not in html
    assert "Titre (en anglais)" in html


def test_ngettext_puts_0_in_the_singular_in_french_and_in_the_plural_in_english():
    from django.utils import translation
    from django.utils.translation import ngettext

    with translation.override("fr"):
        assert (
            ngettext("%(count)d victoire publiée.", "%(count)d victoires publiées.", 0)
            % {"count": 0}
            == "0 victoire publiée."
        )
    with translation.override("en"):
        assert (
            ngettext("%(count)d victoire publiée.", "%(count)d victoires publiées.", 0)
            % {"count": 0}
            == "0 victories published."
        )
