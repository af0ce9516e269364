"""Writes with side effects on gifts and mandates: one function per action."""

import secrets
from datetime import date, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.tasks import enqueue_on_commit
from core.tokens import confirmation_token, token_digest
from donations import rules, states, tasks
from donations.models import (
    Donor,
    Mandate,
    MandateAmendment,
    MandateEvent,
    MandateReference,
    MandateTerms,
)

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
                mandate=mandate,
                kind=MandateEvent.Kind.CREATED,
                new_amount=amount,
                new_state=states.PENDING,
                actor=states.DONOR,
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
    states.transition_check(mandate.state, states.ACTIVE, states.DONOR)
    now = timezone.now()
    today = today or timezone.localdate(now)
    mandate.state = Mandate.State.ACTIVE
    mandate.signed_at = now
    mandate.first_debit_on = rules.first_debit_date(today, mandate.debit_day)
    mandate.sequence_type = Mandate.SequenceType.FIRST
    mandate.full_clean()
    mandate.save()
    MandateEvent.objects.create(
        mandate=mandate,
        kind=MandateEvent.Kind.CONFIRMED,
        effective_on=mandate.first_debit_on,
        old_state=states.PENDING,
        new_state=states.ACTIVE,
        actor=states.DONOR,
    )
    enqueue_on_commit(tasks.mandate_confirmed_email, mandate.pk)
    return mandate


# The history entry each move writes.
_MOVE_EVENTS = {
    states.PAUSED: MandateEvent.Kind.PAUSED,
    states.ACTIVE: MandateEvent.Kind.RESUMED,
    states.SUSPENDED: MandateEvent.Kind.SUSPENDED,
    states.LAPSED: MandateEvent.Kind.LAPSED,
    states.CANCELLED: MandateEvent.Kind.CANCELLED,
}


@transaction.atomic
def mandate_move(
    *, mandate: Mandate, state: str, actor: str, by=None, note: str = "", today=None
) -> Mandate:
    """Move a signed mandate to ``state`` (pause, resume, suspend, lapse, cancel), if
    ``donations.states`` lets ``actor`` (donor, staff or rule) do it; else
    ``states.TransitionRefused`` and nothing changes. Signing goes through
    ``mandate_confirm``. The move is recorded in the history with who made it. A mandate
    already in ``state`` is left as it is. Ending one drops its terms not yet in force."""
    mandate = Mandate.objects.select_for_update().get(pk=mandate.pk)
    if mandate.state == state:
        return mandate
    if state == states.ACTIVE and mandate.state == states.PENDING:
        raise states.TransitionRefused(mandate.state, state, actor)
    states.transition_check(mandate.state, state, actor)
    old_state = mandate.state
    mandate.state = state
    if state == states.CANCELLED:
        mandate.cancelled_at = timezone.now()
    if state in states.FINAL:
        mandate.terms.filter(effective_from__gt=today or timezone.localdate()).delete()
    mandate.full_clean()
    mandate.save()
    MandateEvent.objects.create(
        mandate=mandate,
        kind=_MOVE_EVENTS[state],
        by=by,
        old_state=old_state,
        new_state=state,
        actor=actor,
        note=note[:300],
    )
    return mandate


def mandate_cancel(*, mandate: Mandate, by=None, actor: str = states.STAFF, note: str = ""):
    """Stop a mandate for good: no further debit is sent to the bank."""
    return mandate_move(mandate=mandate, state=states.CANCELLED, actor=actor, by=by, note=note)


def mandate_pause(*, mandate: Mandate, actor: str, by=None, note: str = ""):
    return mandate_move(mandate=mandate, state=states.PAUSED, actor=actor, by=by, note=note)


def mandate_resume(*, mandate: Mandate, actor: str, by=None, note: str = ""):
    """A paused or suspended mandate debited again (never a pending one: it is signed by
    ``mandate_confirm``)."""
    return mandate_move(mandate=mandate, state=states.ACTIVE, actor=actor, by=by, note=note)


def mandate_suspend(*, mandate: Mandate, actor: str, by=None, note: str = ""):
    return mandate_move(mandate=mandate, state=states.SUSPENDED, actor=actor, by=by, note=note)


def mandate_lapse(*, mandate: Mandate, note: str = ""):
    """The 36-month rule: a mandate with no debit presented for 36 months is void."""
    return mandate_move(mandate=mandate, state=states.LAPSED, actor=states.RULE, note=note)


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
    """A new amount or debit day the donor asked for: a ``MandateTerms`` row in force 14
    days from today (the pre-notification delay); the donor is told by email. ``None`` when
    nothing changes. A change asked for on top of one not yet in force starts from it; a
    second change on the same day replaces the first."""
    mandate = Mandate.objects.select_for_update().get(pk=mandate.pk)
    if mandate.state not in states.CHANGEABLE:
        raise ValueError("Only a signed mandate still running can be changed")
    today = today or timezone.localdate()
    effective_on = today + timedelta(days=CHANGE_DELAY_DAYS)
    latest = mandate.terms.order_by("-effective_from").first()
    current_amount, current_day = (
        (latest.amount, latest.debit_day) if latest else (mandate.amount, mandate.debit_day)
    )
    new_amount = amount if amount is not None and amount != current_amount else None
    new_day = debit_day if debit_day is not None and debit_day != current_day else None
    if new_amount is None and new_day is None:
        return None
    mandate.terms.filter(effective_from__gte=effective_on).delete()
    terms = MandateTerms(
        mandate=mandate,
        amount=new_amount if new_amount is not None else current_amount,
        debit_day=new_day if new_day is not None else current_day,
        effective_from=effective_on,
        by=by,
    )
    terms.full_clean()
    terms.save()
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
    """Copy onto each mandate the terms in force today, where they changed (run daily, so
    lists and filters show today's amount); returns how many mandates changed. The debits
    read the rows themselves (``Mandate.terms_on``), so a missed run loses nothing."""
    today = today or timezone.localdate()
    count = 0
    due = (
        Mandate.objects.select_for_update()
        .filter(state__in=states.CHANGEABLE)
        .filter(pk__in=MandateTerms.objects.filter(effective_from__lte=today).values("mandate_id"))
        .prefetch_related("terms")
    )
    for mandate in due:
        terms = mandate.terms_on(today)
        if (terms.amount, terms.debit_day) == (mandate.amount, mandate.debit_day):
            continue
        MandateEvent.objects.create(
            mandate=mandate,
            kind=MandateEvent.Kind.APPLIED,
            effective_on=terms.effective_from,
            old_amount=mandate.amount if terms.amount != mandate.amount else None,
            new_amount=terms.amount if terms.amount != mandate.amount else None,
            old_debit_day=mandate.debit_day if terms.debit_day != mandate.debit_day else None,
            new_debit_day=terms.debit_day if terms.debit_day != mandate.debit_day else None,
        )
        mandate.amount, mandate.debit_day = terms.amount, terms.debit_day
        mandate.save(update_fields=["amount", "debit_day", "updated_at"])
        count += 1
    return count


@transaction.atomic
def mandate_bank_change(
    *,
    mandate: Mandate,
    iban: str,
    bic: str = "",
    account_holder: str = "",
    by=None,
    today: date | None = None,
) -> MandateEvent:
    """A new bank account for the same mandate: an amendment (same RUM), recorded as a
    dated ``MandateAmendment`` row with the old account, which the next debit carries to
    the bank. The sequence type is kept: since the November 2016 rulebook a change of
    account (or of bank, ``SMNDA``) no longer makes the next debit a first one."""
    mandate = Mandate.objects.select_for_update().get(pk=mandate.pk)
    if mandate.state not in states.CHANGEABLE:
        raise ValueError("Only a signed mandate still running can change its account")
    iban = rules.iban_check(iban)
    old_iban, old_masked, old_bic = mandate.iban, mandate.iban_masked, mandate.bic
    mandate.iban = iban
    mandate.iban_masked = rules.iban_mask(iban)
    mandate.bic = bic
    if account_holder:
        mandate.account_holder = account_holder
    mandate.full_clean()
    mandate.save()
    MandateAmendment.objects.create(
        mandate=mandate,
        changed_on=today or timezone.localdate(),
        old_iban=old_iban,
        old_iban_masked=old_masked,
        old_bic=old_bic,
        new_iban_masked=mandate.iban_masked,
        new_bic=bic,
        other_bank=rules.iban_bank_code(old_iban) != rules.iban_bank_code(iban),
        by=by,
    )
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
