from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.typesetting import typeset_catalogue


class Command(BaseCommand):
    help = "Fill the French catalogue with the typeset strings (no-break spaces before : ; ! ?)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Fail if the catalogue is not up to date."
        )

    def handle(self, *args, check=False, **options):
        import polib  # a development tool (the dev extra): only `make messages` runs this

        path = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"
        po = polib.pofile(str(path), wrapwidth=79)
        changed = typeset_catalogue(po)
        if check:
            if changed:
                raise CommandError(f"{path}: {changed} strings to typeset (run make messages)")
            return
        po.save()
        self.stdout.write(f"{changed} French strings typeset.")
