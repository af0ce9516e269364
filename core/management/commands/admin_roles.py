from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from core.admin_roles import matrix_markdown

START = "<!-- roles:start (manage.py admin_roles --write) -->"
END = "<!-- roles:end -->"


def docs_path() -> Path:
    return Path(settings.BASE_DIR) / "docs" / "roles.md"


def docs_table(text: str) -> str:
    """The generated part of docs/roles.md."""
    return text.split(START, 1)[1].split(END, 1)[0].strip("\n") + "\n"


class Command(BaseCommand):
    help = (
        "Affiche (ou écrit dans docs/roles.md) ce que chaque rôle peut faire dans l'administration."
    )

    def add_arguments(self, parser):
        parser.add_argument("--write", action="store_true", help="Met à jour docs/roles.md.")

    def handle(self, *args, write=False, **options):
        table = matrix_markdown()
        if not write:
            self.stdout.write(table, ending="")
            return
        path = docs_path()
        text = path.read_text(encoding="utf-8")
        before, rest = text.split(START, 1)
        after = rest.split(END, 1)[1]
        path.write_text(f"{before}{START}\n{table}{END}{after}", encoding="utf-8")
        self.stdout.write(f"{path} mis à jour.")
