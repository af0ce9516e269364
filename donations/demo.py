"""Demo gifts: four tiers, the settings, a few donors with confirmed mandates, the `dons`
account. The creditor identity is the demo one of the settings (marked as demo).

Loading twice changes nothing: tiers are found by amount, donors by their demo address,
mandates by their demo key. No email is sent.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from lxml import etree
from lxml.builder import ElementMaker

from core.demo import DEMO_PASSWORD_SUFFIX, demo_staff_user
from donations import bankfile, debit_calendar, sepa, services
from donations.bankanswer import NAMESPACE
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
# "signed": (years before this one, month, day): every donor signed last year, so the
# demo always has last year's debits and receipts, and this year's.
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
        "signed": (1, 1, 12),
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
        "signed": (1, 3, 2),
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
        "signed": (1, 6, 20),
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
        "signed": (1, 9, 8),
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
    today = timezone.localdate()
    for entry in DONORS:
        if Mandate.objects.filter(idempotency_key=entry["key"]).exists():
            continue
        donor = Donor.objects.create(**entry["donor"])
        years_back, month, day = entry["signed"]
        signed_on = date(today.year - years_back, month, day)
        signed_at = timezone.make_aware(datetime.combine(signed_on, time(10, 30)))
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
            first_debit_on=debit_calendar.first_debit_date(signed_on, entry["debit_day"]),
            idempotency_key=entry["key"],
        )
        mandate.rum = services.mandate_reference_issue(pk=mandate.pk)
        mandate.save(update_fields=["rum"])
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
    receipts = "reçu fiscal" if result.total == 1 else "reçus fiscaux"
    stdout.write(f"Dons : {result.total} {receipts} de démonstration pour {year}.")


# What the bank answered, by demo mandate: (how many debits back from the last one sent,
# status, reason code). A refund asked by Camille, two returns after settlement (blocked
# account, debtor's refusal), a reject; two insufficient-funds rejects in a row suspend
# the last mandate.
DEMO_FAILURES = {
    "demo-1": [(3, Debit.Status.REFUNDED, "MD06"), (14, Debit.Status.RETURNED, "AC06")],
    "demo-2": [(2, Debit.Status.REJECTED, "AM04"), (9, Debit.Status.RETURNED, "MS02")],
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
    failures = []
    for mandate in mandates:
        sent = list(mandate.debits.exclude(batch=None).order_by("-due_on"))
        for back, status, code in DEMO_FAILURES.get(mandate.idempotency_key, []):
            if back < len(sent):
                failures.append((sent[back], status, code))
    # The bank's answers, as files imported like the real ones: a status report (pain.002)
    # for each reject, one notification (camt.054) for the returns and refunds.
    failures.sort(key=lambda failure: failure[0].due_on)
    for debit, status, code in failures:
        if status == Debit.Status.REJECTED:
            _import(_pain002(debit, code))
    returns = [(debit, status, code) for debit, status, code in failures if status != "rejected"]
    if returns:
        _import(_camt054(returns, today))
    failed = len(failures)
    for batch in batches:
        if batch.due_on + timedelta(days=1) < today:
            services.batch_collect(batch=batch, today=batch.due_on + timedelta(days=1))
    count = Debit.objects.filter(mandate__in=mandates).count()
    stdout.write(f"Dons : {count} prélèvements de démonstration, dont {failed} échoués.")


# --- The demo bank: its answers as ISO 20022 files, built to the schemas ----------------------


def _import(content: bytes) -> None:
    services.bank_answer_import(content=content, channel="demo", notify=False)


def _moment(day: date, hour: int) -> str:
    return datetime.combine(day, time(hour, 0)).isoformat()


def _pain002(debit: Debit, code: str) -> bytes:
    """The bank's status report rejecting ``debit`` the day before its due date."""
    version = "pain.002.001.03"
    e = ElementMaker(namespace=NAMESPACE + version, nsmap={None: NAMESPACE + version})
    batch = debit.batch
    (row,) = [
        row
        for row in bankfile.pain008_transactions(batch.content.encode(), batch.version)
        if row["end_to_end_id"] == debit.end_to_end_id
    ]
    document = e.Document(
        e.CstmrPmtStsRpt(
            e.GrpHdr(
                e.MsgId(f"DEMO-STS-{debit.pk}"),
                e.CreDtTm(_moment(debit.due_on - timedelta(days=1), 18)),
            ),
            e.OrgnlGrpInfAndSts(
                e.OrgnlMsgId(batch.message_id), e.OrgnlMsgNmId(batch.version), e.GrpSts("PART")
            ),
            e.OrgnlPmtInfAndSts(
                e.OrgnlPmtInfId(row["block_id"]),
                e.PmtInfSts("PART"),
                e.TxInfAndSts(
                    e.OrgnlEndToEndId(debit.end_to_end_id),
                    e.TxSts("RJCT"),
                    e.StsRsnInf(e.Rsn(e.Cd(code))),
                ),
            ),
        )
    )
    return etree.tostring(document, xml_declaration=True, encoding="UTF-8")


def _camt054(returns, today: date) -> bytes:
    """The bank's notification of the returns and refunds, each booked three days after
    its due date (the bank's own word, ``/RTYP/``, says which)."""
    version = "camt.054.001.02"
    e = ElementMaker(namespace=NAMESPACE + version, nsmap={None: NAMESPACE + version})
    entries = []
    for debit, status, code in returns:
        booked = debit.due_on + timedelta(days=3)
        kind = "RFND" if status == Debit.Status.REFUNDED else "RTRN"
        entries.append(
            e.Ntry(
                e.Amt(f"{debit.amount:.2f}", Ccy="EUR"),
                e.CdtDbtInd("DBIT"),
                e.Sts("BOOK"),
                e.BookgDt(e.Dt(booked.isoformat())),
                e.BkTxCd(e.Domn(e.Cd("PMNT"), e.Fmly(e.Cd("IDDT"), e.SubFmlyCd("UPDD")))),
                e.NtryDtls(
                    e.TxDtls(
                        e.Refs(e.EndToEndId(debit.end_to_end_id)),
                        e.AmtDtls(e.TxAmt(e.Amt(f"{debit.amount:.2f}", Ccy="EUR"))),
                        e.RtrInf(e.Rsn(e.Cd(code)), e.AddtlInf(f"/RTYP/{kind}")),
                    )
                ),
            )
        )
    created = _moment(today, 7)
    document = e.Document(
        e.BkToCstmrDbtCdtNtfctn(
            e.GrpHdr(e.MsgId(f"DEMO-NTF-{today:%Y%m%d}"), e.CreDtTm(created)),
            e.Ntfctn(
                e.Id(f"DEMO-NTF-{today:%Y%m%d}"),
                e.CreDtTm(created),
                e.Acct(e.Id(e.IBAN(settings.SEPA_CREDITOR_IBAN)), e.Ccy("EUR")),
                *entries,
            ),
        )
    )
    return etree.tostring(document, xml_declaration=True, encoding="UTF-8")
