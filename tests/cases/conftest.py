import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.factories import CaseFactory, MobilisationFigureFactory, OutcomeEventFactory


def image_file(name="photo.jpg", size=(1200, 900), image_format="JPEG", colour="#0b4f9c"):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, image_format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{image_format.lower()}")


@pytest.fixture
def skotchilenko(db):
    case = CaseFactory(
        name="Alexandra Skotchilenko",
        slug="alexandra-skotchilenko",
        gender="female",
        country="RU",
        headline_fr="Une artiste opposée à la guerre, graciée et libérée",
        headline_en="An artist against the war, pardoned and freed",
        quote_fr="Votre solidarité m’a aidée à survivre et à croire aux miracles.",
        quote_en="Your solidarity helped me survive and believe in miracles.",
    )
    OutcomeEventFactory(case=case, kind="pardoned", date=date(2024, 8, 1))
    OutcomeEventFactory(case=case, kind="released", date=date(2024, 8, 1))
    MobilisationFigureFactory(case=case, scope="world", count=594_400, qualifier="more_than")
    MobilisationFigureFactory(case=case, scope="france", count=115_100, qualifier="exact")
    return case


@pytest.fixture
def taner(db):
    case = CaseFactory(
        name="Taner Kılıç",
        slug="taner-kilic",
        gender="male",
        country="TR",
        headline_fr="Acquitté après six ans de harcèlement judiciaire",
        headline_en="Acquitted after six years of judicial harassment",
        quote_fr="Je remercie chacune des personnes qui ont pris ma défense.",
        quote_en="I thank every single person who stood up for me.",
    )
    OutcomeEventFactory(case=case, kind="acquitted", date=date(2023, 1, 1), date_precision="year")
    MobilisationFigureFactory(case=case, scope="world", count=2_000_000)
    MobilisationFigureFactory(case=case, scope="france", count=85_000)
    return case


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("chef", "chef@example.invalid", "pw")
    client.force_login(user)
    return client


@pytest.fixture
def editor_client(client, django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(
        "redac", "redac@example.invalid", "pw", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Éditeurs"))
    client.force_login(user)
    return client


@pytest.fixture
def visitor():
    """An anonymous visitor, separate from the logged-in `client` of staff fixtures."""
    from django.test import Client

    return Client()
