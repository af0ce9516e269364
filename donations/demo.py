"""Demo gifts: four tiers, the settings, a few donors with confirmed mandates, the `dons`
account. The creditor identity is the demo one of the settings (marked as demo).

Loading twice changes nothing: tiers are found by amount, donors by their demo address,
mandates by their demo key. No email is sent.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from core.demo import DEMO_PASSWORD_SUFFIX, demo_staff_user
from core.tokens import confirmation_token, token_digest
from donations import debit_calendar, sepa, services
from donations.models import Debit, Donor, GiftSettings, Mandate, MandateEvent, Receipt, Tier

TIERS = [
    (
        Decimal("10"),
        "Finance l'envoi d'un millier de signatures aux autorités concernées.",
        "Pays for a thousand signatures to reach the authorities concerned.",
        False,
    ),
    (
        Decimal("15"),
        "Permet à une chercheuse de recueillir un témoignage sur le terrain.",
        "Lets a researcher gather one testimony in the field.",
        True,
    ),
    (
        Decimal("25"),
        "Contribue à l'observation d'un procès par un avocat indépendant.",
        "Helps an independent lawyer observe a trial.",
        False,
    ),
    (
        Decimal("50"),
        "Soutient une campagne d'urgence pendant une journée entière.",
        "Keeps an urgent campaign running for a whole day.",
        False,
    ),
]

# Example IBANs of the banks' own documentation: valid checksums, nobody's account.
DONORS = [
    {
        "key": "demo-1",
        "donor": {
            "civility": "mme",
            "first_name": "Camille",
            "last_name": "Martin",
            "email": "camille.martin@demo.invalid",
            "street": "12 rue des Lilas",
            "postal_code": "69003",
            "city": "Lyon",
            "country": "FR",
            "newsletter": True,
        },
        "iban": "FR7630006000011234567890189",
        "bic": "",
        "amount": Decimal("15"),
        "debit_day": 5,
        "signed": date(2026, 1, 12),
    },
    {
        "key": "demo-2",
        "donor": {
            "civility": "m",
            "first_name": "Karim",
            "last_name": "Benali",
            "email": "karim.benali@demo.invalid",
            "street": "4 place du Marché",
            "postal_code": "59000",
            "city": "Lille",
            "country": "FR",
            "newsletter": False,
        },
        "iban": "DE89370400440532013000",
        "bic": "",
        "amount": Decimal("25"),
        "debit_day": 15,
        "signed": date(2026, 3, 2),
    },
    {
        "key": "demo-3",
        "donor": {
            "civility": "",
            "first_name": "Lou",
            "last_name": "Fontaine",
            "email": "lou.fontaine@demo.invalid",
            "street": "Rue du Rhône 8",
            "postal_code": "1204",
            "city": "Genève",
            "country": "CH",
            "newsletter": False,
        },
        "iban": "CH9300762011623852957",
        "bic": "POFICHBEXXX",
        "amount": Decimal("50"),
        "debit_day": 5,
        "signed": date(2026, 6, 20),
    },
    {
        "key": "demo-4",
        "donor": {
            "civility": "mme",
            "first_name": "Anne",
            "last_name": "Leroy",
            "email": "anne.leroy@demo.invalid",
            "street": "3 allée des Tilleuls",
            "postal_code": "35000",
            "city": "Rennes",
            "country": "FR",
            "newsletter": True,
        },
        "iban": "BE68539007547034",
        "bic": "",
        "amount": Decimal("37"),
        "debit_day": 15,
        "signed": date(2026, 9, 8),
    },
]


def load(*, stdout):
    GiftSettings.load()
    for order, (amount, text_fr, text_en, is_default) in enumerate(TIERS, start=1):
        Tier.objects.get_or_create(
            amount=amount,
            defaults={
                "description_fr": text_fr,
                "description_en": text_en,
                "order": order,
                "is_default": is_default,
            },
        )
    created = 0
    for entry in DONORS:
        if Mandate.objects.filter(idempotency_key=entry["key"]).exists():
            continue
        donor = Donor.objects.create(**entry["donor"])
        signed_at = timezone.make_aware(datetime.combine(entry["signed"], time(10, 30)))
        mandate = Mandate.objects.create(
            donor=donor,
            rum=f"DEMO-{entry['key']}",
            state=Mandate.State.ACTIVE,
            amount=entry["amount"],
            debit_day=entry["debit_day"],
            account_holder=f"{donor.first_name} {donor.last_name}",
            iban=entry["iban"],
            iban_masked=sepa.iban_mask(entry["iban"]),
            bic=entry["bic"],
            sequence_type=Mandate.SequenceType.RECURRENT,
            signature_place=donor.city,
            signed_at=signed_at,
            first_debit_on=debit_calendar.first_debit_date(entry["signed"], entry["debit_day"]),
            idempotency_key=entry["key"],
        )
        mandate.rum = services.mandate_reference_issue(pk=mandate.pk)
        mandate.token_digest = token_digest(confirmation_token(purpose="mandate", pk=mandate.pk))
        mandate.save(update_fields=["rum", "token_digest"])
        MandateEvent.objects.create(
            mandate=mandate, kind=MandateEvent.Kind.CREATED, new_amount=mandate.amount
        )
        MandateEvent.objects.create(
            mandate=mandate, kind=MandateEvent.Kind.CONFIRMED, effective_on=mandate.first_debit_on
        )
        # The history dated as if the donor had given then, not when the demo was loaded.
        MandateEvent.objects.filter(mandate=mandate).update(at=signed_at)
        created += 1
    if created:
        stdout.write(f"Dons : {created} donateurs de démonstration avec un mandat confirmé.")
    _load_debits(stdout=stdout)
    _, user_created = demo_staff_user(username="dons", group_name="Dons")
    if user_created:
        stdout.write(f"Compte de démonstration : dons / dons{DEMO_PASSWORD_SUFFIX} (dons mensuels)")
    _load_receipts(stdout=stdout)


def _load_receipts(*, stdout, today: date | None = None):
    """Last year's tax receipts for the demo donors, through the real service, dated as
    if issued on 15 January and never emailed. Issuing is idempotent: loading twice adds
    nothing."""
    today = today or timezone.localdate()
    year = today.year - 1
    result = services.receipts_issue(year=year, today=today, send=False)
    if not result.total:
        return
    issued = timezone.make_aware(datetime.combine(date(year + 1, 1, 15), time(10, 0)))
    Receipt.objects.filter(pk__in=result.receipt_ids).update(issued_at=min(issued, timezone.now()))
    stdout.write(f"Dons : {result.total} reçu(s) fiscal(aux) de démonstration pour {year}.")


# What the bank answered, by demo mandate: (how many debits back from the last one sent,
# status, reason code). Two insufficient-funds rejects in a row suspend the last mandate.
DEMO_FAILURES = {
    "demo-1": [(3, Debit.Status.RETURNED, "MD06")],
    "demo-2": [(2, Debit.Status.REJECTED, "AM04")],
    "demo-4": [(1, Debit.Status.REJECTED, "AM04"), (0, Debit.Status.REJECTED, "AM04")],
}


def _load_debits(*, stdout, today: date | None = None):
    """The demo donors' debits since their first one, through the real services: each
    due date's bank file made a few days before, marked collected the day after; a few
    returned or rejected; the debits of the coming weeks scheduled. Once only."""
    mandates = Mandate.objects.filter(idempotency_key__in=[d["key"] for d in DONORS])
    if Debit.objects.filter(mandate__in=mandates).exists() or not mandates.exists():
        return
    today = today or timezone.localdate()
    start = min(m.first_debit_on for m in mandates) - timedelta(days=1)
    services.debits_schedule(today=start, days=(today - start).days + services.SCHEDULE_DAYS)
    past = sorted(
        set(
            Debit.objects.filter(mandate__in=mandates, due_on__lt=today).values_list(
                "due_on", flat=True
            )
        )
    )
    batches = []
    for due_on in past:
        sent_on = due_on - timedelta(days=6)
        moment = timezone.make_aware(datetime.combine(sent_on, time(9, 0)))
        batches += services.bank_file_create(due_on=due_on, today=sent_on, now=moment)
    failed = 0
    for mandate in mandates:
        sent = list(mandate.debits.exclude(batch=None).order_by("-due_on"))
        for back, status, code in DEMO_FAILURES.get(mandate.idempotency_key, []):
            if back < len(sent):
                debit = sent[back]
                services.debit_fail(
                    debit=debit,
                    status=status,
                    reason_code=code,
                    on=debit.due_on + timedelta(days=3),
                    notify=False,
                )
                failed += 1
    for batch in batches:
        if batch.due_on + timedelta(days=1) < today:
            services.batch_collect(batch=batch, today=batch.due_on + timedelta(days=1))
    count = Debit.objects.filter(mandate__in=mandates).count()
    stdout.write(f"Dons : {count} prélèvements de démonstration, dont {failed} échoués.")
