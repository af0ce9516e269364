"""The "Éditeurs" group: exactly the rights to write victories and the page's texts."""

from django.db import migrations

GROUP = "Éditeurs"
MODELS = ["case", "outcomeevent", "mobilisationfigure", "victorypage"]
ACTIONS = ["add", "change", "delete", "view"]


def create_group(apps, schema_editor):
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    app_config = apps.get_app_config("cases")
    app_config.models_module = True
    create_contenttypes(app_config, apps=apps, verbosity=0)
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    codenames = [f"{action}_{model}" for model in MODELS for action in ACTIONS]
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="cases", codename__in=codenames)
    )


def remove_group_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="cases",
                codename__in=[f"{a}_{m}" for m in MODELS for a in ACTIONS],
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("cases", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_group, remove_group_permissions)]
