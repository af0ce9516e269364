from datetime import timedelta

import pytest
from django.utils import timezone

from petitions.forms import started_stamp


@pytest.fixture
def sign_data():
    """A filled-in form, shown a minute ago (well past the minimum fill time)."""

    def build(**overrides):
        data = {
            "first_name": "Camille",
            "last_name": "Martin",
            "email": "camille@exemple.fr",
            "country": "FR",
            "postal_code": "75011",
            "notify_outcome": "on",
            "website": "",
            "started": started_stamp(timezone.now() - timedelta(minutes=1)),
        }
        data.update(overrides)
        return {key: value for key, value in data.items() if value is not None}

    return build


@pytest.fixture(autouse=True)
def _french_first():
    """A request to /en/ leaves English active in the test thread: start each test in French."""
    from django.utils import translation

    translation.activate("fr")
    yield
    translation.activate("fr")


@pytest.fixture
def start_of_a_minute():
    """Run the test from the first second of a minute: the per-minute limits count in fixed
    windows, and a test that crossed into the next one would start a fresh count."""
    import time

    import time_machine

    start = (int(time.time()) // 60 + 1) * 60 + 1
    with time_machine.travel(start, tick=True):
        yield
