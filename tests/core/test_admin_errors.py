"""Errors inside the admin: French, in the admin's look, with a way back to its home."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import RequestFactory

from core.errors import server_error

pytestmark = pytest.mark.django_db


def login(client, group):
    user = get_user_model().objects.create_user(group, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)


def test_a_page_outside_the_role_is_a_french_403_in_the_admin_s_look(client):
    login(client, "Dons")
    response = client.get("/admin/cases/case/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "Accès refusé" in html
    assert "admin/css/base.css" in html
    assert 'href="/admin/"' in html
    assert "Forbidden" not in html


def test_a_missing_admin_page_is_a_french_404_with_a_way_back(client):
    login(client, "Éditeurs")
    response = client.get("/admin/nowhere/at/all/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page introuvable" in html
    assert "Retour à l’accueil de l’administration</a>" in html


def test_a_server_error_in_the_admin_is_french_in_the_admin_s_look():
    response = server_error(RequestFactory().get("/admin/cases/case/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Erreur du serveur" in html
    assert "admin/css/base.css" in html
