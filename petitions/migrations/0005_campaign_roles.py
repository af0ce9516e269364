"""The teams' rights on petitions (issue 11).

- "Mobilisation" runs campaigns: creates, edits, schedules, closes and marks petitions won
  (``run_campaign``), deletes a petition that has no signature, runs the urgent banners,
  sees signers, resends their links, exports them and erases them on request.
- "Éditeurs" write petition texts (add, change, view), never the campaign's status or dates,
  never a banner, never a signature.
"""

import django.db.models.deletion
from django.db import migrations, models

MOBILISATION = "Mobilisation"
EDITORS = "Éditeurs"
MOBILISATION_PERMISSIONS = [
    "add_petition",
    "change_petition",
    "delete_petition",
    "view_petition",
    "run_campaign",
    "add_appeal",
    "change_appeal",
    "delete_appeal",
    "view_appeal",
    "view_signature",
    "delete_signature",
    "export_signatures",
    "resend_confirmation",
]
EDITOR_PERMISSIONS = ["add_petition", "change_petition", "view_petition"]
EDITOR_REMOVED = ["add_appeal", "change_appeal", "delete_appeal", "view_appeal"]


def _permissions(apps, codenames):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label="petitions", codename__in=codenames)


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    app_config = apps.get_app_config("petitions")
    app_config.models_module = True
    create_contenttypes(app_config, apps=apps, verbosity=0)
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    mobilisation, _ = Group.objects.get_or_create(name=MOBILISATION)
    mobilisation.permissions.add(*_permissions(apps, MOBILISATION_PERMISSIONS))
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    editors.permissions.add(*_permissions(apps, EDITOR_PERMISSIONS))
    editors.permissions.remove(*_permissions(apps, EDITOR_REMOVED))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    mobilisation = Group.objects.filter(name=MOBILISATION).first()
    if mobilisation is not None:
        mobilisation.permissions.remove(
            *_permissions(
                apps,
                [
                    "add_petition",
                    "change_petition",
                    "delete_petition",
                    "run_campaign",
                    "add_appeal",
                    "change_appeal",
                    "delete_appeal",
                    "delete_signature",
                ],
            )
        )
    editors = Group.objects.filter(name=EDITORS).first()
    if editors is not None:
        editors.permissions.add(*_permissions(apps, EDITOR_REMOVED))


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0004_photo_upload_folder"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="petition",
            options={
                "ordering": ["-opens_at"],
                "permissions": [
                    (
                        "run_campaign",
                        "Peut ouvrir, programmer, fermer une pétition et la marquer gagnée",
                    )
                ],
                "verbose_name": "pétition",
                "verbose_name_plural": "pétitions",
            },
        ),
        migrations.AlterField(
            model_name="signature",
            name="petition",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="signatures",
                to="petitions.petition",
                verbose_name="pétition",
            ),
        ),
        migrations.RunPython(grant, revoke),
    ]
