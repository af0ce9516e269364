"""Writes with side effects: signing, confirming, re-sending, marking a petition won."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Value
from django.db.models.functions import Coalesce, Greatest, Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from core.forms import country_codes
from core.tasks import enqueue_on_commit
from petitions.appeals import appeal_cache_clear
from petitions.counts import petition_count_clear, petition_count_fold, petition_count_increment
from petitions.models import Appeal, Petition, Signature
from petitions.tasks import petition_won_notify, signature_confirmation_send


def client_bucket_hash(bucket: str) -> str:
    """A salted hash (HMAC with the secret key) of a client network: never the address."""
    return salted_hmac("petitions.signature.ip", bucket, algorithm="sha256").hexdigest()


def signature_create(
    *,
    petition: Petition,
    first_name: str,
    last_name: str,
    email: str,
    country: str,
    postal_code: str = "",
    language: str,
    newsletter: bool = False,
    newsletter_consent_text: str = "",
    share_name: bool = False,
    notify_outcome: bool = False,
    ip_hash: str = "",
) -> tuple[Signature, bool]:
    """Sign ``petition``, or find the signature this address already made.

    A new signature is pending and gets its confirmation email; an existing pending one
    gets the email again; a confirmed one gets nothing. The caller shows the same page in
    every case, so a stranger learns nothing about who signed. Returns (signature, created).
    """
    signature = Signature(
        petition=petition,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email.strip(),
        country=country,
        postal_code=postal_code.strip(),
        language=language,
        newsletter=newsletter,
        # The consent as given: the words shown (in the signer's language) and when.
        newsletter_consent_text=newsletter_consent_text if newsletter else "",
        newsletter_consent_at=timezone.now() if newsletter else None,
        share_name=share_name,
        notify_outcome=notify_outcome,
        ip_hash=ip_hash,
    )
    # The petition was just read: no query to check it exists. The one-signature-per-address
    # constraint is the database's, checked by the INSERT itself (no lookup before it).
    # The country is checked against the set of codes: Django's check of the field's
    # choices would translate and walk ~250 country names on every signature.
    signature.full_clean(exclude=["petition", "country"], validate_constraints=False)
    if country not in country_codes():
        raise ValidationError({"country": _("Choisissez votre pays dans la liste.")})
    try:
        with transaction.atomic():
            signature.save()
            enqueue_on_commit(signature_confirmation_send, signature.pk)
    except IntegrityError:
        # This address already signed (now or a moment ago, in another request).
        existing = Signature.objects.filter(petition=petition).for_email(email).first()
        if existing is None:
            raise
        if not existing.is_confirmed:
            signature_resend_confirmation(signature=existing)
        return existing, False
    return signature, True


def signature_resend_confirmation(*, signature: Signature) -> bool:
    """Queue the confirmation email again for a pending signature; False if confirmed."""
    if signature.is_confirmed:
        return False
    enqueue_on_commit(signature_confirmation_send, signature.pk)
    return True


def signature_confirm(*, signature: Signature, now=None) -> bool:
    """Confirm a pending signature and count it, exactly once.

    The conditional UPDATE lets only one of several concurrent confirmations of the same
    signature through; the petition's count grows by one in a shard row picked at random
    (``petitions.counts``) in the same transaction, so no confirmation is lost or counted
    twice, and confirmations of one petition do not queue on its row. The cached count is
    dropped once the transaction commits. Returns False when it was already confirmed.
    """
    now = now or timezone.now()
    # No savepoint inside the caller's transaction (the link's view spends its token in
    # one): an error here undoes the whole of it, which is what the caller wants.
    with transaction.atomic(savepoint=False):
        updated = Signature.objects.filter(pk=signature.pk, confirmed_at__isnull=True).update(
            confirmed_at=now, updated_at=now
        )
        if updated != 1:
            return False
        petition_count_increment(signature.petition_id)
        petition_id = signature.petition_id
        transaction.on_commit(lambda: petition_count_clear(petition_id))
    signature.confirmed_at = now
    return True


def petition_mark_won(*, petition: Petition, case=None) -> Petition:
    """Mark ``petition`` won (and link it to its case), then tell the signers who asked.

    The emails go from a task once the change commits; each signature is told once
    (``won_notified_at``), however many times the petition is marked won.
    """
    with transaction.atomic():
        petition = Petition.objects.select_for_update().get(pk=petition.pk)
        petition.status = Petition.Status.WON
        if case is not None:
            petition.case = case
        petition.full_clean()
        petition.save()
        appeals_end(petition=petition)
        enqueue_on_commit(petition_won_notify, petition.pk)
    return petition


def appeals_end(*, petition: Petition, now=None) -> int:
    """End the banners of a petition won or closed: a live one ends now, a scheduled one
    is switched off. Returns how many changed."""
    now = now or timezone.now()
    banners = Appeal.objects.filter(petition=petition, is_active=True, ends_at__gt=now)
    changed = banners.filter(starts_at__gt=now).update(is_active=False, updated_at=now)
    changed += banners.filter(starts_at__lte=now).update(ends_at=now, updated_at=now)
    if changed:
        transaction.on_commit(appeal_cache_clear)
    return changed


def signatures_purge_unconfirmed(*, days: int | None = None, now=None) -> int:
    """Erase signatures never confirmed within ``days``; returns how many."""
    from petitions.privacy import UNCONFIRMED

    days = UNCONFIRMED.days if days is None else days
    deleted, _ = Signature.objects.expired(now=now, days=days).delete()
    return deleted


def signatures_erase(*, signatures) -> int:
    """Erase ``signatures`` (a queryset: a person asked, say); returns how many.

    Confirmed ones leave their petitions' counters. The rows are locked first, so a
    confirmation landing at the same moment waits and is not counted for a signature
    that no longer exists.
    """
    with transaction.atomic():
        pks = (
            Signature.objects.filter(pk__in=signatures.values("pk"))
            .order_by()
            .select_for_update()
            .values_list("pk", flat=True)
        )
        locked = Signature.objects.filter(pk__in=list(pks))
        confirmed = dict(
            locked.confirmed()
            .order_by()
            .values("petition_id")
            .annotate(n=Count("pk"))
            .values_list("petition_id", "n")
        )
        deleted, _ = locked.delete()
        for petition_id, n in sorted(confirmed.items()):
            # The shards first: the clamp at zero must see every confirmation counted.
            petition_count_fold(petition_id)
            Petition.objects.filter(pk=petition_id).update(
                confirmed_count=Greatest(F("confirmed_count") - n, Value(0))
            )
            transaction.on_commit(lambda pk=petition_id: petition_count_clear(pk))
    return deleted


def signatures_anonymise(*, signatures, now=None) -> int:
    """Anonymise confirmed ``signatures`` (a queryset): name, email, country, postal code,
    consents and network hash go; the petition, the confirmation time and the language
    stay, so the petition's count stays true. Pending ones are erased (they were never
    counted). Returns how many rows were anonymised or erased."""
    now = now or timezone.now()
    with transaction.atomic():
        pks = list(
            Signature.objects.filter(pk__in=signatures.values("pk"))
            .order_by()
            .select_for_update()
            .values_list("pk", flat=True)
        )
        locked = Signature.objects.filter(pk__in=pks)
        erased = signatures_erase(signatures=locked.pending())
        anonymised = (
            locked.confirmed()
            .identified()
            .update(
                first_name="",
                last_name="",
                email=None,
                country="",
                postal_code="",
                search_text="",
                newsletter=False,
                newsletter_consent_text="",
                newsletter_consent_at=None,
                share_name=False,
                notify_outcome=False,
                ip_hash="",
                anonymised_at=now,
                updated_at=now,
            )
        )
    return erased + anonymised


def signers_contact_expire(*, cutoff, now=None) -> int:
    """Anonymise the signatures of every signer whose last action (signing or confirming,
    on any petition) is older than ``cutoff``; returns how many signatures."""
    last_action = (
        Signature.objects.identified()
        .order_by()
        .annotate(person=Lower("email"))
        .values("person")
        .annotate(
            last=Greatest(Max("created_at"), Coalesce(Max("confirmed_at"), Max("created_at")))
        )
        .filter(last__lt=cutoff)
        .values("person")
    )
    stale = (
        Signature.objects.identified().alias(person=Lower("email")).filter(person__in=last_action)
    )
    return signatures_anonymise(signatures=stale, now=now)


def signature_withdraw(*, signature: Signature, channel: str, by=None) -> int:
    """The signer takes back their support: the signature is deleted and, if it was
    confirmed, leaves the petition's count. Journaled (``core.PrivacyRequest``, kind
    ``withdraw``) so a restored backup can replay it. Returns how many rows went."""
    from core.models import PrivacyRequest
    from petitions.privacy import SIGNATURE_LABEL

    with transaction.atomic():
        deleted = signatures_erase(signatures=Signature.objects.filter(pk=signature.pk))
        if deleted:
            PrivacyRequest.objects.create(
                kind=PrivacyRequest.Kind.WITHDRAW,
                channel=channel,
                by=by if by is not None and by.is_authenticated else None,
                identity_checked=True,
                apps="petitions",
                summary={"petitions": {"withdrawn": deleted}},
                erased_ids={SIGNATURE_LABEL: [signature.pk]},
            )
    return deleted
