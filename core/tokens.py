"""Tokens for the links we email (confirm a signature, a mandate, open the personal space).

:func:`token_issue` / :func:`token_use`: the token is random (``secrets``), only its
SHA-256 digest is stored (:class:`core.models.EmailToken`), it serves one purpose, once,
until it expires. It owes nothing to ``SECRET_KEY``: rotating the key breaks no link
already sent, and a copy of the database confirms nothing. Issuing again for the same
purpose and target replaces the stored digest (a resend kills the old link). Used and
expired tokens are purged daily by ``manage.py apply_retention`` (rule ``core.tokens`` in
``core/privacy.py``).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.apps import apps
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare

TOKEN_BYTES = 32  # 256 bits of randomness: 43 URL-safe characters
TOKEN_MAX_LENGTH = 128  # longer input is not a token of ours (and is never hashed)


def token_digest(token: str) -> str:
    """What the database keeps: the SHA-256 of the token."""
    return hashlib.sha256(token.encode()).hexdigest()


def token_matches(*, token: str, digest: str) -> bool:
    return constant_time_compare(token_digest(token), digest)


def _target_key(target) -> tuple[str, str]:
    """(model label, id) for a saved row; ("", text) for a plain string target such as an
    email address (the personal space's link names a person, not a row)."""
    if isinstance(target, models.Model):
        if target.pk is None:
            raise ValueError("a token's target must be saved first")
        return target._meta.label_lower, str(target.pk)
    if isinstance(target, str) and target:
        return "", target
    raise TypeError("a token's target is a saved model instance or a non-empty string")


def _target_load(model_label: str, target_id: str, queryset=None):
    """The target a token names: the string itself, or the row, read through ``queryset``
    when it is of the target's model (the caller's ``select_related``/``only``)."""
    if not model_label:
        return target_id
    if queryset is None or queryset.model._meta.label_lower != model_label:
        try:
            queryset = apps.get_model(model_label)._default_manager.all()
        except LookupError:
            return None
    try:
        return queryset.get(pk=target_id)  # no ORDER BY, unlike first()
    except queryset.model.DoesNotExist:
        return None


def _token_spend(*, purpose: str, digest: str, now) -> tuple[str, str] | None:
    """Spend a live token in one statement: ``UPDATE … RETURNING`` its target.

    The condition ``used_at IS NULL`` is checked again by the database once a concurrent
    spender commits (PostgreSQL waits for the row's lock, SQLite for the database's), so
    of two simultaneous uses exactly one gets the target back."""
    from core.models import EmailToken

    quote = connection.ops.quote_name
    table = quote(EmailToken._meta.db_table)
    used_at, target_model, target_id, purpose_column, digest_column, expires_at = (
        quote(EmailToken._meta.get_field(name).column)
        for name in ("used_at", "target_model", "target_id", "purpose", "digest", "expires_at")
    )
    # Only the model's own quoted names are formatted in; the values are parameters.
    sql = (
        f"UPDATE {table} SET {used_at} = %s "  # noqa: S608
        f"WHERE {purpose_column} = %s AND {digest_column} = %s "
        f"AND {used_at} IS NULL AND {expires_at} > %s "
        f"RETURNING {target_model}, {target_id}"
    )
    moment = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.execute(sql, [moment, purpose, digest, moment])
        return cursor.fetchone()


def token_issue(*, purpose: str, target, days: int = 0, hours: int = 0, now=None) -> str:
    """Create the token for ``target`` and ``purpose``, valid ``days`` (and ``hours``);
    store its digest, replacing any earlier token for the same purpose and target; return
    the raw token (to put in the emailed link, never stored)."""
    from core.models import EmailToken

    lifetime = timedelta(days=days, hours=hours)
    if lifetime <= timedelta(0):
        raise ValueError("a token must live for some time")
    if not purpose:
        raise ValueError("a token needs a purpose")
    now = now or timezone.now()
    model_label, target_id = _target_key(target)
    raw = secrets.token_urlsafe(TOKEN_BYTES)
    with transaction.atomic():
        EmailToken.objects.update_or_create(
            purpose=purpose,
            target_model=model_label,
            target_id=target_id,
            defaults={
                "digest": token_digest(raw),
                "created_at": now,
                "expires_at": now + lifetime,
                "used_at": None,
            },
        )
    return raw


def token_use(*, purpose: str, raw: str, consume: bool = True, now=None, queryset=None):
    """The target of a valid token of ``purpose`` (a model instance, or the string it was
    issued for), or ``None`` when the token is unknown, of another purpose, expired,
    already used, or its target is gone. With ``consume`` (the default) the token is spent,
    in one statement: a second use, even a concurrent one, gets ``None``. Pass
    ``consume=False`` to show a confirm-by-POST page without spending the token. A token
    whose target is gone is spent all the same (it can open nothing). A row target is read
    through ``queryset`` when given (e.g. with ``select_related``)."""
    from core.models import EmailToken

    if not raw or not isinstance(raw, str) or len(raw) > TOKEN_MAX_LENGTH:
        return None
    now = now or timezone.now()
    digest = token_digest(raw)
    if consume:
        found = _token_spend(purpose=purpose, digest=digest, now=now)
    else:
        found = (
            EmailToken.objects.filter(
                purpose=purpose, digest=digest, used_at__isnull=True, expires_at__gt=now
            )
            .values_list("target_model", "target_id")
            .first()
        )
    if found is None:
        return None
    return _target_load(*found, queryset=queryset)


def token_recently_used(*, purpose: str, raw: str, within: timedelta, now=None, queryset=None):
    """The target of a token of ``purpose`` spent less than ``within`` ago, else ``None``:
    a confirm button clicked twice, or the emailed link opened again just after, gets the
    page of what was done instead of « ce lien n'est plus valable »."""
    from core.models import EmailToken

    if not raw or not isinstance(raw, str) or len(raw) > TOKEN_MAX_LENGTH:
        return None
    now = now or timezone.now()
    row = (
        EmailToken.objects.filter(
            purpose=purpose, digest=token_digest(raw), used_at__gt=now - within
        )
        .only("target_model", "target_id")
        .first()
    )
    return None if row is None else _target_load(row.target_model, row.target_id, queryset)


def token_revoke(*, purpose: str, target) -> int:
    """Forget the token of ``purpose`` for ``target`` (its link stops working)."""
    from core.models import EmailToken

    model_label, target_id = _target_key(target)
    deleted, _per_model = EmailToken.objects.filter(
        purpose=purpose, target_model=model_label, target_id=target_id
    ).delete()
    return deleted


def tokens_purge(*, now=None) -> int:
    """Delete the tokens that can no longer be used (spent or expired)."""
    from core.models import EmailToken

    now = now or timezone.now()
    deleted, _per_model = EmailToken.objects.filter(
        models.Q(used_at__isnull=False) | models.Q(expires_at__lte=now)
    ).delete()
    return deleted
