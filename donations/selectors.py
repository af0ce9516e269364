"""Reads for the Dons team's page: the debits month by month, the mandates in force, the
last run of the daily commands, the tax receipts of the year and the yearly declaration."""

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from core.models import CommandRun
from donations.models import Debit, Donor, Mandate, Receipt

DAILY_LATE_AFTER = timedelta(hours=26)

_SENT = (
    Debit.Status.SENT,
    Debit.Status.COLLECTED,
    Debit.Status.REJECTED,
    Debit.Status.RETURNED,
    Debit.Status.REFUNDED,
)


def debits_by_month(*, months: int = 12, today: date | None = None) -> list[dict]:
    """For each of the last ``months`` months (and the next one), newest first: how many
    debits were scheduled, sent, collected and failed, and their amounts."""
    today = today or timezone.localdate()
    last = date(today.year + today.month // 12, today.month % 12 + 1, 1)
    index = last.year * 12 + last.month - 1 - months
    first = date(index // 12, index % 12 + 1, 1)
    zero = Decimal("0")
    rows = (
        Debit.objects.filter(month__gte=first, month__lte=last)
        .values("month")
        .annotate(
            scheduled=Count("pk", filter=Q(status=Debit.Status.SCHEDULED)),
            scheduled_amount=Sum("amount", filter=Q(status=Debit.Status.SCHEDULED)),
            sent=Count("pk", filter=Q(status__in=_SENT)),
            sent_amount=Sum("amount", filter=Q(status__in=_SENT)),
            collected=Count("pk", filter=Q(status=Debit.Status.COLLECTED)),
            collected_amount=Sum("amount", filter=Q(status=Debit.Status.COLLECTED)),
            failed=Count("pk", filter=Q(status__in=Debit.FAILED)),
            failed_amount=Sum("amount", filter=Q(status__in=Debit.FAILED)),
        )
        .order_by("-month")
    )
    result = []
    for row in rows:
        for key in ("scheduled_amount", "sent_amount", "collected_amount", "failed_amount"):
            row[key] = row[key] or zero
        result.append(row)
    return result


def mandates_in_force() -> dict:
    """Active mandates and what they give a month (their current amount)."""
    totals = Mandate.objects.active().aggregate(count=Count("pk"), monthly=Sum("amount"))
    return {"count": totals["count"], "monthly": totals["monthly"] or Decimal("0")}


def daily_last_run(*, now=None) -> dict:
    """The last run of ``manage.py daily`` and whether it is late (more than 26 hours)."""
    now = now or timezone.now()
    run = CommandRun.objects.filter(name="daily").order_by("-started_at").first()
    return {"run": run, "late": run is None or now - run.started_at > DAILY_LATE_AFTER}


def donor_changes(*, days: int = 30, now=None, limit: int = 50):
    """What donors changed themselves from their space lately (amount or day, pause,
    resume, stop, new account), newest first: shown to the Dons team, who need not act."""
    from donations.models import MandateEvent

    now = now or timezone.now()
    return (
        MandateEvent.objects.filter(
            actor=MandateEvent.Actor.DONOR, at__gte=now - timedelta(days=days)
        )
        .exclude(kind=MandateEvent.Kind.CONFIRMED)
        .select_related("mandate")
        .order_by("-at", "-pk")[:limit]
    )


def debits_flagged():
    """Debits already at the bank whose mandate was cancelled since: to follow up."""
    return (
        Debit.objects.filter(mandate_cancelled_after_sending=True, status=Debit.Status.SENT)
        .select_related("mandate")
        .order_by("due_on")
    )


def space_donors(emails):
    """The donors of the personal space's addresses (lower-cased), not anonymised."""
    from django.db.models.functions import Lower

    from donations.models import Donor

    return Donor.objects.alias(email_lower=Lower("email")).filter(
        email_lower__in=emails, anonymised_at__isnull=True
    )


def space_mandates(emails):
    return Mandate.objects.with_donor().filter(donor__in=space_donors(emails))


def donor_space(emails, *, today: date | None = None) -> dict:
    """What the donor's part of the space shows: mandates (with the terms to come),
    the last debits, the receipts."""
    from donations.models import Receipt

    today = today or timezone.localdate()
    mandates = list(space_mandates(emails).prefetch_related("terms").order_by("-created_at"))
    for mandate in mandates:
        mandate.upcoming = mandate.terms_upcoming(today)
    debits = list(
        Debit.objects.filter(mandate__in=mandates)
        .select_related("mandate")
        .order_by("-due_on", "-pk")[:24]
    )
    receipts = list(
        Receipt.objects.filter(donor__in=space_donors(emails)).order_by("-year", "-sequence")
    )
    return {
        "donors": list(space_donors(emails)),
        "mandates": mandates,
        "debits": debits,
        "receipts": receipts,
    }


def receipts_of_year(year: int) -> dict:
    """The tax receipts of the gift ``year`` as the Dons team follows them: those in force
    (issued, neither cancelled nor cancelling) and their total, those not emailed yet, and
    the donors with debits collected that year who have no receipt in force yet."""
    in_force = Receipt.objects.for_year(year).in_force()
    totals = in_force.aggregate(count=Count("pk"), total=Sum("amount"))
    collected = Debit.objects.collected().in_year(year).values("mandate__donor_id")
    waiting = (
        Donor.objects.filter(pk__in=collected).exclude(pk__in=in_force.values("donor_id")).count()
    )
    return {
        "year": year,
        "issued": totals["count"],
        "total": totals["total"] or Decimal("0"),
        "to_send": in_force.filter(emailed_at=None).count(),
        "to_issue": waiting,
    }
