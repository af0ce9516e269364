"""Create the debits due within the horizon for every active mandate (run daily)."""

from django.core.management.base import BaseCommand

from donations.services import SCHEDULE_DAYS, debits_schedule


class Command(BaseCommand):
    help = "Programme les prélèvements à venir des mandats actifs (un par mandat et par mois)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=SCHEDULE_DAYS,
            help="Horizon en jours (14 par défaut).",
        )

    def handle(self, *args, days, **options):
        count = debits_schedule(days=max(days, 0))
        self.stdout.write(f"Prélèvements programmés : {count}.")
