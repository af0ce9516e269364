"""Build the bank file (pain.008) of the debits due on a date.

The file holds IBANs: it is written with mode 0600, never under MEDIA_ROOT, and each
write is recorded as a download.
"""

import os
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from donations.services import BankFileRefused, bank_file_create, batch_download


def _output_paths(output: str | None, batches) -> list[Path]:
    if output is None:
        return [Path(batch.filename) for batch in batches]
    path = Path(output)
    if len(batches) == 1:
        return [path]
    return [path.with_name(f"{path.stem}-{batch.part}{path.suffix}") for batch in batches]


def _is_under(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(Path(folder).resolve())
    except ValueError:
        return False
    return True


def write_private(path: Path, content: bytes) -> None:
    """Write ``content`` readable by its owner only (0600), whatever the umask."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, content)
    finally:
        os.close(fd)


class Command(BaseCommand):
    help = "Crée le fichier de prélèvements (pain.008) des prélèvements dus à une date."

    def add_arguments(self, parser):
        parser.add_argument("--due", required=True, help="Date d'échéance, AAAA-MM-JJ.")
        parser.add_argument(
            "--output", help="Fichier à écrire (par défaut <identifiant du message>.xml)."
        )

    def handle(self, *args, due, output, **options):
        try:
            due_on = date.fromisoformat(due)
        except ValueError:
            raise CommandError(f"--due : date invalide {due!r} (AAAA-MM-JJ attendu).") from None
        if output and _is_under(Path(output), settings.MEDIA_ROOT):
            raise CommandError("Le fichier bancaire ne doit jamais être écrit sous MEDIA_ROOT.")
        try:
            batches = bank_file_create(due_on=due_on)
        except BankFileRefused as exc:
            raise CommandError(str(exc)) from None
        if not batches:
            self.stdout.write("Aucun prélèvement à envoyer pour cette échéance.")
            return
        for batch, path in zip(batches, _output_paths(output, batches), strict=True):
            write_private(path, batch_download(batch=batch, channel="command"))
            self.stdout.write(
                f"{path} : prélèvements : {batch.debit_count}, pour {batch.total} €, "
                f"message {batch.message_id}."
            )
