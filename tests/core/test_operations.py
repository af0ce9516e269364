"""Operations: /healthz, alerts on a 500 that hide personal data, EMAIL_FILE_PATH."""

import contextlib
import json

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from core.mail import mail_send
from tests.factories import PetitionFactory

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_cache_and_queue_without_personal_data(client, settings):
    response = client.get("/healthz")
    assert response.status_code == 200
    report = response.json()
    assert report["status"] == report["database"] == report["cache"] == "ok"
    assert set(report) == {
        "status",
        "database",
        "cache",
        "task_queue_oldest_seconds",
        "checked_in_ms",
    }
    assert "@" not in response.content.decode()


def test_healthz_gives_the_age_of_the_oldest_waiting_task(client, settings):
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult, get_date_max

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="petitions.tasks.petition_won_notify",
        backend_name="default",
        run_after=get_date_max(),
    )
    DBTaskResult.objects.filter(pk=task.pk).update(
        enqueued_at=timezone.now() - timedelta(minutes=30)
    )
    age = client.get("/healthz").json()["task_queue_oldest_seconds"]
    assert 1790 < age < 1900


def test_healthz_answers_503_when_the_cache_is_away(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "core.redis_cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    from django.core.cache import caches

    caches._settings = None  # read the new setting
    with contextlib.suppress(AttributeError):
        del caches._connections.default
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"] == "unavailable"


@pytest.fixture
def crash(monkeypatch):
    """The petition form's service fails: a 500 with the signer's data in the request."""
    from petitions import views

    def boom(**kwargs):
        secret_email = kwargs["email"]  # noqa: F841 (a local an error report would show)
        raise RuntimeError("the service failed")

    monkeypatch.setattr(views, "signature_create", boom)


def test_a_500_alerts_the_admins_without_the_signers_data(settings, crash):
    settings.ADMINS = [("Tech", "tech@exemple.org")]
    settings.ERRORS_ALERT_SOMEONE = True
    settings.PETITION_MIN_FILL_SECONDS = 0
    petition = PetitionFactory()
    from tests.core.test_robustness import _signature_data

    client = Client(raise_request_exception=False)
    response = client.post(
        reverse("petitions:sign", kwargs={"slug": petition.slug}),
        _signature_data(email="ana.secret@exemple.fr", first_name="Anastasia"),
    )
    assert response.status_code == 500
    assert "équipe technique a été prévenue." in response.content.decode()
    assert len(mail.outbox) == 1
    alert = mail.outbox[0]
    assert alert.to == ["tech@exemple.org"]
    text = alert.subject + alert.body + "".join(str(a[0]) for a in alert.alternatives)
    assert "RuntimeError" in text
    assert "ana.secret" not in text and "Anastasia" not in text


def test_without_anyone_to_alert_the_500_page_does_not_claim_it(settings):
    from django.test import RequestFactory

    from core.errors import server_error

    settings.ERRORS_ALERT_SOMEONE = False
    html = server_error(RequestFactory().get("/")).content.decode()
    assert "prévenue" not in html
    assert "Réessayez dans quelques minutes." in html


def test_email_file_path_is_honoured(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "mails"
    mail_send(
        to="camille@exemple.fr",
        template="petitions/email/confirm",
        context={
            "signature": {"first_name": "Camille"},
            "petition": {"title": "Libérez Ana"},
            "confirm_url": "http://testserver/x/",
        },
        language="fr",
    )
    files = list((tmp_path / "mails").iterdir())
    assert len(files) == 1
    assert "camille@exemple.fr" in files[0].read_text()


def test_email_file_path_comes_from_the_environment():
    import os
    import subprocess
    import sys

    from tests.core.test_settings import ROOT

    env = {**os.environ, "DJANGO_DEBUG": "1", "EMAIL_FILE_PATH": "/tmp/victoires-mails"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    code = "from django.conf import settings; print(settings.EMAIL_FILE_PATH)"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.stdout.strip().splitlines()[-1] == "/tmp/victoires-mails", result.stderr
    assert json  # noqa: B018
