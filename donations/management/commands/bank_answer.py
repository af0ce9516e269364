"""Import what the bank answered: a pain.002 (rejects) or a camt.054 (returns, refunds)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from donations.services import BankAnswerRefused, bank_answer_import


class Command(BaseCommand):
    help = (
        "Importe une réponse de la banque : pain.002 (rejets avant règlement) ou camt.054 "
        "(retours et remboursements). Un fichier déjà importé ne change rien."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="Fichiers XML reçus de la banque.")

    def handle(self, *args, files, **options):
        failed = False
        for name in files:
            path = Path(name)
            try:
                content = path.read_bytes()
            except OSError as exc:
                self.stderr.write(f"{name} : illisible ({exc.strerror}).")
                failed = True
                continue
            try:
                answer, created = bank_answer_import(
                    content=content, filename=path.name, channel="command"
                )
            except BankAnswerRefused as exc:
                self.stderr.write(f"{name} : {exc}")
                failed = True
                continue
            if not created:
                self.stdout.write(
                    f"{name} : déjà importé le {answer.created_at:%d/%m/%Y %H:%M} "
                    f"(message {answer.message_id}), rien n’a changé."
                )
                continue
            self.stdout.write(
                f"{name} : {answer.get_kind_display()}, message {answer.message_id} — "
                f"rejetés : {answer.rejected}, retournés : {answer.returned}, "
                f"remboursés : {answer.refunded}, déjà notés : {answer.unchanged}, "
                f"non appliqués : {answer.not_applied}."
            )
            if answer.report:
                self.stdout.write(answer.report)
        if failed:
            raise CommandError("Au moins un fichier n’a pas été importé.")
