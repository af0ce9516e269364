"""Load the demo content of every app: each app's ``demo.py`` has a ``load(stdout)``.

Discovered by convention in the order of INSTALLED_APPS (cases before petitions, which
link to them). Loading twice changes nothing. Development only: demo accounts have
published passwords.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = "Charge le contenu de démonstration (victoires, pétitions, dons, comptes)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load even with DJANGO_DEBUG off (never on a real site: demo passwords).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError("Demo content is for development only (set DJANGO_DEBUG=1).")
        for app_config in apps.get_app_configs():
            module_name = f"{app_config.name}.demo"
            if find_spec(module_name) is None:
                continue
            module = import_module(module_name)
            with transaction.atomic():
                module.load(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Contenu de démonstration chargé."))
