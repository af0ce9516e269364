"""Write the register of processing activities (GDPR art. 30) from every app's ``privacy.py``.

manage.py privacy_register            writes docs/privacy-register.md (committed)
manage.py privacy_register --check    fails when the committed file is out of date
manage.py privacy_register --values   prints it with this organisation's names filled in
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import override

from core.personal_data import declarations, processors

PATH = Path(settings.BASE_DIR) / "docs" / "privacy-register.md"

SECURITY = (
    "Accès par rôles (Mobilisation, Dons, Éditeurs) ; HTTPS ; IBAN chiffrés au repos ; "
    "adresses électroniques et IBAN masqués dans les journaux ; tâches en file avec des "
    "identifiants seulement ; exports de signatures journalisés."
)


def _named(names, values: bool) -> str:
    if values:
        return ", ".join(str(getattr(settings, n, "") or "(non renseigné)") for n in names)
    return ", ".join(f"`{n}`" for n in names)


def register_text(*, values: bool = False) -> str:
    with override("fr"):
        decls = declarations()
        lines = [
            "# Registre des activités de traitement (RGPD, article 30)",
            "",
            "Généré par `manage.py privacy_register` à partir du fichier `privacy.py` de chaque "
            "application : ne pas le modifier à la main (un test vérifie qu'il est à jour). "
            "`--values` l'imprime avec les noms de l'organisation tirés des réglages.",
            "",
            "## Responsable du traitement",
            "",
            "- Organisme : "
            + _named(("ORGANISATION_NAME", "ORGANISATION_ADDRESS", "ORGANISATION_PHONE"), values),
            "- Statut et immatriculation : "
            + _named(("ORGANISATION_STATUS", "ORGANISATION_REGISTRATION"), values),
            "",
            "## Sous-traitants (article 28)",
            "",
            "| rôle | qui (réglages) | données traitées |",
            "| --- | --- | --- |",
        ]
        for processor in processors():
            lines.append(
                f"| {processor.role} | {_named(processor.settings, values)} | {processor.handles} |"
            )
        roles = {p.key: p.role for p in processors()}
        for decl in decls:
            for processing in decl.processings:
                lines += [
                    "",
                    f"## {processing.name} (`{decl.app_label}`)",
                    "",
                    f"- **Finalités** : {processing.purposes}",
                    f"- **Base légale** : {processing.legal_basis}",
                    f"- **Personnes concernées** : {processing.subjects}",
                    f"- **Catégories de données** : {processing.categories}",
                    f"- **Destinataires** : {processing.recipients}",
                    "- **Sous-traitants** : "
                    + ", ".join(str(roles[key]) for key in processing.processors),
                    f"- **Transferts hors UE** : {processing.transfers}",
                    f"- **Mesures de sécurité** : {SECURITY}",
                    f"- **Durées de conservation** : voir les règles `{decl.app_label}.*` "
                    "ci-dessous.",
                ]
        lines += [
            "",
            "## Durées de conservation",
            "",
            "Appliquées chaque jour par `manage.py apply_retention` (dans `manage.py daily`).",
            "",
            "| règle | données | durée | à compter de | puis | raison |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for decl in decls:
            for rule in decl.rules:
                then = rule.action if rule.enforce else f"{rule.action} ({rule.outside})"
                lines.append(
                    f"| `{rule.key}` | {rule.data} | {rule.period.label()} | {rule.start} "
                    f"| {then} | {rule.reason} |"
                )
        lines += [
            "",
            "## Ce que chaque application détient sur une adresse électronique",
            "",
        ]
        for decl in decls:
            lines.append(f"- **{decl.title}** (`{decl.app_label}`) : {decl.holds}")
        lines.append("")
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Écrit le registre des traitements (RGPD art. 30) dans docs/privacy-register.md."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true")
        parser.add_argument("--values", action="store_true")

    def handle(self, *args, check=False, values=False, **options):
        text = register_text(values=values)
        if values:
            self.stdout.write(text)
            return
        if check:
            if not PATH.exists() or PATH.read_text(encoding="utf-8") != text:
                raise CommandError(f"{PATH} is out of date: run manage.py privacy_register")
            return
        PATH.write_text(text, encoding="utf-8")
        self.stdout.write(f"{PATH.name} written.")
