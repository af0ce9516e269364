"""Measure the money commands on 50 000 active mandates: time and peak memory.

Everything runs inside a transaction that is rolled back: the database is left as it was.
Each step is one entry of ``STEPS`` (name, function taking the bench's context): the
schedule, the bank files, marking them collected, the year's tax receipts, and the PDFs
of the first receipts (the rest is proportional). Memory is the process's peak resident size
(``ru_maxrss``), before and after each step.
"""

import resource
import time
from datetime import date, datetime
from datetime import time as clock
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from donations import sepa, services
from donations.models import Donor, Mandate, MandateTerms, Receipt
from donations.receipt_pdf import receipt_pdf

IBAN = "FR7630006000011234567890189"
TODAY = date(2027, 1, 1)
DUE = date(2027, 1, 5)
# The receipts of the gift year 2027 (the debits of DUE), issued in January 2028.
RECEIPTS_ON = date(2028, 1, 10)
PDF_SAMPLE = 1000


class _Rollback(Exception):
    pass


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def mandates_create(count: int) -> None:
    """``count`` donors with an active mandate each (debit day 5, 15 € to 50 €)."""
    signed = timezone.make_aware(datetime.combine(date(2026, 1, 10), clock(12)))
    masked = sepa.iban_mask(IBAN)
    for start in range(0, count, 5000):
        size = min(5000, count - start)
        donors = Donor.objects.bulk_create(
            Donor(
                first_name="Camille",
                last_name=f"Bench {start + n}",
                email=f"bench{start + n}@example.invalid",
                street="1 rue de Paris",
                postal_code="75001",
                city="Paris",
            )
            for n in range(size)
        )
        mandates = Mandate.objects.bulk_create(
            Mandate(
                donor=donor,
                rum=f"BENCH-{start + n:08d}",
                state=Mandate.State.ACTIVE,
                amount=Decimal(15 + (start + n) % 36),
                debit_day=5,
                account_holder="Camille Bench",
                iban=IBAN,
                iban_masked=masked,
                sequence_type=Mandate.SequenceType.RECURRENT,
                signature_place="Paris",
                signed_at=signed,
                first_debit_on=date(2026, 2, 5),
            )
            for n, donor in enumerate(donors)
        )
        MandateTerms.objects.bulk_create(
            MandateTerms(
                mandate=mandate,
                amount=mandate.amount,
                debit_day=5,
                effective_from=date(2026, 1, 10),
            )
            for mandate in mandates
        )


def step_schedule(context: dict) -> str:
    created = services.debits_schedule(today=TODAY, days=14)
    return f"{created} prélèvements programmés"


def step_bank_file(context: dict) -> str:
    batches = services.bank_file_create(due_on=DUE, today=TODAY)
    context["batches"] = batches
    total = sum(batch.debit_count for batch in batches)
    size = sum(len(batch.content) for batch in batches)
    files = "fichier" if len(batches) == 1 else "fichiers"
    return f"{total} prélèvements en {len(batches)} {files}, {size / 1e6:.1f} Mo de XML"


def step_collect(context: dict) -> str:
    collected = sum(
        services.batch_collect(batch=batch, today=DUE.replace(day=DUE.day + 1))
        for batch in context["batches"]
    )
    return f"{collected} prélèvements encaissés"


def step_tax_receipts(context: dict) -> str:
    result = services.receipts_issue(year=DUE.year, today=RECEIPTS_ON, send=False)
    return f"{result.originals} reçus émis ({result.first_number} à {result.last_number})"


def step_receipt_pdfs(context: dict) -> str:
    receipts = Receipt.objects.for_year(DUE.year).order_by("sequence")[:PDF_SAMPLE]
    size = sum(len(receipt_pdf(receipt)) for receipt in receipts)
    return f"{len(receipts)} PDF de reçus, {size / 1e6:.1f} Mo"


# (name, function): run in this order on the same mandates.
STEPS = [
    ("debits_schedule", step_schedule),
    ("bank_file", step_bank_file),
    ("batch_collect", step_collect),
    ("tax_receipts", step_tax_receipts),
    (f"{PDF_SAMPLE} PDF", step_receipt_pdfs),
]


class Command(BaseCommand):
    help = (
        "Mesure debits_schedule, bank_file et tax_receipts sur 50 000 mandats actifs "
        "(temps, mémoire)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--mandates", type=int, default=50_000)

    def handle(self, *args, mandates, **options):
        try:
            with transaction.atomic():
                self._run(mandates)
                raise _Rollback
        except _Rollback:
            pass

    def _run(self, count: int):
        start = time.perf_counter()
        mandates_create(count)
        self.stdout.write(
            f"{count} mandats créés en {time.perf_counter() - start:.1f} s "
            f"(pic mémoire {_peak_mb():.0f} Mo)"
        )
        context: dict = {"mandates": count}
        for name, step in STEPS:
            before = _peak_mb()
            start = time.perf_counter()
            summary = step(context)
            elapsed = time.perf_counter() - start
            self.stdout.write(
                f"{name:16} {elapsed:7.1f} s   pic mémoire {_peak_mb():5.0f} Mo "
                f"(avant : {before:.0f} Mo)   {summary}"
            )
