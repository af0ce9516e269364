"""Apply the amount and debit-day changes whose date has come (run daily)."""

from django.core.management.base import BaseCommand

from donations.services import mandate_changes_apply


class Command(BaseCommand):
    help = "Applique les changements de montant ou de jour de prélèvement arrivés à échéance."

    def handle(self, *args, **options):
        count = mandate_changes_apply()
        self.stdout.write(f"{count} changement(s) appliqué(s).")
