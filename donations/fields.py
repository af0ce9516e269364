"""A text field stored encrypted (Fernet, key ``settings.FIELD_ENCRYPTION_KEY``).

The column holds the Fernet token; Python code sees the clear value. Encrypted values
cannot be searched or filtered: keep what lists need (a masked copy) in another field.

Keys rotate without downtime: values are written with ``FIELD_ENCRYPTION_KEY`` and read
with it or any key of ``FIELD_ENCRYPTION_KEYS_OLD`` (``MultiFernet``);
``manage.py reencrypt_fields`` rewrites every stored value with the current key, after
which the old key can go (docs/configuration.md).
"""

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEY and FIELD_ENCRYPTION_KEYS_OLD must be Fernet keys "
            "(32 bytes, url-safe base64)"
        ) from exc


def fernet() -> MultiFernet:
    """Encrypts with the current key; decrypts with the current key or an old one."""
    old = getattr(settings, "FIELD_ENCRYPTION_KEYS_OLD", [])
    return _fernet((settings.FIELD_ENCRYPTION_KEY, *old))


def current_fernet() -> MultiFernet:
    """The current key alone: what a value needs to be readable once the old keys go."""
    return _fernet((settings.FIELD_ENCRYPTION_KEY,))


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
                "An encrypted value cannot be read with FIELD_ENCRYPTION_KEY "
                "(nor FIELD_ENCRYPTION_KEYS_OLD)"
            ) from exc


def encrypted_fields() -> list[tuple[type[models.Model], EncryptedTextField]]:
    """Every encrypted column of every installed model, e.g. ``(Mandate, iban)``."""
    return [
        (model, field)
        for model in apps.get_models()
        if not model._meta.proxy
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedTextField)
    ]
