"""A text field stored encrypted (Fernet, key ``settings.FIELD_ENCRYPTION_KEY``).

The column holds the Fernet token; Python code sees the clear value. Encrypted values
cannot be searched or filtered: keep what lists need (a masked copy) in another field.
"""

from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@cache
def _fernet(key: str) -> Fernet:
    try:
        return Fernet(key.encode())
    except ValueError as exc:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEY must be a Fernet key (32 bytes, url-safe base64)"
        ) from exc


def fernet() -> Fernet:
    return _fernet(settings.FIELD_ENCRYPTION_KEY)


class EncryptedTextField(models.TextField):
    """Encrypted at rest; never shown in full by the admin's widgets we build on it."""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return fernet().encrypt(value.encode()).decode()

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        try:
            return fernet().decrypt(value.encode()).decode()
        except InvalidToken as exc:
            raise ImproperlyConfigured(
                "An encrypted value cannot be read with FIELD_ENCRYPTION_KEY"
            ) from exc
