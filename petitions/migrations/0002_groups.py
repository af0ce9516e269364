"""Staff groups for petitions.

- "Mobilisation": sees signatures, exports them, re-sends confirmation links; sees petitions
  and appeals.
- "Éditeurs" (created by cases): writes petition texts and urgent appeals, never sees a
  signature.
"""

from django.db import migrations

MOBILISATION = "Mobilisation"
EDITORS = "Éditeurs"
MOBILISATION_PERMISSIONS = [
    "view_signature",
    "export_signatures",
    "resend_confirmation",
    "view_petition",
    "view_appeal",
]
EDITOR_PERMISSIONS = [
    "add_petition",
    "change_petition",
    "view_petition",
    "add_appeal",
    "change_appeal",
    "delete_appeal",
    "view_appeal",
]


def create_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    app_config = apps.get_app_config("petitions")
    app_config.models_module = True
    create_contenttypes(app_config, apps=apps, verbosity=0)
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def petitions_permissions(codenames):
        return Permission.objects.filter(
            content_type__app_label="petitions", codename__in=codenames
        )

    mobilisation, _ = Group.objects.get_or_create(name=MOBILISATION)
    mobilisation.permissions.add(*petitions_permissions(MOBILISATION_PERMISSIONS))
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    editors.permissions.add(*petitions_permissions(EDITOR_PERMISSIONS))


def remove_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Group.objects.filter(name=MOBILISATION).delete()
    editors = Group.objects.filter(name=EDITORS).first()
    if editors is not None:
        editors.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="petitions", codename__in=EDITOR_PERMISSIONS
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("cases", "0002_editors_group"),
        ("petitions", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
