"""Emails about mandates, sent in the background; arguments are ids only."""

from datetime import timedelta

from django.urls import reverse
from django.utils import translation
from django_tasks import task

from core.mail import absolute_url, mail_send
from core.tokens import confirmation_token
from donations import rules
from donations.models import DEBIT_DAYS, GiftSettings, Mandate, MandateEvent, sepa_creditor
from donations.pdf import mandate_pdf


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
    mandate = Mandate.objects.with_donor().filter(pk=mandate_id).first()
    if mandate is None or mandate.state != Mandate.State.PENDING:
        return
    token = confirmation_token(purpose="mandate", pk=mandate.pk)
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
        "schedule": rules.debit_dates(mandate.first_debit_on, mandate.debit_day, 3),
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
def mandate_changed_email(event_id: int) -> None:
    event = MandateEvent.objects.select_related("mandate__donor").filter(pk=event_id).first()
    if event is None:
        return
    mandate = event.mandate
    terms = mandate.terms_on(event.effective_on)
    amount, debit_day = terms.amount, terms.debit_day
    first = rules.first_debit_date(
        event.effective_on - timedelta(days=rules.PRENOTIFICATION_DAYS), debit_day
    )
    mail_send(
        to=mandate.donor.email,
        template="donations/email/mandate_changed",
        context={
            **_mandate_context(mandate),
            "event": event,
            "new_amount": amount,
            "new_net_cost": rules.net_cost(amount, GiftSettings.load().tax_rate),
            "new_debit_day": dict(DEBIT_DAYS).get(debit_day, debit_day),
            "first_new_debit": first,
        },
        language=mandate.donor.language,
    )
