from django.db import migrations


class Migration(migrations.Migration):
    """The pending-change fields, replaced by ``MandateTerms`` rows (copied in 0007)."""

    dependencies = [("donations", "0007_terms_from_mandates")]

    operations = [
        migrations.RemoveConstraint(
            model_name='mandate',
            name='mandate_pending_amount_positive',
        ),
        migrations.RemoveField(
            model_name='mandate',
            name='pending_amount',
        ),
        migrations.RemoveField(
            model_name='mandate',
            name='pending_debit_day',
        ),
        migrations.RemoveField(
            model_name='mandate',
            name='pending_effective_on',
        ),
    ]
