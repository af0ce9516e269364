"""The real queue: django-tasks' database backend and its `db_worker`, on PostgreSQL."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from petitions.models import Signature
from tests.factories import PetitionFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_confirmation_mail_leaves_through_the_database_worker(client, settings, sign_data):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    PetitionFactory(slug="p")

    response = client.post(reverse("petitions:sign", args=["p"]), sign_data())

    assert response.status_code == 302
    assert mail.outbox == []
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "petitions.tasks.signature_confirmation_send"
    assert queued.args_kwargs["args"] == [Signature.objects.get().pk]  # an id, nothing else

    call_command(
        "db_worker", batch=True, interval=0, startup_delay=False, reload=False, verbosity=0
    )

    assert [m.to for m in mail.outbox] == [["camille@exemple.fr"]]
    assert "/petitions/confirmer/" in mail.outbox[0].body
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


@pytest.mark.django_db
def test_a_refused_address_fails_the_task_without_writing_the_address_anywhere(monkeypatch):
    import smtplib
    import traceback

    from petitions import tasks
    from tests.factories import SignatureFactory

    signature = SignatureFactory(email="refusee@exemple.fr")

    def refuse(**kwargs):
        raise smtplib.SMTPRecipientsRefused({kwargs["to"]: (550, b"5.1.1 <refusee@exemple.fr>")})

    monkeypatch.setattr(tasks, "mail_send", refuse)
    with pytest.raises(tasks.MailNotSent) as error:
        tasks.signature_confirmation_send.call(signature.pk)
    told = "".join(traceback.format_exception(error.value))
    assert str(error.value) == f"SMTPRecipientsRefused for signature {signature.pk}"
    assert "refusee" not in told
