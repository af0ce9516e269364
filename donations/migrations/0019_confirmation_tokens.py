"""The mandate confirmation links move to core.tokens (core.EmailToken).

The links already emailed for a pending mandate keep working: their digest (SHA-256 of
the token, as core.tokens stores it) moves over, expiring when the pending mandate is
purged (7 days after it was made). The summary pages of confirmed mandates, which used
the same token, now need their own short-lived one: their old addresses stop working."""

from datetime import timedelta

from django.db import migrations

PURPOSE = "mandate"
PENDING_DAYS = 7


def move_digests(apps, schema_editor):
    Mandate = apps.get_model("donations", "Mandate")
    EmailToken = apps.get_model("core", "EmailToken")
    pending = (
        Mandate.objects.filter(state="pending")
        .exclude(token_digest="")
        .values_list("pk", "token_digest", "created_at")
    )
    rows = [
        EmailToken(
            purpose=PURPOSE,
            digest=digest,
            target_model="donations.mandate",
            target_id=str(pk),
            created_at=created_at,
            expires_at=created_at + timedelta(days=PENDING_DAYS),
        )
        for pk, digest, created_at in pending.iterator(chunk_size=2000)
    ]
    EmailToken.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("donations", "0018_mandate_pdf_access"),
        ("core", "0003_email_token"),
    ]

    operations = [
        migrations.RunPython(move_digests, migrations.RunPython.noop),
        migrations.RemoveField(model_name="mandate", name="token_digest"),
    ]
