"""Enforce every retention rule every app declares (``privacy.py``): run daily."""

from django.core.management.base import BaseCommand
from django.utils.translation import override

from core.personal_data import retention_apply


class Command(BaseCommand):
    help = "Applique les durées de conservation de chaque application (à lancer chaque jour)."

    def handle(self, *args, **options):
        with override("fr"):
            for rule, count in retention_apply():
                if count is None:
                    self.stdout.write(f"{rule.key}: {rule.outside}")
                else:
                    self.stdout.write(f"{rule.key}: {count}")
