"""Daily: add the confirmations still in counter shards to each petition's counter."""

from django.core.management.base import BaseCommand

from petitions.counts import petition_counts_fold


class Command(BaseCommand):
    help = (
        "Ajoute au compteur de chaque pétition les confirmations encore réparties "
        "dans ses parts de compteur (à lancer chaque jour)."
    )

    def handle(self, *args, **options):
        folded = petition_counts_fold()
        self.stdout.write(f"Compteurs de pétitions mis à jour : {folded}.")
