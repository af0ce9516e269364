"""Apply the amount and debit-day changes whose date has come, and end the pauses donors
chose whose day has come (run daily)."""

from django.core.management.base import BaseCommand

from donations.services import mandate_changes_apply, mandates_pause_end


class Command(BaseCommand):
    help = (
        "Applique les changements de montant ou de jour de prélèvement arrivés à échéance "
        "et termine les pauses arrivées à leur fin."
    )

    def handle(self, *args, **options):
        count = mandate_changes_apply()
        resumed = mandates_pause_end()
        self.stdout.write(f"Changements appliqués : {count}. Pauses terminées : {resumed}.")
