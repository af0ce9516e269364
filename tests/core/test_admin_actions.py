import pytest
from django.contrib.auth import get_user_model

from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def test_the_bulk_delete_action_reads_well_in_french(client):
    CaseFactory()
    admin = get_user_model().objects.create_superuser("chef", "chef@exemple.fr", "x")
    client.force_login(admin)
    html = client.get("/admin/cases/case/").content.decode()
    assert '<option value="delete_selected">Supprimer la sélection</option>' in html
    assert "Supprimer les victoires sélectionnés" not in html
