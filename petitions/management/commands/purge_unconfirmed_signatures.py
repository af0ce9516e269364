"""Daily: erase signatures nobody confirmed within 7 days (the notice beside the form says so)."""

from django.core.management.base import BaseCommand

from petitions.services import signatures_purge_unconfirmed


class Command(BaseCommand):
    help = "Efface les signatures non confirmées depuis plus de 7 jours (à lancer chaque jour)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=None, help="Délai de conservation, en jours."
        )

    def handle(self, *args, days, **options):
        deleted = signatures_purge_unconfirmed(days=days)
        self.stdout.write(f"Signatures non confirmées effacées : {deleted}.")
