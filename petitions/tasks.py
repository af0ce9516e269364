"""Emails sent off the request path. Arguments are ids only (a queue stores them in clear)."""

import smtplib

from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from core.mail import absolute_url, mail_send
from core.tokens import token_issue
from petitions.models import Petition, Signature
from petitions.privacy import UNCONFIRMED

SIGNATURE_PURPOSE = "signature"  # the confirmation link's token (core.tokens)


class MailNotSent(Exception):
    """A failed send, told without the address: a queue and its logs keep errors in clear."""


def _mail_signer(signature: Signature, **kwargs) -> None:
    try:
        mail_send(to=signature.email, language=signature.language, **kwargs)
    except (smtplib.SMTPException, OSError) as exc:
        # SMTP errors quote the refused address; say which signature instead.
        code = getattr(exc, "smtp_code", "")
        raise MailNotSent(
            f"{type(exc).__name__} {code} for signature {signature.pk}".replace("  ", " ")
        ) from None


@task()
def signature_confirmation_send(signature_id: int) -> None:
    """Email the confirmation link of a pending signature, in the signer's language.

    Each send makes a new token (only its digest is stored), so a resend kills the link
    sent before. It lives as long as the unconfirmed signature is kept (then both go)."""
    signature = Signature.objects.select_related("petition").filter(pk=signature_id).first()
    if signature is None or signature.is_confirmed:
        return
    token = token_issue(purpose=SIGNATURE_PURPOSE, target=signature, days=UNCONFIRMED.days)
    with translation.override(signature.language):
        confirm_url = absolute_url(reverse("petitions:confirm", kwargs={"token": token}))
        petition_url = absolute_url(signature.petition.get_absolute_url())
        context = {
            "signature": signature,
            "petition": signature.petition,
            "confirm_url": confirm_url,
            "petition_url": petition_url,
        }
        _mail_signer(signature, template="petitions/email/confirm", context=context)


@task()
def petition_won_notify(petition_id: int) -> int:
    """Tell each confirmed signer who asked that the petition is won, once; returns how many.

    Each signature is claimed with a conditional UPDATE before its email goes, so two
    workers (or a petition marked won twice) never send the same person the news twice.
    """
    petition = Petition.objects.select_related("case").filter(pk=petition_id).first()
    if petition is None or petition.status != Petition.Status.WON:
        return 0
    to_tell = (
        petition.signatures.confirmed()
        .filter(notify_outcome=True, won_notified_at__isnull=True)
        .values_list("pk", flat=True)
    )
    sent = 0
    for signature_id in to_tell.iterator(chunk_size=500):
        claimed = Signature.objects.filter(pk=signature_id, won_notified_at__isnull=True).update(
            won_notified_at=timezone.now()
        )
        if not claimed:
            continue
        signature = Signature.objects.get(pk=signature_id)
        try:
            _send_won(petition, signature)
        except Exception:
            Signature.objects.filter(pk=signature_id).update(won_notified_at=None)
            raise
        sent += 1
    return sent


def _send_won(petition: Petition, signature: Signature) -> None:
    with translation.override(signature.language):
        victory = petition.readable_victory()
        victory_url = absolute_url(
            victory.get_absolute_url() if victory else petition.get_absolute_url()
        )
        context = {"signature": signature, "petition": petition, "victory_url": victory_url}
        _mail_signer(signature, template="petitions/email/won", context=context)
