"""A staff member lost their phone: remove their devices and recovery codes, so their next
login asks them to enrol a new authenticator app (docs/security.md)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from core.two_factor import devices_reset


class Command(BaseCommand):
    help = "Remove a staff account's second-factor devices (lost phone); it enrols again."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account named {username!r}.")
        devices_reset(user)
        self.stdout.write(
            f"Second factor reset for {username}: the next login enrols a new device."
        )
