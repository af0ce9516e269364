"""Issue the year's tax receipts (reçus fiscaux): one per donor, emailed by a task."""

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from donations.models import Receipt
from donations.receipt_pdf import receipt_pdf
from donations.services import receipts_issue


def receipts_write(*, year: int, directory: Path) -> int:
    """Write the PDF of every receipt of ``year`` not already in ``directory`` (readable by
    its owner only: names and addresses). Numbers are never reused and a receipt always
    gives the same bytes, so a file already there is that receipt. Returns how many."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    written = 0
    receipts = Receipt.objects.for_year(year).select_related("original").order_by("sequence")
    for receipt in receipts.iterator(chunk_size=500):
        path = directory / receipt.filename
        if path.exists():
            continue
        content = receipt_pdf(receipt)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
        written += 1
    return written


class Command(BaseCommand):
    help = (
        "Émet les reçus fiscaux d'une année de dons : un par donateur, pour les prélèvements "
        "encaissés cette année-là et ni retournés ni remboursés, envoyés par courriel. "
        "Relancée, elle n'émet rien de plus, sauf les reçus d'annulation et rectificatifs "
        "d'un don remboursé depuis."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="Année des dons (AAAA).")
        parser.add_argument(
            "--output-dir",
            type=Path,
            help="Dossier où écrire les PDF des reçus de l'année, pour l'envoi par la poste.",
        )
        parser.add_argument(
            "--no-email",
            action="store_true",
            help="N'envoie pas les nouveaux reçus par courriel (envoi par la poste seulement).",
        )

    def handle(self, *args, year, output_dir=None, no_email=False, **options):
        today = timezone.localdate()
        if not 2000 <= year < today.year:
            raise CommandError(
                f"L'année des dons doit être terminée : {year} n'est pas entre 2000 et "
                f"{today.year - 1}."
            )
        result = receipts_issue(year=year, today=today, send=not no_email)
        self.stdout.write(
            f"{year} : reçus émis : {result.originals}, reçus d'annulation : "
            f"{result.cancellations}, reçus rectificatifs : {result.corrections}."
        )
        if result.total:
            self.stdout.write(f"Numéros {result.first_number} à {result.last_number}.")
        if output_dir is not None:
            try:
                written = receipts_write(year=year, directory=output_dir)
            except OSError as error:
                raise CommandError(
                    f"Les reçus sont émis, mais les PDF n'ont pas pu être écrits dans "
                    f"{output_dir} : {error.strerror}. Relancez la commande avec un dossier "
                    "accessible : aucun reçu ne sera émis deux fois."
                ) from None
            self.stdout.write(f"PDF écrits dans {output_dir} : {written}.")
