"""Tokens for the links we email (confirm a signature, confirm a mandate).

The token is derived from the object's id with the site's secret key, so a task that
carries only the id can rebuild the link, and the database stores only a SHA-256 digest
of it (looked up on the way back): a copy of the database confirms nothing.
"""

import hashlib

from django.utils.crypto import constant_time_compare, salted_hmac


def confirmation_token(*, purpose: str, pk: int) -> str:
    """The token for object ``pk`` and one purpose (e.g. 'signature', 'mandate')."""
    return salted_hmac(f"victoires.confirm.{purpose}", str(pk), algorithm="sha256").hexdigest()


def token_digest(token: str) -> str:
    """What the database keeps: the SHA-256 of the token."""
    return hashlib.sha256(token.encode()).hexdigest()


def token_matches(*, token: str, digest: str) -> bool:
    return constant_time_compare(token_digest(token), digest)
