"""The staff group "Dons": every permission on gifts and mandates, nothing else."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def create_group(apps, schema_editor):
    app_config = apps.get_app_config("donations")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Dons")
    group.permissions.add(*Permission.objects.filter(content_type__app_label="donations"))


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Dons").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("donations", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
