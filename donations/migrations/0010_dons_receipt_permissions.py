"""The "Dons" group gets the permissions of the tax receipts."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    app_config = apps.get_app_config("donations")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Dons")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="donations",
            content_type__model__in=["receipt", "receiptcounter"],
        )
    )


class Migration(migrations.Migration):
    dependencies = [("donations", "0009_receipts")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
