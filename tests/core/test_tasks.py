"""Mail server down: signing still succeeds and the email waits in the queue, retried."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.tasks import RETRY_DELAYS, is_mail_failure
from petitions.forms import started_stamp
from petitions.models import Signature
from tests.factories import PetitionFactory


def test_mail_failures_are_told_apart_from_bugs():
    assert is_mail_failure("smtplib.SMTPServerDisconnected")
    assert is_mail_failure("builtins.ConnectionRefusedError")
    assert is_mail_failure("petitions.tasks.MailNotSent")
    assert not is_mail_failure("builtins.KeyError")
    assert not is_mail_failure("no.such.Error")


def _work():
    call_command(
        "db_worker", batch=True, interval=0, startup_delay=False, reload=False, verbosity=0
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_with_the_mail_server_down_signing_succeeds_and_the_email_waits(
    client, settings, closed_port
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port, 1
    PetitionFactory(slug="p")
    data = {
        "first_name": "Camille",
        "last_name": "Martin",
        "email": "camille@exemple.fr",
        "country": "FR",
        "started": started_stamp(timezone.now() - timedelta(minutes=1)),
    }

    response = client.post(reverse("petitions:sign", args=["p"]), data)
    assert response.status_code == 302
    assert Signature.objects.count() == 1

    before = timezone.now()
    _work()  # the server refuses: the attempt fails and a retry is queued for later
    failed = DBTaskResult.objects.get(status="FAILED")
    assert failed.exception_class_path == "petitions.tasks.MailNotSent"
    assert "camille@exemple.fr" not in failed.traceback
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs == failed.args_kwargs
    assert retry.run_after >= before + timedelta(seconds=RETRY_DELAYS[0])

    _work()  # too early: the retry waits
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the server is back
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    _work()
    assert [m.to for m in mail.outbox] == [["camille@exemple.fr"]]
    assert DBTaskResult.objects.get(pk=retry.pk).status == "SUCCESSFUL"
