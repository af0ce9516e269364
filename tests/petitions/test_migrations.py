"""The move of the confirmation links to core.tokens keeps the links already emailed."""

import hashlib
from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils.crypto import salted_hmac

from core.models import EmailToken


@pytest.mark.django_db(transaction=True)
def test_a_signature_link_emailed_before_the_move_to_random_tokens_still_confirms(client):
    before = [("petitions", "0008_photo_focal_renditions")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    Petition = apps.get_model("petitions", "Petition")
    Signature = apps.get_model("petitions", "Signature")
    petition = Petition.objects.create(
        slug="p", title="Libérez Ana", title_fr="Libérez Ana", status="open"
    )
    signature = Signature.objects.create(
        petition=petition, first_name="Ana", last_name="Lima", email="ana@example.org",
        country="FR", language="fr",
    )  # fmt: skip
    # The first wave's token: derived from the row id and the secret key.
    old = salted_hmac("victoires.confirm.signature", str(signature.pk), algorithm="sha256")
    token = old.hexdigest()
    signature.token_digest = hashlib.sha256(token.encode()).hexdigest()
    signature.save(update_fields=["token_digest"])

    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert client.post(f"/petitions/confirmer/{token}/")["Location"] == "/petitions/p/merci/"
    row = EmailToken.objects.get(purpose="signature")
    assert row.used_at is not None
    assert row.expires_at == signature.created_at + timedelta(days=7)
