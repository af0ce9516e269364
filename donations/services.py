"""Writes with side effects on gifts and mandates: one function per action."""

import secrets
from datetime import date, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.tasks import enqueue_on_commit
from core.tokens import confirmation_token, token_digest
from donations import rules, tasks
from donations.models import Donor, Mandate, MandateEvent, MandateReference

CHANGE_DELAY_DAYS = rules.PRENOTIFICATION_DAYS
PENDING_RETENTION_DAYS = 7


def mandate_create(
    *,
    donor_data: dict,
    amount: Decimal,
    debit_day: int,
    account_holder: str,
    iban: str,
    bic: str = "",
    signature_place: str = "",
    language: str = "fr",
    idempotency_key: str | None = None,
) -> tuple[Mandate, bool]:
    """Record a pending mandate and email the donor the link that confirms it.

    A second call with the same ``idempotency_key`` (a double click, the back button)
    returns the first mandate and sends nothing: ``(mandate, created)``.
    """
    if idempotency_key:
        existing = Mandate.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing, False
    try:
        with transaction.atomic():
            donor = Donor(**donor_data, language=language)
            donor.full_clean()
            donor.save()
            iban = rules.iban_check(iban)
            mandate = Mandate(
                donor=donor,
                rum=f"TMP-{secrets.token_hex(12)}",
                amount=amount,
                debit_day=debit_day,
                account_holder=account_holder,
                iban=iban,
                iban_masked=rules.iban_mask(iban),
                bic=bic,
                signature_place=signature_place or donor_data.get("city", ""),
                idempotency_key=idempotency_key,
            )
            mandate.full_clean(exclude=["rum", "idempotency_key"])
            mandate.save()
            mandate.rum = mandate_reference_issue(pk=mandate.pk)
            mandate.token_digest = token_digest(
                confirmation_token(purpose="mandate", pk=mandate.pk)
            )
            mandate.save(update_fields=["rum", "token_digest"])
            MandateEvent.objects.create(
                mandate=mandate, kind=MandateEvent.Kind.CREATED, new_amount=amount
            )
            enqueue_on_commit(tasks.mandate_pending_email, mandate.pk)
    except IntegrityError:
        if idempotency_key:
            existing = Mandate.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                return existing, False
        raise
    return mandate, True


RUM_ATTEMPTS = 5


def mandate_reference_issue(*, pk: int) -> str:
    """A mandate reference never given before, recorded as given (``MandateReference``
    outlives the mandate, so a purged mandate's reference can never come back)."""
    for _attempt in range(RUM_ATTEMPTS):
        rum = rules.rum_new(pk=pk)
        try:
            with transaction.atomic():
                MandateReference.objects.create(rum=rum)
        except IntegrityError:
            continue
        return rum
    raise RuntimeError("No new mandate reference could be issued")


@transaction.atomic
def mandate_confirm(*, mandate: Mandate, today: date | None = None) -> Mandate:
    """The donor signs by confirming from the email: the mandate becomes active, the first
    debit is scheduled and the signed mandate is emailed as a PDF."""
    mandate = Mandate.objects.select_for_update().get(pk=mandate.pk)
    if mandate.state != Mandate.State.PENDING:
        return mandate
    now = timezone.now()
    today = today or timezone.localdate(now)
    mandate.state = Mandate.State.ACTIVE
    mandate.signed_at = now
    mandate.first_debit_on = rules.first_debit_date(today, mandate.debit_day)
    mandate.sequence_type = Mandate.SequenceType.FIRST
    mandate.full_clean()
    mandate.save()
    MandateEvent.objects.create(
        mandate=mandate, kind=MandateEvent.Kind.CONFIRMED, effective_on=mandate.first_debit_on
    )
    enqueue_on_commit(tasks.mandate_confirmed_email, mandate.pk)
    return mandate


@transaction.atomic
def mandate_cancel(*, mandate: Mandate, by=None, note: str = "") -> Mandate:
    """Stop a mandate: no further debit is sent to the bank."""
    mandate = Mandate.objects.select_for_update().get(pk=mandate.pk)
    if mandate.state == Mandate.State.CANCELLED:
        return mandate
    mandate.state = Mandate.State.CANCELLED
    mandate.cancelled_at = timezone.now()
    mandate.pending_amount = mandate.pending_debit_day = mandate.pending_effective_on = None
    mandate.full_clean()
    mandate.save()
    MandateEvent.objects.create(
        mandate=mandate, kind=MandateEvent.Kind.CANCELLED, by=by, note=note[:300]
    )
    return mandate


@transaction.atomic
def mandate_change(
    *,
    mandate: Mandate,
    amount: Decimal | None = None,
    debit_day: int | None = None,
    by=None,
    note: str = "",
    today: date | None = None,
) -> MandateEvent | None:
    """A new amount or debit day the donor asked for, applied 14 days from today (the
    pre-notification delay); the donor is told by email. ``None`` when nothing changes."""
    mandate = Mandate.objects.select_for_update().get(pk=mandate.pk)
    if mandate.state != Mandate.State.ACTIVE:
        raise ValueError("Only an active mandate can be changed")
    current_amount, current_day = mandate.amount, mandate.debit_day
    new_amount = amount if amount is not None and amount != current_amount else None
    new_day = debit_day if debit_day is not None and debit_day != current_day else None
    if new_amount is None and new_day is None:
        return None
    today = today or timezone.localdate()
    effective_on = today + timedelta(days=CHANGE_DELAY_DAYS)
    mandate.pending_amount = new_amount
    mandate.pending_debit_day = new_day
    mandate.pending_effective_on = effective_on
    mandate.full_clean()
    mandate.save()
    event = MandateEvent.objects.create(
        mandate=mandate,
        kind=MandateEvent.Kind.CHANGED,
        by=by,
        effective_on=effective_on,
        old_amount=current_amount if new_amount is not None else None,
        new_amount=new_amount,
        old_debit_day=current_day if new_day is not None else None,
        new_debit_day=new_day,
        note=note[:300],
    )
    enqueue_on_commit(tasks.mandate_changed_email, event.pk)
    return event


@transaction.atomic
def mandate_changes_apply(*, today: date | None = None) -> int:
    """Apply the changes whose date has come (run daily); returns how many."""
    today = today or timezone.localdate()
    count = 0
    due = Mandate.objects.select_for_update().filter(
        state=Mandate.State.ACTIVE, pending_effective_on__lte=today
    )
    for mandate in due:
        event = MandateEvent(
            mandate=mandate,
            kind=MandateEvent.Kind.APPLIED,
            effective_on=mandate.pending_effective_on,
            old_amount=mandate.amount if mandate.pending_amount else None,
            new_amount=mandate.pending_amount,
            old_debit_day=mandate.debit_day if mandate.pending_debit_day else None,
            new_debit_day=mandate.pending_debit_day,
        )
        mandate.amount = mandate.pending_amount or mandate.amount
        mandate.debit_day = mandate.pending_debit_day or mandate.debit_day
        mandate.pending_amount = mandate.pending_debit_day = mandate.pending_effective_on = None
        mandate.save()
        event.save()
        count += 1
    return count


@transaction.atomic
def mandate_bank_change(
    *, mandate: Mandate, iban: str, bic: str = "", account_holder: str = "", by=None
) -> MandateEvent:
    """A new bank account for the same mandate (an amendment: same RUM, the next debit is
    sent as a first one, FRST, as the scheme asks when the debtor's bank changes)."""
    mandate = Mandate.objects.select_for_update().get(pk=mandate.pk)
    iban = rules.iban_check(iban)
    old_masked = mandate.iban_masked
    mandate.iban = iban
    mandate.iban_masked = rules.iban_mask(iban)
    mandate.bic = bic
    if account_holder:
        mandate.account_holder = account_holder
    mandate.sequence_type = Mandate.SequenceType.FIRST
    mandate.full_clean()
    mandate.save()
    return MandateEvent.objects.create(
        mandate=mandate,
        kind=MandateEvent.Kind.BANK_CHANGED,
        by=by,
        old_iban_masked=old_masked,
        new_iban_masked=mandate.iban_masked,
    )


@transaction.atomic
def pending_mandates_purge(*, now=None) -> int:
    """Delete the mandates never confirmed after 7 days, with their IBAN, and the donors
    left with no mandate. Returns how many mandates were deleted."""
    now = now or timezone.now()
    stale = Mandate.objects.pending().filter(
        created_at__lt=now - timedelta(days=PENDING_RETENTION_DAYS)
    )
    donor_ids = set(stale.values_list("donor_id", flat=True))
    _total, per_model = stale.delete()
    Donor.objects.filter(pk__in=donor_ids, mandates__isnull=True).delete()
    return per_model.get(Mandate._meta.label, 0)
