"""Mandates with no debit presented for 36 months lapse (run daily)."""

from django.core.management.base import BaseCommand

from donations.services import mandates_lapse


class Command(BaseCommand):
    help = "Rend caducs les mandats sans prélèvement présenté depuis 36 mois."

    def handle(self, *args, **options):
        count = mandates_lapse()
        self.stdout.write(f"Mandats devenus caducs : {count}.")
