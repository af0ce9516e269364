"""Writes with side effects on gifts and mandates: one function per action."""

import hashlib
import re
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.formats import format_date
from core.personal_data import Period
from core.tasks import enqueue_on_commit
from donations import bankanswer, bankfile, debit_calendar, debits, privacy, sepa, states, tasks
from donations.models import (
    BankAnswer,
    Debit,
    DebitBatch,
    DebitBatchDownload,
    Donor,
    Mandate,
    MandateAmendment,
    MandateEvent,
    MandatePdfAccess,
    MandateReference,
    MandateTerms,
    Receipt,
    ReceiptCounter,
)
from donations.pdf import mandate_pdf

CHANGE_DELAY_DAYS = debit_calendar.PRENOTIFICATION_DAYS


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
    newsletter_consent_text: str = "",
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
            if donor.newsletter:
                # The consent as given: the words shown (in the donor's language) and when.
                donor.newsletter_consent_text = newsletter_consent_text
                donor.newsletter_consent_at = timezone.now()
            donor.full_clean()
            donor.save()
            iban = sepa.iban_check(iban)
            mandate = Mandate(
                donor=donor,
                rum=f"TMP-{secrets.token_hex(12)}",
                amount=amount,
                debit_day=debit_day,
                account_holder=account_holder,
                iban=iban,
                iban_masked=sepa.iban_mask(iban),
                bic=bic,
                signature_place=signature_place or donor_data.get("city", ""),
                idempotency_key=idempotency_key,
            )
            mandate.full_clean(exclude=["rum", "idempotency_key"])
            mandate.save()
            mandate.rum = mandate_reference_issue(pk=mandate.pk)
            mandate.save(update_fields=["rum"])
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
        rum = sepa.rum_new(pk=pk)
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
    mandate.first_debit_on = debit_calendar.first_debit_date(today, mandate.debit_day)
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
    if state != states.PAUSED:
        mandate.paused_until = None
    if state == states.CANCELLED:
        mandate.cancelled_at = timezone.now()
    if state in states.FINAL:
        mandate.terms.filter(effective_from__gt=today or timezone.localdate()).delete()
    mandate.full_clean()
    mandate.save()
    if state != states.ACTIVE:
        mandate_debits_cancel(mandate=mandate, flag_sent=state == states.CANCELLED)
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


@transaction.atomic
def mandate_staff_cancel(*, mandate: Mandate, by, reason: str) -> Mandate:
    """Staff stop a mandate (the donor asked, say): recorded with who and why, its debits
    not yet sent to the bank cancelled, the donor told by email. A mandate already ended, or
    one the states table does not let staff cancel, raises ``states.TransitionRefused``."""
    if mandate.state == states.CANCELLED:
        raise states.TransitionRefused(mandate.state, states.CANCELLED, states.STAFF)
    # mandate_move cancels its scheduled debits (and flags those already sent).
    mandate = mandate_cancel(mandate=mandate, by=by, actor=states.STAFF, note=reason)
    enqueue_on_commit(tasks.mandate_cancelled_email, mandate.pk)
    return mandate


@transaction.atomic
def mandate_donor_cancel(*, mandate: Mandate) -> Mandate:
    """The donor stops their gift from their space: no further debit, an email says so."""
    if mandate.state == states.CANCELLED:
        raise states.TransitionRefused(mandate.state, states.CANCELLED, states.DONOR)
    mandate = mandate_cancel(mandate=mandate, actor=states.DONOR)
    enqueue_on_commit(tasks.mandate_cancelled_email, mandate.pk)
    return mandate


PAUSE_MONTHS = (1, 2, 3)


@transaction.atomic
def mandate_pause(
    *, mandate: Mandate, actor: str, by=None, note: str = "", months: int | None = None, today=None
):
    """Stop the debits for a while. With ``months`` (1 to 3, the donor's choice) the
    mandate comes back by itself that many calendar months later (``mandates_pause_end``),
    and the donor is told by email."""
    if months is not None and months not in PAUSE_MONTHS:
        raise ValueError("A pause lasts 1, 2 or 3 months")
    mandate = mandate_move(mandate=mandate, state=states.PAUSED, actor=actor, by=by, note=note)
    if months is not None:
        today = today or timezone.localdate()
        mandate.paused_until = Period(months=months).after(today)
        mandate.save(update_fields=["paused_until", "updated_at"])
        event = mandate.events.filter(kind=MandateEvent.Kind.PAUSED).order_by("-pk").first()
        event.effective_on = mandate.paused_until  # the day the debits resume
        event.save(update_fields=["effective_on"])
        enqueue_on_commit(tasks.mandate_paused_email, mandate.pk)
    return mandate


def mandates_pause_end(*, today: date | None = None) -> int:
    """Debit again the mandates whose pause, chosen by the donor, ends today or ended
    (run daily); returns how many."""
    today = today or timezone.localdate()
    count = 0
    for mandate in Mandate.objects.filter(state=states.PAUSED, paused_until__lte=today):
        mandate_move(
            mandate=mandate, state=states.ACTIVE, actor=states.RULE, note="fin de la pause"
        )
        count += 1
    return count


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
    actor: str = "",
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
        actor=actor,
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
    actor: str = "",
    today: date | None = None,
) -> MandateEvent:
    """A new bank account for the same mandate: an amendment (same RUM), recorded as a
    dated ``MandateAmendment`` row with the old account, which the next debit carries to
    the bank. The sequence type is kept: since the November 2016 rulebook a change of
    account (or of bank, ``SMNDA``) no longer makes the next debit a first one."""
    mandate = Mandate.objects.select_for_update().get(pk=mandate.pk)
    if mandate.state not in states.CHANGEABLE:
        raise ValueError("Only a signed mandate still running can change its account")
    iban = sepa.iban_check(iban)
    old_iban, old_masked, old_bic = mandate.iban, mandate.iban_masked, mandate.bic
    mandate.iban = iban
    mandate.iban_masked = sepa.iban_mask(iban)
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
        other_bank=sepa.iban_bank_code(old_iban) != sepa.iban_bank_code(iban),
        by=by,
    )
    return MandateEvent.objects.create(
        mandate=mandate,
        kind=MandateEvent.Kind.BANK_CHANGED,
        by=by,
        actor=actor,
        old_iban_masked=old_masked,
        new_iban_masked=mandate.iban_masked,
    )


@transaction.atomic
def donor_contact_update(*, donors, data: dict) -> int:
    """The donor corrects their postal address or email from their space (every donor row
    of that person, so receipts to come carry it); returns how many rows changed. Receipts
    already issued keep the address they were issued with."""
    names = ("street", "postal_code", "city", "country", "email")
    values = {name: data[name] for name in names if name in data}
    changed = 0
    for donor in Donor.objects.select_for_update().filter(pk__in=[d.pk for d in donors]):
        if all(getattr(donor, name) == value for name, value in values.items()):
            continue
        for name, value in values.items():
            setattr(donor, name, value)
        donor.full_clean()
        donor.save()
        changed += 1
    return changed


EMAIL_CHANGE = privacy.EMAIL_CHANGE_PURPOSE
EMAIL_CHANGE_HOURS = 24


@transaction.atomic
def donor_email_change_request(*, donor: Donor, email: str) -> None:
    """The donor gave a new address in their space: a link goes to it, and the address
    changes only when it is opened (a typo does not lose the receipts). The token's row
    holds the donor and the new address until then (``core.tokens``); the task that sends
    the email makes the token the link carries."""
    from core.models import EmailToken
    from core.tokens import token_issue

    target = f"{donor.pk}|{email.strip()}"
    token_issue(purpose=EMAIL_CHANGE, target=target, hours=EMAIL_CHANGE_HOURS)
    row = EmailToken.objects.get(purpose=EMAIL_CHANGE, target_model="", target_id=target)
    enqueue_on_commit(tasks.donor_email_change_email, row.pk)


@transaction.atomic
def donor_email_change_confirm(*, donor_pk: int, email: str) -> int:
    """The new address's owner opened the link: every donor row of the old address takes
    it. Returns how many rows changed."""
    donor = Donor.objects.filter(pk=donor_pk, anonymised_at__isnull=True).first()
    if donor is None or not donor.email:
        return 0
    donors = list(Donor.objects.filter(email__iexact=donor.email, anonymised_at__isnull=True))
    return donor_contact_update(donors=donors, data={"email": email})


@transaction.atomic
def pending_mandates_purge(*, now=None) -> int:
    """Delete the mandates never confirmed after ``privacy.PENDING`` (7 days), with their IBAN, and the donors
    left with no mandate. Returns how many mandates were deleted."""
    now = now or timezone.now()
    stale = Mandate.objects.pending().filter(created_at__lt=privacy.PENDING.before(now))
    donor_ids = set(stale.values_list("donor_id", flat=True))
    _total, per_model = stale.delete()
    Donor.objects.filter(pk__in=donor_ids, mandates__isnull=True).delete()
    return per_model.get(Mandate._meta.label, 0)


# --- Tax receipts (reçus fiscaux) --------------------------------------------------------

RECEIPT_CHUNK = 500


@dataclass
class ReceiptsIssued:
    """What one run of :func:`receipts_issue` recorded."""

    originals: int = 0
    cancellations: int = 0
    corrections: int = 0
    receipt_ids: list[int] = field(default_factory=list)
    first_number: str = ""
    last_number: str = ""

    @property
    def total(self) -> int:
        return self.originals + self.cancellations + self.corrections


def receipt_numbers_take(*, year: int, count: int) -> range:
    """Take the next ``count`` receipt numbers of the gift ``year`` (sequence numbers,
    first is 1). Call it inside the transaction that records the receipts: the counter row
    stays locked until that transaction ends, and a rollback gives the numbers back, so the
    sequence is gapless and no number is given twice."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Receipt numbers are taken inside the transaction that uses them")
    ReceiptCounter.objects.bulk_create([ReceiptCounter(year=year)], ignore_conflicts=True)
    counter = ReceiptCounter.objects.select_for_update().get(year=year)
    first = counter.last + 1
    counter.last += count
    counter.save(update_fields=["last"])
    return range(first, first + count)


def receipts_issue(
    *, year: int, today: date | None = None, send: bool = True, chunk_size: int = RECEIPT_CHUNK
) -> ReceiptsIssued:
    """Issue the tax receipts of the gift ``year``: one per donor, for the debits collected
    that year and neither returned nor refunded.

    Running it again issues nothing for a donor whose receipt still matches their debits.
    When it no longer does (a debit refunded or returned after the receipt, or one collected
    late), the receipt is cancelled by a cancelling receipt naming it, and a corrected one
    is issued when money remains; their numbers continue the year's sequence. Each chunk
    of donors is one transaction holding the year's counter, so two runs at once wait for
    each other and never issue twice. New receipts are emailed by a task when ``send``.
    """
    today = today or timezone.localdate()
    if year >= today.year:
        raise ValueError("The gift year is not over yet")
    donor_ids = set(
        Debit.objects.collected()
        .in_year(year)
        .order_by()
        .values_list("mandate__donor_id", flat=True)
        .distinct()
    )
    donor_ids.update(Receipt.objects.for_year(year).in_force().values_list("donor_id", flat=True))
    ordered = sorted(donor_ids)
    result = ReceiptsIssued()
    for start in range(0, len(ordered), chunk_size):
        _receipts_issue_chunk(
            year=year, donor_ids=ordered[start : start + chunk_size], send=send, result=result
        )
    return result


def _donor_address(donor: Donor) -> str:
    lines = [donor.street, f"{donor.postal_code} {donor.city}".strip()]
    if donor.country and donor.country.code != "FR":
        with translation.override("fr"):
            lines.append(str(donor.country.name))
    return "\n".join(line for line in lines if line)


def _donor_name(donor: Donor) -> str:
    return f"{donor.first_name} {donor.last_name}".strip()


@transaction.atomic
def _receipts_issue_chunk(*, year: int, donor_ids: list[int], send: bool, result) -> None:
    # The year's counter is locked first: a second run waits here, then sees these receipts.
    receipt_numbers_take(year=year, count=0)
    now = timezone.now()
    wanted: dict[int, list[tuple[int, date, Decimal]]] = defaultdict(list)
    debits = (
        Debit.objects.collected()
        .in_year(year)
        .filter(mandate__donor_id__in=donor_ids)
        .order_by("collected_on", "pk")
        .values_list("pk", "mandate__donor_id", "collected_on", "amount")
    )
    for pk, donor_id, collected_on, amount in debits:
        wanted[donor_id].append((pk, collected_on, amount))
    current = {
        receipt.donor_id: receipt
        for receipt in Receipt.objects.for_year(year)
        .in_force()
        .filter(donor_id__in=donor_ids)
        .select_for_update()
    }
    linked: dict[int, set[int]] = defaultdict(set)
    for receipt_id, debit_id in Receipt.debits.through.objects.filter(
        receipt_id__in=[receipt.pk for receipt in current.values()]
    ).values_list("receipt_id", "debit_id"):
        linked[receipt_id].add(debit_id)

    plans = []  # (kind, donor_id, original receipt or None, debits)
    for donor_id in donor_ids:
        debits_of = wanted.get(donor_id, [])
        receipt = current.get(donor_id)
        if receipt is None:
            if debits_of:
                plans.append((Receipt.Kind.ORIGINAL, donor_id, None, debits_of))
            continue
        if linked[receipt.pk] == {pk for pk, _on, _amount in debits_of}:
            continue
        plans.append((Receipt.Kind.CANCELLATION, donor_id, receipt, []))
        if debits_of:
            plans.append((Receipt.Kind.CORRECTION, donor_id, receipt, debits_of))
    if not plans:
        return

    donors = Donor.objects.in_bulk({donor_id for _kind, donor_id, _r, _d in plans})
    numbers = receipt_numbers_take(year=year, count=len(plans))
    cancelled = [receipt for kind, _d, receipt, _x in plans if kind == Receipt.Kind.CANCELLATION]
    for receipt in cancelled:
        receipt.cancelled_at = now
    Receipt.objects.bulk_update(cancelled, ["cancelled_at"])

    receipts = []
    for sequence, (kind, donor_id, original, debits_of) in zip(numbers, plans, strict=True):
        if kind == Receipt.Kind.CANCELLATION:
            amount, dates = original.amount, original.payment_dates
            name, address = original.donor_name, original.donor_address
        else:
            donor = donors[donor_id]
            amount = sum((amount for _pk, _on, amount in debits_of), Decimal("0"))
            dates = [on.isoformat() for _pk, on, _amount in debits_of]
            name, address = _donor_name(donor), _donor_address(donor)
        receipts.append(
            Receipt(
                number=Receipt.number_for(year, sequence),
                year=year,
                sequence=sequence,
                kind=kind,
                donor_id=donor_id,
                original=original,
                amount=amount,
                payment_dates=dates,
                donor_name=name,
                donor_address=address,
                issued_at=now,
            )
        )
    Receipt.objects.bulk_create(receipts, batch_size=1000)
    links = [
        Receipt.debits.through(receipt_id=receipt.pk, debit_id=pk)
        for receipt, (_kind, _donor, _original, debits_of) in zip(receipts, plans, strict=True)
        for pk, _on, _amount in debits_of
    ]
    Receipt.debits.through.objects.bulk_create(links, batch_size=5000)

    result.first_number = result.first_number or receipts[0].number
    result.last_number = receipts[-1].number
    corrected = {r.original_id for r in receipts if r.kind == Receipt.Kind.CORRECTION}
    for receipt in receipts:
        if receipt.kind == Receipt.Kind.ORIGINAL:
            result.originals += 1
        elif receipt.kind == Receipt.Kind.CORRECTION:
            result.corrections += 1
        else:
            result.cancellations += 1
        result.receipt_ids.append(receipt.pk)
        # A corrected receipt is emailed with the cancellation it follows.
        if send and not (
            receipt.kind == Receipt.Kind.CANCELLATION and receipt.original_id in corrected
        ):
            enqueue_on_commit(tasks.receipt_email, receipt.pk)


def receipt_send(*, receipt: Receipt) -> None:
    """Email a receipt again (the donor lost it, or changed address)."""
    enqueue_on_commit(tasks.receipt_email, receipt.pk)


# --- Debits ------------------------------------------------------------------------------

SCHEDULE_DAYS = 14
LAPSABLE_STATES = tuple(
    state for state in states.STATES if states.can_move(state, states.LAPSED, states.RULE)
)
DEBIT_BATCH_SIZE = 1000


def _first_sequence() -> str:
    if settings.SEPA_FIRST_DEBIT_AS_RCUR:
        return Mandate.SequenceType.RECURRENT
    return Mandate.SequenceType.FIRST


def debits_schedule(*, today: date | None = None, days: int = SCHEDULE_DAYS) -> int:
    """Create the debits due within ``days`` days for every active mandate: one per
    mandate and month (a database constraint), never before the mandate's first debit
    (at least 14 days after the pre-notification), the amount copied from the terms in
    force on the due date. Returns how many were created; running twice creates none."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=days)
    months = debits.months_between(today, horizon)
    mandates = (
        Mandate.objects.active()
        .exclude(first_debit_on=None)
        .filter(first_debit_on__lte=horizon)
        .only("pk", "rum", "first_debit_on", "signed_at", "sequence_type")
        .prefetch_related("terms")
        .order_by("pk")
    )
    taken = set(
        Debit.objects.filter(month__gte=months[0], month__lte=months[-1]).values_list(
            "mandate_id", "month"
        )
    )
    organisation = settings.ORGANISATION_NAME
    created = 0
    new: list[Debit] = []
    for mandate in mandates.iterator(chunk_size=2000):
        earliest = max(
            mandate.first_debit_on,
            timezone.localdate(mandate.signed_at)
            + timedelta(days=debit_calendar.PRENOTIFICATION_DAYS),
        )
        for month in months:
            if (mandate.pk, month) in taken:
                continue
            due_on = debits.due_date(month, mandate.terms_on(month).debit_day)
            if due_on <= today or due_on > horizon or due_on < earliest:
                continue
            amount = mandate.terms_on(due_on).amount
            new.append(
                Debit(
                    mandate_id=mandate.pk,
                    month=month,
                    due_on=due_on,
                    amount=amount,
                    sequence_type=(
                        _first_sequence()
                        if mandate.sequence_type == Mandate.SequenceType.FIRST
                        else Mandate.SequenceType.RECURRENT
                    ),
                    end_to_end_id=debits.end_to_end_id(mandate.rum, month),
                    remittance=debits.remittance_text(organisation, due_on),
                )
            )
        if len(new) >= DEBIT_BATCH_SIZE:
            created += _debits_insert(new)
            new = []
    return created + _debits_insert(new)


def _debits_insert(new: list) -> int:
    if not new:
        return 0
    with transaction.atomic():
        before = Debit.objects.count()
        Debit.objects.bulk_create(new, ignore_conflicts=True)
        return Debit.objects.count() - before


def mandate_debits_cancel(*, mandate: Mandate, flag_sent: bool = True, now=None) -> tuple[int, int]:
    """A mandate stops (cancelled, paused, suspended, lapsed): its scheduled debits are
    cancelled; when it is cancelled, those already in a bank file are flagged for the Dons
    team (ask the bank to cancel them, or refund). Returns (cancelled, flagged)."""
    now = now or timezone.now()
    cancelled = mandate.debits.filter(status=Debit.Status.SCHEDULED).update(
        status=Debit.Status.CANCELLED, cancelled_at=now, updated_at=now
    )
    flagged = 0
    if flag_sent:
        flagged = mandate.debits.filter(status=Debit.Status.SENT).update(
            mandate_cancelled_after_sending=True, updated_at=now
        )
    return cancelled, flagged


class DebitRefused(ValueError):
    """A change a debit cannot take, with the French message for staff."""


FAILURE_FROM = {
    Debit.Status.REJECTED: {Debit.Status.SENT},
    Debit.Status.RETURNED: {Debit.Status.SENT, Debit.Status.COLLECTED},
    Debit.Status.REFUNDED: {Debit.Status.SENT, Debit.Status.COLLECTED},
}


@transaction.atomic
def debit_fail(
    *,
    debit: Debit,
    status: str,
    reason_code: str,
    on: date | None = None,
    by=None,
    notify: bool = True,
) -> Debit:
    """The bank rejected (before settlement), returned or refunded (after it) a debit,
    with its ISO reason code. The donor is emailed; the mandate ends (AC04, MD07, MD01 on
    a refund) or is suspended (AM04, AC06, MS02, MS03 twice in a row). Nothing is
    re-presented. Marking the same failure twice changes nothing."""
    debit = Debit.objects.select_for_update().select_related("mandate").get(pk=debit.pk)
    code = (reason_code or "").strip().upper()
    if not re.fullmatch(r"[A-Z0-9]{4}", code):
        raise DebitRefused(_("Le code motif est fait de 4 lettres ou chiffres (AM04, AC04…)."))
    if debit.status == status and debit.reason_code == code:
        return debit
    if status not in FAILURE_FROM or debit.status not in FAILURE_FROM[status]:
        raise DebitRefused(
            _("Un prélèvement « %(current)s » ne peut pas devenir « %(new)s ».")
            % {
                "current": debit.get_status_display(),
                "new": Debit.Status(status).label if status in Debit.Status else status,
            }
        )
    debit.status = status
    debit.reason_code = code
    debit.failed_on = on or timezone.localdate()
    debit.full_clean()
    debit.save()
    mandate = debit.mandate
    if status == Debit.Status.REJECTED and debit.sequence_type == Mandate.SequenceType.FIRST:
        # The first debit never reached the account: the next one is a first one again.
        Mandate.objects.filter(pk=mandate.pk).update(sequence_type=Mandate.SequenceType.FIRST)
    previous = (
        mandate.debits.exclude(batch=None)
        .exclude(pk=debit.pk)
        .filter(due_on__lt=debit.due_on)
        .order_by("-due_on")
        .first()
    )
    outcome = debits.failure_outcome(
        code,
        refund=status == Debit.Status.REFUNDED,
        previous_code=previous.reason_code if previous and previous.is_failed else None,
    )
    note = f"{debit.end_to_end_id} {code}"
    if outcome == debits.END and mandate.state not in states.FINAL:
        mandate_cancel(mandate=mandate, actor=states.RULE, note=note)
    elif outcome == debits.SUSPEND and states.can_move(
        mandate.state, states.SUSPENDED, states.RULE
    ):
        mandate_suspend(mandate=mandate, actor=states.RULE, note=note)
    if notify:
        enqueue_on_commit(tasks.debit_failed_email, debit.pk)
    return debit


def mandates_lapse(*, today: date | None = None) -> int:
    """Mandates with no debit presented for 36 months lapse (counted from the due date of
    the last debit sent in a bank file, whatever its outcome, or from the signature when
    none was). Returns how many lapsed."""
    today = today or timezone.localdate()
    cutoff = debits.lapse_cutoff(today)
    candidates = (
        Mandate.objects.filter(state__in=LAPSABLE_STATES, signed_at__date__lte=cutoff)
        .annotate(last_sent=Max("debits__due_on", filter=Q(debits__batch__isnull=False)))
        .filter(Q(last_sent__isnull=True) | Q(last_sent__lte=cutoff))
    )
    count = 0
    for mandate in candidates:
        last = mandate.last_sent or timezone.localdate(mandate.signed_at)
        if today < debits.lapse_date(last):
            continue
        try:
            mandate_lapse(mandate=mandate, note=f"dernier prélèvement présenté : {last:%Y-%m-%d}")
        except states.TransitionRefused:
            continue  # moved meanwhile (cancelled by staff, say)
        count += 1
    return count


@transaction.atomic
def batch_collect(*, batch: DebitBatch, today: date | None = None, by=None) -> int:
    """The bank credited the batch: every debit of it not marked otherwise becomes
    collected, once its settlement (due) date has passed. Returns how many."""
    today = today or timezone.localdate()
    batch = DebitBatch.objects.select_for_update().get(pk=batch.pk)
    if today <= batch.due_on:
        raise DebitRefused(
            _("Ce fichier ne peut être marqué encaissé qu'après son échéance, le %(date)s.")
            % {"date": format_date(batch.due_on)}
        )
    count = batch.debits.filter(status=Debit.Status.SENT).update(
        status=Debit.Status.COLLECTED, collected_on=batch.due_on, updated_at=timezone.now()
    )
    if batch.status != DebitBatch.Status.COLLECTED:
        batch.status = DebitBatch.Status.COLLECTED
        batch.collected_at = timezone.now()
        batch.save(update_fields=["status", "collected_at"])
    return count


class BankFileRefused(ValueError):
    """A bank file that cannot be made, with the French message to show."""


def _bank_text(value: str) -> str:
    """Text for the bank file, in the Latin characters SEPA accepts."""
    return sepa.sepa_text(value or "").strip()


def _sent_debit(debit: Debit) -> bankfile.SentDebit:
    amendment = None
    if debit.sent_amendment:
        original_iban, _sep, other_bank = debit.sent_amendment.partition("|")
        amendment = bankfile.Amendment(original_iban=original_iban, other_bank=other_bank == "1")
    donor = debit.mandate.donor
    return bankfile.SentDebit(
        end_to_end_id=debit.end_to_end_id,
        amount=debit.amount,
        sequence_type=debit.sequence_type,
        due_on=debit.due_on,
        rum=debit.mandate.rum,
        mandate_signed_on=debit.sent_mandate_signed_on,
        debtor_name=debit.sent_debtor_name,
        iban=debit.sent_iban,
        bic=debit.sent_bic,
        remittance=sepa.sepa_text(debit.remittance, 140),
        country=str(donor.country),
        street=_bank_text(donor.street),
        postal_code=_bank_text(donor.postal_code),
        town=_bank_text(donor.city),
        structured_address=sepa.bic_required(debit.sent_iban),
        amendment=amendment,
    )


def _amendment_snapshot(amendments: list[MandateAmendment]) -> str:
    """The amendment a debit carries, as sent: ``<original IBAN>|<1 if another bank>``
    (the account before the first change not yet sent; another bank if any change moved
    it), empty when the account has not changed since the last debit sent."""
    if not amendments:
        return ""
    first = min(amendments, key=lambda amendment: (amendment.changed_on, amendment.pk))
    other_bank = any(amendment.other_bank for amendment in amendments)
    return f"{first.old_iban}|{'1' if other_bank else '0'}"


def bank_file_check_due(*, due_on: date, today: date) -> None:
    """``BankFileRefused`` when the due date is fewer than ``SEPA_SUBMISSION_DAYS``
    TARGET2 days away (the bank's cut-off)."""
    days = debits.business_days_between(today, due_on)
    if days < settings.SEPA_SUBMISSION_DAYS:
        raise BankFileRefused(
            ngettext(
                "L'échéance du %(date)s est trop proche : la banque doit recevoir le fichier "
                "au moins %(days)s jour ouvré TARGET2 avant.",
                "L'échéance du %(date)s est trop proche : la banque doit recevoir le fichier "
                "au moins %(days)s jours ouvrés TARGET2 avant.",
                settings.SEPA_SUBMISSION_DAYS,
            )
            % {"date": format_date(due_on), "days": settings.SEPA_SUBMISSION_DAYS}
        )


def bank_file_create(
    *, due_on: date, today: date | None = None, by=None, now=None
) -> list[DebitBatch]:
    """Put every scheduled debit due on ``due_on`` never sent before into new bank files
    (several when there are more than ``SEPA_BATCH_MAX_DEBITS``), each an immutable
    ``DebitBatch``: the pain.008 bytes checked against the schema, and on each debit what
    was sent. A debit is never in two batches. Returns the new batches (none when every
    debit of that date was already sent)."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    bank_file_check_due(due_on=due_on, today=today)
    creditor = bankfile.Creditor(
        name=_bank_text(settings.SEPA_CREDITOR_NAME),
        iban=settings.SEPA_CREDITOR_IBAN,
        bic=settings.SEPA_CREDITOR_BIC,
        creditor_id=settings.SEPA_CREDITOR_ID,
    )
    version = settings.SEPA_PAIN008_VERSION
    size = settings.SEPA_BATCH_MAX_DEBITS
    batches = []
    with transaction.atomic():
        due = list(
            Debit.objects.select_for_update(of=("self",))
            .filter(status=Debit.Status.SCHEDULED, batch=None, due_on=due_on)
            .filter(mandate__state=Mandate.State.ACTIVE)
            .select_related("mandate__donor")
            .order_by("pk")
        )
        pending = {}
        for amendment in MandateAmendment.objects.unsent().filter(
            mandate__in={debit.mandate_id for debit in due}
        ):
            pending.setdefault(amendment.mandate_id, []).append(amendment)
        stamp = f"{now:%Y%m%d%H%M%S}{secrets.token_hex(2).upper()}"
        for part, start in enumerate(range(0, len(due), size), start=1):
            chunk = due[start : start + size]
            for debit in chunk:
                mandate = debit.mandate
                debit.sequence_type = (
                    _first_sequence()
                    if mandate.sequence_type == Mandate.SequenceType.FIRST
                    else Mandate.SequenceType.RECURRENT
                )
                debit.sent_debtor_name = _bank_text(mandate.account_holder)[:70]
                debit.sent_iban = mandate.iban
                debit.sent_bic = mandate.bic
                debit.sent_mandate_signed_on = timezone.localdate(mandate.signed_at)
                debit.sent_amendment = _amendment_snapshot(pending.get(mandate.pk, []))
            message_id = f"DON-{stamp}-{part}"
            content = bankfile.pain008_build(
                debits=[_sent_debit(debit) for debit in chunk],
                creditor=creditor,
                message_id=message_id,
                created_at=timezone.localtime(now),
                version=version,
            )
            batch = DebitBatch.objects.create(
                message_id=message_id,
                created_at=now,
                created_by=by,
                due_on=due_on,
                version=version,
                part=part,
                debit_count=len(chunk),
                total=sum((debit.amount for debit in chunk), Decimal("0")),
                content=content.decode("utf-8"),
                sha256=hashlib.sha256(content).hexdigest(),
            )
            for debit in chunk:
                debit.batch = batch
                debit.status = Debit.Status.SENT
                debit.sent_at = now
                debit.updated_at = now
            _debits_save_sent(chunk)
            batches.append(batch)
        # The amendments are now at the bank.
        MandateAmendment.objects.filter(
            pk__in=[a.pk for amendments in pending.values() for a in amendments]
        ).update(sent_on=due_on)
        # Once a debit is on its way, the mandate's next ones are recurrent.
        Mandate.objects.filter(
            pk__in={debit.mandate_id for debit in due},
            sequence_type=Mandate.SequenceType.FIRST,
        ).update(sequence_type=Mandate.SequenceType.RECURRENT)
    return batches


SENT_FIELDS = (
    "batch",
    "status",
    "sent_at",
    "updated_at",
    "sequence_type",
    "sent_debtor_name",
    "sent_iban",
    "sent_bic",
    "sent_mandate_signed_on",
    "sent_amendment",
)


def _debits_save_sent(chunk: list[Debit]) -> None:
    """Save what each debit carried to the bank: one parameterised UPDATE run for every
    row (``bulk_update``'s CASE expressions grow with the square of the rows)."""
    fields = [Debit._meta.get_field(name) for name in SENT_FIELDS]
    quote = connection.ops.quote_name
    # Only the model's own table and column names go into the text; values are parameters.
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    table, pk = quote(Debit._meta.db_table), quote(Debit._meta.pk.column)
    sql = f"UPDATE {table} SET {assignments} WHERE {pk} = %s"  # noqa: S608
    rows = [
        [field.get_db_prep_save(getattr(debit, field.attname), connection) for field in fields]
        + [debit.pk]
        for debit in chunk
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def batch_download(*, batch: DebitBatch, by=None, channel: str = "admin") -> bytes:
    """The batch's file, byte for byte as made, with the download recorded (who, when)."""
    content = batch.content.encode("utf-8")
    if hashlib.sha256(content).hexdigest() != batch.sha256:
        raise BankFileRefused(_("Le fichier enregistré ne correspond plus à son empreinte."))
    DebitBatchDownload.objects.create(batch=batch, by=by, channel=channel)
    return content


# --- What the bank answers (pain.002, camt.054) --------------------------------------------


class BankAnswerRefused(ValueError):
    """A bank answer that cannot be imported, with the French message to show."""


def bank_answer_message(error: bankanswer.AnswerRefused) -> str:
    """The French words for a file ``bankanswer.answer_read`` refused."""
    if error.code == "not_xml":
        return _("Ce fichier n’est pas un fichier XML lisible (%(detail)s).") % {
            "detail": error.detail
        }
    if error.code == "doctype":
        return _("Ce fichier déclare un DOCTYPE : une réponse de la banque n’en a jamais.")
    if error.code == "unknown":
        return _(
            "Ce fichier n’est pas une réponse de la banque que le site sait lire : un "
            "pain.002.001.03 (rejets) ou un camt.054.001.02 ou .08 (retours et remboursements)."
        )
    return _(
        "Ce fichier ne respecte pas le schéma officiel %(version)s, ligne %(line)s : %(detail)s"
    ) % {"version": error.version, "line": error.line, "detail": error.detail}


def bank_answer_read(content: bytes) -> bankanswer.BankAnswerDocument:
    """The bank answer in ``content``, checked against its schema; ``BankAnswerRefused``
    with the French message otherwise."""
    try:
        return bankanswer.answer_read(content)
    except bankanswer.AnswerRefused as exc:
        raise BankAnswerRefused(bank_answer_message(exc)) from None


def _block_lines(document) -> list[bankanswer.AnswerLine]:
    """The debits a pain.002 rejects as a whole file or payment block: read from the
    bank file as it was sent (its block ids are ours)."""
    lines = []
    for block in document.blocks:
        batch = DebitBatch.objects.filter(message_id=block.original_message_id).first()
        if batch is None:
            continue
        for row in bankfile.pain008_transactions(batch.content.encode("utf-8"), batch.version):
            if block.block_id and row["block_id"] != block.block_id:
                continue
            lines.append(
                bankanswer.AnswerLine(
                    end_to_end_id=row["end_to_end_id"],
                    outcome=bankanswer.REJECTED,
                    reason_code=block.reason_code,
                    on=block.on,
                )
            )
    return lines


def _answer_status(line: bankanswer.AnswerLine, debit: Debit) -> str:
    if line.outcome == bankanswer.REJECTED:
        return Debit.Status.REJECTED
    kind = debits.return_or_refund(
        line.reason_code, return_type=line.return_type, due_on=debit.due_on, booked_on=line.on
    )
    return Debit.Status.REFUNDED if kind == debits.REFUND else Debit.Status.RETURNED


def bank_answer_import(
    *, content: bytes, filename: str = "", by=None, channel: str = "admin", notify: bool = True
) -> tuple[BankAnswer, bool]:
    """Apply a bank answer (pain.002 rejects, camt.054 returns and refunds) once:
    ``(answer, created)``. The file is checked against its official schema first
    (``BankAnswerRefused`` otherwise, nothing changed). Each failed debit goes through
    ``debit_fail`` (the donor is emailed, the mandate ended or suspended by the rules). A
    file whose message id was already imported changes nothing and gives
    ``created=False``; lines naming no debit of ours, or a change the debit cannot take,
    are listed in the answer's report."""
    document = bank_answer_read(content)
    existing = BankAnswer.objects.filter(kind=document.kind, message_id=document.message_id)
    if existing.exists():
        return existing.get(), False
    try:
        with transaction.atomic():
            answer = BankAnswer.objects.create(
                kind=document.kind,
                version=document.version,
                message_id=document.message_id[:35],
                sent_at=document.created_at
                if timezone.is_aware(document.created_at)
                else timezone.make_aware(document.created_at),
                original_message_id=document.original_message_id[:35],
                filename=filename[:255],
                sha256=hashlib.sha256(content).hexdigest(),
                channel=channel,
                by=by,
            )
            lines = [*document.lines, *_block_lines(document)]
            report = _bank_answer_apply(answer, lines, by=by, notify=notify)
            answer.report = "\n".join(report)
            answer.save()
    except IntegrityError:
        # The same file imported at the same moment by someone else: theirs counts.
        return BankAnswer.objects.get(kind=document.kind, message_id=document.message_id), False
    return answer, True


def _bank_answer_apply(answer: BankAnswer, lines, *, by, notify: bool) -> list[str]:
    found = Debit.objects.in_bulk(
        [line.end_to_end_id for line in lines], field_name="end_to_end_id"
    )
    report = []
    counters = {
        Debit.Status.REJECTED: "rejected",
        Debit.Status.RETURNED: "returned",
        Debit.Status.REFUNDED: "refunded",
    }
    for line in lines:
        debit = found.get(line.end_to_end_id)
        if debit is None:
            answer.not_applied += 1
            report.append(
                _("%(id)s : aucun prélèvement du site ne porte cette référence.")
                % {"id": line.end_to_end_id}
            )
            continue
        status = _answer_status(line, debit)
        before = (debit.status, debit.reason_code)
        try:
            debit = debit_fail(
                debit=debit,
                status=status,
                reason_code=line.reason_code,
                on=line.on,
                by=by,
                notify=notify,
            )
        except DebitRefused as exc:
            answer.not_applied += 1
            report.append(f"{line.end_to_end_id} ({line.reason_code}) : {exc}")
            continue
        if (debit.status, debit.reason_code) == before:
            answer.unchanged += 1
            continue
        setattr(answer, counters[status], getattr(answer, counters[status]) + 1)
    return report


def mandate_pdf_open(*, mandate: Mandate, by) -> bytes:
    """The signed mandate with the whole IBAN, made in memory, its opening recorded (who,
    when; never the IBAN) before a byte of it leaves."""
    MandatePdfAccess.objects.create(
        mandate=mandate, rum=mandate.rum, by=by, by_username=by.get_username()
    )
    return mandate_pdf(mandate, full_iban=True)
