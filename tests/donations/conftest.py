import re
from decimal import Decimal

import pytest

from tests.factories import TierFactory

IBAN_FR = "FR7630006000011234567890189"


@pytest.fixture
def tiers(db):
    return [
        TierFactory(amount=Decimal("10"), order=1),
        TierFactory(amount=Decimal("15"), order=2, is_default=True),
        TierFactory(amount=Decimal("25"), order=3),
        TierFactory(amount=Decimal("50"), order=4),
    ]


@pytest.fixture
def gift_data(client, tiers):
    """A valid gift form, with the idempotency key the page hands out."""

    def make(**overrides):
        page = client.get("/don/")
        # The key the visitor's page holds (a cached page gets a new one in each response).
        key = re.search(r'name="idempotency_key" value="([^"]+)"', page.content.decode())[1]
        data = {
            "amount_choice": "15",
            "free_amount": "",
            "civility": "mme",
            "first_name": "Camille",
            "last_name": "Martin",
            "email": "camille@example.org",
            "street": "12 rue des Lilas",
            "postal_code": "69003",
            "city": "Lyon",
            "country": "FR",
            "account_holder": "Camille Martin",
            "iban": "fr76 3000 6000 0112 3456 7890 189",
            "bic": "",
            "debit_day": "15",
            "mandate_accepted": "on",
            "idempotency_key": key,
        }
        data.update(overrides)
        return data

    return make
