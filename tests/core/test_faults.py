"""Faults survived: Redis refused or hung, the database away, the mail server down."""

from datetime import timedelta

import pytest
from django.db import OperationalError, connection
from django.urls import reverse
from django.utils import timezone

from core.ratelimit import RateLimit
from petitions.forms import started_stamp
from petitions.models import Signature
from tests.factories import AppealFactory, CaseFactory, PetitionFactory

pytestmark = pytest.mark.django_db


def sign_data(**overrides):
    """A filled-in signing form, shown a minute ago."""
    return {
        "first_name": "Camille",
        "last_name": "Martin",
        "email": "camille@exemple.fr",
        "country": "FR",
        "website": "",
        "started": started_stamp(timezone.now() - timedelta(minutes=1)),
        **overrides,
    }


PAGES = ["/", "/victoires/", "/victoires/ana/", "/petitions/", "/petitions/p/", "/don/", "/en/"]


@pytest.fixture
def content(tiers):
    CaseFactory(name="Ana", slug="ana")
    petition = PetitionFactory(slug="p")
    AppealFactory(petition=petition)
    return petition


@pytest.fixture
def tiers():
    from decimal import Decimal

    from tests.factories import TierFactory

    return [TierFactory(amount=Decimal("15"), order=1, is_default=True)]


@pytest.mark.parametrize("port_fixture", ["closed_port", "silent_port"])
def test_every_public_page_is_served_from_the_database_without_redis(
    request, client, content, redis_at, port_fixture
):
    redis_at(request.getfixturevalue(port_fixture))
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize("port_fixture", ["closed_port", "silent_port"])
def test_signing_works_without_redis(request, client, content, redis_at, port_fixture):
    redis_at(request.getfixturevalue(port_fixture))
    response = client.post(reverse("petitions:sign", args=["p"]), sign_data())
    assert response.status_code == 302
    assert Signature.objects.get().email == "camille@exemple.fr"


def test_rate_limits_count_in_the_process_while_redis_is_away(closed_port, redis_at):
    redis_at(closed_port)
    limit = RateLimit("t.fallback", limit=2, window=60)
    assert [limit.hit("k", now=120.0) for _ in range(3)] == [True, True, False]
    assert limit.hit("other", now=120.0)
    assert limit.hit("k", now=180.0)  # a new window


def _refuse_writes_to(table, statement):
    """A database that breaks in the middle of a write (the connection lost mid-request)."""

    def wrapper(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(statement) and table in sql:
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    return wrapper


def test_a_database_lost_in_the_middle_of_signing_answers_503_and_keeps_nothing(
    client, content, settings
):
    # With the production queue, the signature and its email's task are written in one
    # transaction: the task's write fails, and the signature goes with it.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with connection.execute_wrapper(
        _refuse_writes_to("django_tasks_database_dbtaskresult", statement="INSERT")
    ):
        response = client.post(reverse("petitions:sign", args=["p"]), sign_data())
    assert response.status_code == 503
    page = response.content.decode()
    assert "réessayez dans quelques minutes" in page
    assert response["Retry-After"] == "120"
    assert response["Cache-Control"] == "no-store"
    assert not Signature.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_forms_answer_503_in_french_while_the_database_is_unreachable(client, content, closed_port):
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict["PORT"] = closed_port
    try:
        signed = client.post(reverse("petitions:sign", args=["p"]), sign_data())
        gift = client.post("/don/", {"amount_choice": "15"})
        english = client.post("/en/petitions/p/sign/", sign_data())
    finally:
        connection.close()
        connection.settings_dict.update(saved)
    assert signed.status_code == 503
    assert "réessayez dans quelques minutes" in signed.content.decode()
    assert gift.status_code == 503
    assert english.status_code == 503
    assert "try again in a few minutes" in english.content.decode()
    assert not Signature.objects.exists()
