from django.db import migrations


def terms_from_mandates(apps, schema_editor):
    """Each mandate's terms become rows: the amount and day it has, from the day it was
    signed (or recorded), and the change waiting in the old fields, from its date."""
    from django.utils import timezone

    Mandate = apps.get_model("donations", "Mandate")
    MandateTerms = apps.get_model("donations", "MandateTerms")
    rows = []
    for mandate in Mandate.objects.iterator():
        start = timezone.localdate(mandate.signed_at or mandate.created_at)
        first = MandateTerms(
            mandate=mandate, amount=mandate.amount, debit_day=mandate.debit_day, effective_from=start
        )
        rows.append(first)
        if mandate.pending_effective_on and mandate.state != "cancelled":
            amount = mandate.pending_amount or mandate.amount
            debit_day = mandate.pending_debit_day or mandate.debit_day
            if mandate.pending_effective_on <= start:
                first.amount, first.debit_day = amount, debit_day
            else:
                rows.append(
                    MandateTerms(
                        mandate=mandate,
                        amount=amount,
                        debit_day=debit_day,
                        effective_from=mandate.pending_effective_on,
                    )
                )
    MandateTerms.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [("donations", "0006_terms_amendments_states")]

    operations = [migrations.RunPython(terms_from_mandates, migrations.RunPython.noop)]
