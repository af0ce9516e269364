"""Run every daily command in order (``settings.DAILY_COMMANDS``) and record the run.

One failing step does not stop the next ones (a purge that fails must not stop the
debits); the run is recorded as failed and the command exits with an error.
"""

import io
import traceback

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.models import CommandRun


class Command(BaseCommand):
    help = "Lance dans l'ordre les commandes quotidiennes (purges, prélèvements, caducités…)."

    def handle(self, *args, **options):
        run = CommandRun.objects.create(name="daily", started_at=timezone.now())
        lines, failed = [], []
        for name in settings.DAILY_COMMANDS:
            out = io.StringIO()
            try:
                call_command(name, stdout=out, stderr=out)
            except Exception as exc:  # noqa: BLE001 - every step runs; the run says which failed
                failed.append(name)
                lines.append(f"{name}: ÉCHEC {exc.__class__.__name__}")
                self.stderr.write(f"{name}: {exc.__class__.__name__}")
                self.stderr.write(traceback.format_exc(limit=3))
                continue
            summary = " ".join(out.getvalue().split())
            lines.append(f"{name}: {summary}")
            self.stdout.write(f"{name}: {summary}")
        run.finished_at = timezone.now()
        run.succeeded = not failed
        run.report = "\n".join(lines)
        run.save()
        if failed:
            raise CommandError(f"Échec de : {', '.join(failed)}")
