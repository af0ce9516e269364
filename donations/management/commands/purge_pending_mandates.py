"""Delete the mandates never confirmed after 7 days, with their IBAN (run daily)."""

from django.core.management.base import BaseCommand

from donations.services import pending_mandates_purge


class Command(BaseCommand):
    help = "Supprime les mandats non confirmés depuis plus de 7 jours, avec leur IBAN."

    def handle(self, *args, **options):
        count = pending_mandates_purge()
        self.stdout.write(f"Mandats non confirmés supprimés : {count}.")
