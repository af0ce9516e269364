"""Draw the share cards every case lacks (after deploying them, or after a new layout:
bump ``cases.share_cards.VERSION``). Cards up to date are left alone."""

from django.core.management.base import BaseCommand

from cases.models import Case
from cases.tasks import share_card_make
from core.tasks import enqueue_on_commit


class Command(BaseCommand):
    help = "Dessine les cartes de partage manquantes ou périmées de chaque victoire."

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="Les dessiner ici, sans la file.")

    def handle(self, *args, now=False, **options):
        results = {}
        for pk in Case.objects.order_by("pk").values_list("pk", flat=True):
            if now:
                result = share_card_make.call(pk)
            else:
                enqueue_on_commit(share_card_make, pk)
                result = "queued"
            results[result] = results.get(result, 0) + 1
        self.stdout.write(", ".join(f"{name}: {count}" for name, count in sorted(results.items())))
