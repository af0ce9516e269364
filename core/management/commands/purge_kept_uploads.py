"""Delete the photos kept after a refused save once they are a day old: run daily."""

from django.core.management.base import BaseCommand

from core.uploads import kept_uploads_purge


class Command(BaseCommand):
    help = "Supprime les photos gardées après un enregistrement refusé, au bout d'un jour."

    def handle(self, *args, **options):
        self.stdout.write(f"kept uploads removed: {kept_uploads_purge()}")
