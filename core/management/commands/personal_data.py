"""What the site holds about one person, across every app (each app's ``privacy.py``).

    manage.py personal_data export EMAIL      one JSON document on standard output
    manage.py personal_data erase EMAIL       erase or anonymise; prints what was kept and why
    manage.py personal_data replay --since D  after restoring a backup: redo the erasures
                                              journaled since D (the backup's date)

Every run is journaled (who, when, what was done; never the data).
"""

import json
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override

from core.models import PrivacyRequest
from core.personal_data import erasures_replay, person_erase, person_export_journaled


class Command(BaseCommand):
    help = "Exporte ou efface les données d'une personne (toutes les applications)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "erase", "replay"])
        parser.add_argument("email", nargs="?", default="")
        parser.add_argument(
            "--since",
            help="replay: the date and time the restored backup was taken (YYYY-MM-DD[THH:MM]).",
        )

    def handle(self, *args, action, email, since=None, **options):
        if action == "replay":
            return self._replay(since)
        if "@" not in email:
            raise CommandError("Give the person's email address.")
        if action == "export":
            document = person_export_journaled(email=email, channel=PrivacyRequest.Channel.COMMAND)
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
            return
        with override("fr"):
            results = person_erase(email=email, channel=PrivacyRequest.Channel.COMMAND)
            for decl, result in results:
                if not (result.done or result.kept):
                    continue
                self.stdout.write(f"{decl.title} :")
                for line in result.done:
                    self.stdout.write(f"  - {line}")
                for kept in result.kept:
                    until = f" jusqu'au {date_format(kept.until, 'j F Y')}" if kept.until else ""
                    self.stdout.write(f"  - gardé{until} : {kept.what} — {kept.why}")
            if not any(r.done or r.kept for _d, r in results):
                self.stdout.write("Aucune donnée pour cette adresse.")

    def _replay(self, since):
        if not since:
            raise CommandError("replay needs --since (when the restored backup was taken).")
        try:
            moment = datetime.fromisoformat(since)
        except ValueError:
            raise CommandError("--since must be YYYY-MM-DD or YYYY-MM-DDTHH:MM.") from None
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        count = erasures_replay(since=moment)
        self.stdout.write(f"Effacements rejoués : {count}.")
