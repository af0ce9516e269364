"""Staff logins: a lockout after 5 wrong passwords, a second factor on every admin request,
sessions that end after 8 idle hours."""

import logging
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import two_factor
from tests.clients import totp_now, verified_device_for
from tests.core.test_settings import PRODUCTION, ROOT

pytestmark = pytest.mark.django_db

PASSWORD = "un-mot-de-passe-2026"


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user(
        "redac", "redac@exemple.fr", PASSWORD, is_staff=True, is_superuser=True
    )


def password_step(client, username="redac", password=PASSWORD, **extra):
    return client.post(
        "/admin/login/?next=/admin/cases/case/",
        {"username": username, "password": password, "next": "/admin/cases/case/"},
        **extra,
    )


def test_the_password_alone_reaches_no_admin_page(staff):
    client = Client()
    verified_device_for(staff)
    response = password_step(client)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/second-factor/?next=/admin/cases/case/")
    for path in ("/admin/", "/admin/cases/case/", "/admin/auth/user/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/admin/login/")


def test_the_code_of_the_authenticator_opens_the_admin(staff, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's delay after a wrong code (1 s, 2 s…)
    client = Client()
    device = verified_device_for(staff)
    password_step(client)
    wrong = client.post("/admin/second-factor/", {"code": "000000", "next": "/admin/"})
    assert wrong.status_code == 200
    assert "Ce code n’est pas le bon" in wrong.content.decode()
    assert client.get("/admin/").status_code == 302
    right = client.post("/admin/second-factor/", {"code": totp_now(device), "next": "/admin/"})
    assert right.status_code == 302 and right["Location"] == "/admin/"
    assert client.get("/admin/cases/case/").status_code == 200


def test_a_recovery_code_works_once(staff):
    verified_device_for(staff)
    codes = two_factor.recovery_codes_new(staff)
    assert len(codes) == 10 and len(set(codes)) == 10
    first = Client()
    password_step(first)
    response = first.post("/admin/second-factor/", {"code": codes[0].upper(), "next": "/admin/"})
    assert response.status_code == 302
    assert first.get("/admin/").status_code == 200
    second = Client()
    password_step(second)
    again = second.post("/admin/second-factor/", {"code": codes[0], "next": "/admin/"})
    assert again.status_code == 200
    assert second.get("/admin/").status_code == 302
    assert StaticToken.objects.count() == 9


def test_the_second_step_is_throttled(staff, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # our own limit alone, not django-otp's delay
    client = Client()
    device = verified_device_for(staff)
    password_step(client)
    for _ in range(two_factor.SECOND_STEP.limit):
        client.post("/admin/second-factor/", {"code": "123456"})
    response = client.post("/admin/second-factor/", {"code": totp_now(device)})
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    assert "Trop de codes essayés" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_a_new_staff_member_enrols_with_the_secret_and_gets_recovery_codes(staff):
    client = Client()
    password_step(client)
    response = client.get("/admin/cases/case/")
    assert response.status_code == 302
    enrol = client.get(client.get(response["Location"])["Location"])
    assert enrol.status_code == 200
    html = enrol.content.decode()
    assert 'src="data:image/svg+xml' in html
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    assert two_factor.device_secret(device) in html
    done = client.post("/admin/second-factor/enrol/", {"code": totp_now(device)})
    assert done.status_code == 200
    assert done.content.decode().count("<li><code>") == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/cases/case/").status_code == 200


def test_an_enrolled_account_cannot_enrol_a_new_device_without_its_second_factor(staff):
    client = Client()
    verified_device_for(staff)
    password_step(client)
    response = client.get("/admin/second-factor/enrol/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/second-factor/?")
    assert TOTPDevice.objects.filter(user=staff).count() == 1


def test_a_lost_phone_is_reset_by_a_command_and_the_account_enrols_again(staff):
    from django.core.management import call_command

    verified_device_for(staff)
    two_factor.recovery_codes_new(staff)
    call_command("second_factor_reset", "redac", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not two_factor.has_device(staff)
    assert not StaticToken.objects.exists()


def test_demo_accounts_skip_the_second_factor_only_in_debug_with_the_setting(settings):
    demo = get_user_model().objects.create_user(
        "admin", "admin@demo.invalid", "admin-demo-2026", is_staff=True, is_superuser=True
    )
    client = Client()
    client.force_login(demo)
    settings.OTP_SKIP_DEMO_ACCOUNTS = True
    settings.DEBUG = True
    assert client.get("/admin/").status_code == 200
    settings.DEBUG = False
    assert client.get("/admin/").status_code == 302
    settings.DEBUG = True
    settings.OTP_SKIP_DEMO_ACCOUNTS = False
    assert client.get("/admin/").status_code == 302


def test_check_deploy_refuses_the_demo_skip_in_production():
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(PRODUCTION, OTP_SKIP_DEMO_ACCOUNTS="1", DJANGO_SETTINGS_MODULE="config.settings")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "core.E010" in result.stderr + result.stdout


def test_five_wrong_passwords_lock_the_account_from_that_address_for_15_minutes(staff, caplog):
    client = Client()
    with caplog.at_level(logging.WARNING):
        statuses = [
            password_step(client, password="faux-mot-de-passe-secret").status_code for _ in range(5)
        ]
    assert statuses == [200, 200, 200, 200, 429]  # the fifth failure locks
    locked = password_step(client)  # the right password, too late
    assert locked.status_code == 429
    assert locked["Retry-After"] == "900"
    assert "ce compte est bloqué 15 minutes" in locked.content.decode()
    # Another address is not locked out of the account (no lock anyone could trigger).
    assert password_step(Client(REMOTE_ADDR="198.51.100.9")).status_code == 302
    # Failures are logged with the account (not its address), never the password.
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "New login failure" in logged and "redac" in logged
    assert "127.0.0.1" not in logged
    assert "faux-mot-de-passe-secret" not in logged


def test_behind_our_proxy_the_lock_is_per_client_address(staff, settings):
    settings.TRUSTED_PROXIES = 1
    client = Client()
    for _ in range(5):
        password_step(
            client, password="faux", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5"
        )
    locked = password_step(client, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert locked.status_code == 429
    other = password_step(Client(), REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert other.status_code == 302


def test_a_staff_session_ends_after_8_idle_hours_and_a_visitors_session_is_untouched(
    admin_client, client
):
    admin_client.get("/admin/")
    assert admin_client.session.get_expiry_age() == 8 * 60 * 60
    assert admin_client.session["_session_expiry"] == 8 * 60 * 60
    client.get("/")
    assert "_session_expiry" not in client.session
