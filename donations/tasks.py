"""Emails about mandates and tax receipts, sent in the background; arguments are ids only."""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from core.mail import absolute_url, mail_send
from core.tokens import token_issue
from donations import debit_calendar, tax
from donations.models import (
    DEBIT_DAYS,
    GiftSettings,
    Mandate,
    MandateEvent,
    Receipt,
    sepa_creditor,
)
from donations.pdf import mandate_pdf
from donations.privacy import PENDING
from donations.receipt_pdf import receipt_pdf

MANDATE_PURPOSE = "mandate"  # the confirmation link's token (core.tokens)


def _mandate_context(mandate) -> dict:
    gift_settings = GiftSettings.load()
    return {
        "mandate": mandate,
        "donor": mandate.donor,
        "net_cost": mandate.net_cost(gift_settings.tax_rate),
        "tax_rate_percent": gift_settings.tax_rate_percent,
        "creditor": sepa_creditor(),
    }


@task()
def mandate_pending_email(mandate_id: int) -> None:
    """The link that confirms a pending mandate: a new token each send (only its digest is
    stored, an earlier link stops working), living as long as the pending mandate is kept."""
    mandate = Mandate.objects.with_donor().filter(pk=mandate_id).first()
    if mandate is None or mandate.state != Mandate.State.PENDING:
        return
    token = token_issue(purpose=MANDATE_PURPOSE, target=mandate, days=PENDING.days)
    language = mandate.donor.language
    with translation.override(language):
        link = absolute_url(reverse("donations:mandate-confirm", args=[token]))
    mail_send(
        to=mandate.donor.email,
        template="donations/email/mandate_pending",
        context={**_mandate_context(mandate), "confirm_url": link},
        language=language,
    )


@task()
def mandate_confirmed_email(mandate_id: int) -> None:
    mandate = Mandate.objects.with_donor().filter(pk=mandate_id).first()
    if mandate is None or mandate.state != Mandate.State.ACTIVE:
        return
    language = mandate.donor.language
    context = {
        **_mandate_context(mandate),
        "schedule": debit_calendar.debit_dates(mandate.first_debit_on, mandate.debit_day, 3),
    }
    with translation.override(language):
        pdf = mandate_pdf(mandate)
    mail_send(
        to=mandate.donor.email,
        template="donations/email/mandate_confirmed",
        context=context,
        language=language,
        attachments=[(f"mandat-{mandate.rum}.pdf", pdf, "application/pdf")],
    )


@task()
def mandate_cancelled_email(mandate_id: int) -> None:
    mandate = Mandate.objects.with_donor().filter(pk=mandate_id).first()
    if mandate is None or mandate.state != Mandate.State.CANCELLED or not mandate.donor.email:
        return
    mail_send(
        to=mandate.donor.email,
        template="donations/email/mandate_cancelled",
        context=_mandate_context(mandate),
        language=mandate.donor.language,
    )


@task()
def mandate_paused_email(mandate_id: int) -> None:
    """Tell the donor their pause is recorded and when the debits resume."""
    mandate = Mandate.objects.with_donor().filter(pk=mandate_id).first()
    if mandate is None or mandate.state != Mandate.State.PAUSED or not mandate.paused_until:
        return
    mail_send(
        to=mandate.donor.email,
        template="donations/email/mandate_paused",
        context=_mandate_context(mandate),
        language=mandate.donor.language,
    )


@task()
def mandate_changed_email(event_id: int) -> None:
    event = MandateEvent.objects.select_related("mandate__donor").filter(pk=event_id).first()
    if event is None:
        return
    mandate = event.mandate
    terms = mandate.terms_on(event.effective_on)
    amount, debit_day = terms.amount, terms.debit_day
    first = debit_calendar.first_debit_date(
        event.effective_on - timedelta(days=debit_calendar.PRENOTIFICATION_DAYS), debit_day
    )
    mail_send(
        to=mandate.donor.email,
        template="donations/email/mandate_changed",
        context={
            **_mandate_context(mandate),
            "event": event,
            "new_amount": amount,
            "new_net_cost": tax.net_cost(amount, GiftSettings.load().tax_rate),
            "new_debit_day": dict(DEBIT_DAYS).get(debit_day, debit_day),
            "first_new_debit": first,
        },
        language=mandate.donor.language,
    )


@task()
def receipt_email(receipt_id: int) -> None:
    """Email a tax receipt as a PDF; a corrected receipt goes with the cancellation it
    follows. The email is in the donor's language, the receipt always in French."""
    receipt = Receipt.objects.select_related("donor", "original").filter(pk=receipt_id).first()
    if receipt is None:
        return
    receipts = [receipt]
    if receipt.kind == Receipt.Kind.CORRECTION:
        cancellation = (
            Receipt.objects.select_related("original")
            .filter(kind=Receipt.Kind.CANCELLATION, original_id=receipt.original_id)
            .first()
        )
        if cancellation is not None:
            receipts.insert(0, cancellation)
    donor = receipt.donor
    mail_send(
        to=donor.email,
        template="donations/email/receipt",
        context={
            "donor": donor,
            "receipt": receipt,
            "cancellation": receipts[0] if len(receipts) > 1 else None,
            "is_demo": settings.ORGANISATION_IS_DEMO,
        },
        language=donor.language,
        attachments=[(r.filename, receipt_pdf(r), "application/pdf") for r in receipts],
    )
    Receipt.objects.filter(pk__in=[r.pk for r in receipts]).update(emailed_at=timezone.now())


@task()
def receipts_issue_task(year: int) -> None:
    """The receipts of a gift year, issued from the admin (a long run: in the background)."""
    from donations.services import receipts_issue

    receipts_issue(year=year)


@task()
def debit_failed_email(debit_id: int) -> None:
    """Tell the donor a debit failed; nothing is re-presented automatically."""
    from donations.debits import reason_label
    from donations.models import Debit

    debit = Debit.objects.select_related("mandate__donor").filter(pk=debit_id).first()
    if debit is None or not debit.is_failed:
        return
    mandate = debit.mandate
    mail_send(
        to=mandate.donor.email,
        template="donations/email/debit_failed",
        context={
            **_mandate_context(mandate),
            "debit": debit,
            "reason": reason_label(debit.reason_code),
        },
        language=mandate.donor.language,
    )


@task()
def donor_email_change_email(token_row_id: int) -> None:
    """Send the link that makes a donor's new address theirs, to that address."""
    from core.models import EmailToken
    from core.tokens import token_issue
    from donations.models import Donor
    from donations.services import EMAIL_CHANGE, EMAIL_CHANGE_HOURS

    row = EmailToken.objects.filter(pk=token_row_id, purpose=EMAIL_CHANGE).first()
    if row is None or row.used_at is not None:
        return
    donor_pk, email = row.target_id.split("|", 1)
    donor = Donor.objects.filter(pk=donor_pk, anonymised_at__isnull=True).first()
    if donor is None:
        return
    raw = token_issue(purpose=EMAIL_CHANGE, target=row.target_id, hours=EMAIL_CHANGE_HOURS)
    with translation.override(donor.language):
        link = absolute_url(reverse("donations:space-email-confirm", args=[raw]))
    mail_send(
        to=email,
        template="donations/email/email_change",
        context={"donor": donor, "link": link, "hours": EMAIL_CHANGE_HOURS},
        language=donor.language,
    )
