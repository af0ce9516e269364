"""The signature's own index on its petition goes: the unique (petition, lower(email)) and
(petition, confirmed_at) indexes start with the petition, so it served no query, while each
signature and each confirmation updated it. The foreign key stays as it is (dropping and
adding it again would check every signature under a lock): only the index is dropped."""

import django.db.models.deletion
from django.db import migrations, models

INDEX = "petitions_signature_petition_id_5a17fa21"


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0010_count_shards"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="signature",
                    name="petition",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="signatures",
                        to="petitions.petition",
                        verbose_name="pétition",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f"DROP INDEX IF EXISTS {INDEX}",
                    reverse_sql=f"CREATE INDEX {INDEX} ON petitions_signature (petition_id)",
                ),
            ],
        ),
    ]
