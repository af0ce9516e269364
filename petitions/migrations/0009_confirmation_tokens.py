"""The confirmation links move to core.tokens (core.EmailToken).

The links already emailed keep working: their digest (SHA-256 of the token, as
core.tokens stores it) moves over with the signature it confirms, expiring when the
unconfirmed signature is purged (7 days after it was made)."""

from datetime import timedelta

from django.db import migrations

PURPOSE = "signature"
UNCONFIRMED_DAYS = 7


def move_digests(apps, schema_editor):
    Signature = apps.get_model("petitions", "Signature")
    EmailToken = apps.get_model("core", "EmailToken")
    pending = (
        Signature.objects.filter(confirmed_at__isnull=True)
        .exclude(token_digest="")
        .values_list("pk", "token_digest", "created_at")
    )
    rows = [
        EmailToken(
            purpose=PURPOSE,
            digest=digest,
            target_model="petitions.signature",
            target_id=str(pk),
            created_at=created_at,
            expires_at=created_at + timedelta(days=UNCONFIRMED_DAYS),
        )
        for pk, digest, created_at in pending.iterator(chunk_size=2000)
    ]
    EmailToken.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0008_photo_focal_renditions"),
        ("core", "0003_email_token"),
    ]

    operations = [
        migrations.RunPython(move_digests, migrations.RunPython.noop),
        migrations.RemoveField(model_name="signature", name="token_digest"),
    ]
