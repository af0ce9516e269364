"""Rewrite every encrypted value (IBANs, bank files) with the current FIELD_ENCRYPTION_KEY.

Run after moving the old key to FIELD_ENCRYPTION_KEYS_OLD and the new one to
FIELD_ENCRYPTION_KEY, while the site runs (docs/configuration.md). Each value is replaced
only if it still holds what was read (compare and swap), so a concurrent write is never
undone; values already under the current key are left alone, so running it twice changes
nothing. ``--check`` changes nothing and fails while a value still needs an old key.
"""

from cryptography.fernet import InvalidToken
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction
from django.db.models.functions import Cast

from donations.fields import current_fernet, encrypted_fields, fernet

BATCH = 500


def _needs_rewrite(token: str) -> bool:
    try:
        current_fernet().decrypt(token.encode())
    except InvalidToken:
        return True
    return False


def _raw_values(model, field, after_pk):
    """(pk, stored token) of the next batch, read as stored (no decryption)."""
    return list(
        model._base_manager.filter(pk__gt=after_pk)
        .exclude(**{f"{field.attname}__isnull": True})
        .exclude(**{field.attname: ""})
        .annotate(_stored=Cast(field.attname, output_field=models.TextField()))
        .order_by("pk")
        .values_list("pk", "_stored")[:BATCH]
    )


def _swap(model, field, rows) -> int:
    """Write the new tokens where the old ones are still stored; how many were written."""
    quote = connection.ops.quote_name
    table, column, pk = model._meta.db_table, field.column, model._meta.pk.column
    sql = (
        f"UPDATE {quote(table)} SET {quote(column)} = %s "  # noqa: S608 (names from the model)
        f"WHERE {quote(pk)} = %s AND {quote(column)} = %s"
    )
    written = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for new, key, old in rows:
            cursor.execute(sql, [new, key, old])
            written += cursor.rowcount
    return written


def _batches(model, field):
    after = 0
    while rows := _raw_values(model, field, after):
        after = rows[-1][0]
        yield rows


def _rewrite(model, field, keys) -> tuple[int, int]:
    """Re-encrypt the values still under an old key: (values seen, values rewritten)."""
    seen = rewritten = 0
    for rows in _batches(model, field):
        seen += len(rows)
        todo = [(pk, token) for pk, token in rows if _needs_rewrite(token)]
        try:
            swaps = [(keys.rotate(token.encode()).decode(), pk, token) for pk, token in todo]
        except InvalidToken:
            raise CommandError(
                f"{model._meta.label}.{field.name} : une valeur ne se lit avec aucune clé "
                "(FIELD_ENCRYPTION_KEY, FIELD_ENCRYPTION_KEYS_OLD)."
            ) from None
        if swaps:
            rewritten += _swap(model, field, swaps)
    return seen, rewritten


def _stale(model, field) -> int:
    """How many values the current key alone cannot read."""
    return sum(1 for rows in _batches(model, field) for _pk, token in rows if _needs_rewrite(token))


class Command(BaseCommand):
    help = (
        "Rechiffre avec FIELD_ENCRYPTION_KEY chaque valeur chiffrée (IBAN, fichiers "
        "bancaires) encore chiffrée avec une ancienne clé ; --check ne change rien et "
        "échoue s'il en reste."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Compter les valeurs qui ont encore besoin d'une ancienne clé, sans rien changer.",
        )

    def handle(self, *args, check=False, **options):
        keys = fernet()
        left = 0
        for model, field in encrypted_fields():
            label = f"{model._meta.label}.{field.name}"
            if not check:
                seen, rewritten = _rewrite(model, field, keys)
                self.stdout.write(f"{label} : {rewritten} valeur(s) rechiffrée(s) sur {seen}.")
            stale = _stale(model, field)
            if check or stale:
                self.stdout.write(f"{label} : {stale} valeur(s) encore sous une ancienne clé.")
            left += stale
        if left:
            raise CommandError(
                f"{left} valeur(s) ont encore besoin d'une ancienne clé : gardez-la dans "
                "FIELD_ENCRYPTION_KEYS_OLD" + ("." if check else " et relancez la commande.")
            )
        self.stdout.write("Toutes les valeurs se lisent avec FIELD_ENCRYPTION_KEY seule.")
