"""What the gifts hold about a person, how long, and why (found by ``core.personal_data``).

- A mandate's bank data (IBAN, BIC, account holder, place of signature) is kept 13 months
  after its last debit or its end, whichever comes later: a debtor may dispute an
  unauthorised debit for 13 months (Code monétaire et financier, art. L. 133-24), and the
  mandate is the creditor's proof.
- The donor's name and postal address, and the debits behind a tax receipt, are kept 6
  years after the receipt was issued (Livre des procédures fiscales, art. L. 102 E).
- Then the donor is anonymised: the rows stay, so the gifts per month stay in the figures.
"""

from datetime import datetime, time

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.models import EmailToken
from core.personal_data import (
    Declaration,
    Erasure,
    Kept,
    Period,
    Processing,
    Rule,
    erasure_by_rows,
    moment,
    register,
)
from core.search import search_text_refresh
from donations import states
from donations.models import Debit, Donor, Mandate, MandateAmendment, MandateEvent, Receipt

PENDING = Period(days=7)
BANK_DATA = Period(months=13)
TAX_RECORDS = Period(years=6)
PDF_OPENINGS = Period(years=1)

DONOR_LABEL = "donations.donor"
EMAIL_CHANGE_PURPOSE = "donor-email"  # services.EMAIL_CHANGE (services import this module)
MANDATE_LABEL = "donations.mandate"
# States after which a mandate takes no debit again.
ENDED_STATES = tuple(states.FINAL)


def _donors(email: str):
    return Donor.objects.filter(email__iexact=email.strip(), anonymised_at__isnull=True)


def locate(email: str):
    """A donor still holding ``email`` (the personal space's link goes to them)."""
    return _donors(email).order_by("-pk").first()


def newsletter_withdraw(email: str) -> int:
    """One-click unsubscribe: the donor's newsletter consent goes (the text and the moment
    it was given stay, as the record of past consent)."""
    return _donors(email).filter(newsletter=True).update(newsletter=False)


def export(email: str) -> dict:
    donors = _donors(email).prefetch_related("mandates__events", "mandates__debits").order_by("pk")
    return {
        "donors": [
            {
                "civility": d.civility,
                "first_name": d.first_name,
                "last_name": d.last_name,
                "email": d.email,
                "street": d.street,
                "postal_code": d.postal_code,
                "city": d.city,
                "country": str(d.country.code or ""),
                "language": d.language,
                "newsletter": d.newsletter,
                "newsletter_consent_text": d.newsletter_consent_text,
                "newsletter_consent_at": moment(d.newsletter_consent_at),
                "created_at": moment(d.created_at),
                "mandates": [
                    {
                        "rum": m.rum,
                        "state": m.state,
                        "amount": str(m.amount),
                        "debit_day": m.debit_day,
                        "account_holder": m.account_holder,
                        "iban": m.iban_masked,
                        "bic": m.bic,
                        "signature_place": m.signature_place,
                        "signed_at": moment(m.signed_at),
                        "first_debit_on": moment(m.first_debit_on),
                        "cancelled_at": moment(m.cancelled_at),
                        "history": [
                            {
                                "event": e.kind,
                                "at": moment(e.at),
                                "effective_on": moment(e.effective_on),
                                "old_amount": str(e.old_amount) if e.old_amount else None,
                                "new_amount": str(e.new_amount) if e.new_amount else None,
                            }
                            for e in m.events.all()
                        ],
                        **_debits_export(m),
                    }
                    for m in d.mandates.all()
                ],
                **_receipts_export(d),
            }
            for d in donors
        ]
    }


# --- Debits and receipts ----------------------------------------------------------------

# A debit the bank received (whatever came of it): the 13 months run from the last one.
PRESENTED = ("sent", "rejected", "collected", "returned", "refunded")


def _debits_export(mandate) -> dict:
    return {
        "debits": [
            {
                "due_on": moment(d.due_on),
                "amount": str(d.amount),
                "status": d.status,
                "reason_code": d.reason_code,
                "collected_on": moment(d.collected_on),
            }
            for d in mandate.debits.order_by("due_on", "pk")
        ]
    }


def _receipts_export(donor) -> dict:
    return {
        "receipts": [
            {
                "number": r.number,
                "kind": r.kind,
                "year": r.year,
                "amount": str(r.amount),
                "issued_at": moment(r.issued_at),
                "cancelled_at": moment(r.cancelled_at),
            }
            for r in donor.receipts.order_by("year", "sequence")
        ]
    }


def mandate_last_debit_at(mandate):
    """The due date of the last debit of ``mandate`` presented to the bank (``None``
    before any)."""
    last = mandate.debits.filter(status__in=PRESENTED).order_by("-due_on").first()
    return last.due_on if last else None


def donor_last_receipt_at(donor):
    """When the last tax receipt of ``donor`` was issued (``None`` before any)."""
    return donor.receipts.order_by("-issued_at").values_list("issued_at", flat=True).first()


# --- When things go ---------------------------------------------------------------------


def mandate_end_at(mandate: Mandate, *, now):
    """The moment the 13 months of a mandate's bank data start: its last debit or its end,
    whichever comes later; ``None`` while the mandate may still be debited."""
    if mandate.state not in ENDED_STATES:
        return None
    last_event = mandate.events.order_by("-at").values_list("at", flat=True).first()
    ended = mandate.cancelled_at or last_event or mandate.updated_at or now
    last_debit = mandate_last_debit_at(mandate)
    if last_debit is not None:
        last_debit = _as_moment(last_debit)
        ended = max(ended, last_debit)
    return ended


def _as_moment(value):
    if isinstance(value, datetime):
        return value
    return timezone.make_aware(datetime.combine(value, time()))


def bank_data_until(mandate: Mandate, *, now):
    end = mandate_end_at(mandate, now=now)
    return None if end is None else BANK_DATA.after(end)


def donor_identity_until(donor: Donor, *, now):
    """Until when the donor's name and address must be kept; ``None`` while a mandate may
    still be debited (then they are needed anyway)."""
    keep = []
    for mandate in donor.mandates.all():
        until = bank_data_until(mandate, now=now)
        if until is None and mandate.state != Mandate.State.PENDING:
            return None
        if until is not None:
            keep.append(until)
    receipt = donor_last_receipt_at(donor)
    if receipt is not None:
        keep.append(TAX_RECORDS.after(_as_moment(receipt)))
    return max(keep) if keep else now


# --- Erasing ----------------------------------------------------------------------------


def mandate_bank_data_clear(mandate: Mandate) -> None:
    Mandate.objects.filter(pk=mandate.pk).update(
        iban="",
        iban_masked="",
        bic="",
        account_holder="",
        signature_place="",
        updated_at=timezone.now(),
    )
    MandateEvent.objects.filter(mandate=mandate).update(
        old_iban_masked="", new_iban_masked="", note=""
    )
    MandateAmendment.objects.filter(mandate=mandate).update(
        old_iban_masked="", old_bic="", new_iban_masked="", new_bic=""
    )
    # What each debit carried to the bank: the account goes with the mandate's.
    Debit.objects.filter(mandate=mandate).update(sent_iban="", sent_bic="", sent_amendment="")


def donor_anonymise(donor: Donor, *, now) -> None:
    Donor.objects.filter(pk=donor.pk).update(
        civility="",
        first_name="",
        last_name="",
        email="",
        street="",
        postal_code="",
        city="",
        search_text="",
        newsletter=False,
        newsletter_consent_text="",
        newsletter_consent_at=None,
        anonymised_at=now,
        updated_at=now,
    )
    Debit.objects.filter(mandate__donor=donor).update(sent_debtor_name="")


def _date(moment) -> str:
    return date_format(timezone.localtime(moment), "j F Y")


def _donor_erase(donor: Donor, *, now, result: Erasure) -> None:
    from donations.services import mandate_cancel

    result.ids.setdefault(DONOR_LABEL, []).append(donor.pk)
    counts = result.counts
    # A new address waiting for its confirmation goes too.
    EmailToken.objects.filter(
        purpose=EMAIL_CHANGE_PURPOSE, target_model="", target_id__startswith=f"{donor.pk}|"
    ).delete()
    pending = donor.mandates.filter(state=Mandate.State.PENDING)
    counts["pending_deleted"] = counts.get("pending_deleted", 0) + pending.count()
    pending.delete()
    for mandate in donor.mandates.exclude(state__in=ENDED_STATES):
        mandate_cancel(mandate=mandate, note="Effacement des données demandé")
        counts["cancelled"] = counts.get("cancelled", 0) + 1
        result.done.append(
            _("Mandat %(rum)s arrêté : plus aucun prélèvement.") % {"rum": mandate.rum}
        )
    if not donor.mandates.exists():
        donor.delete()
        counts["donors_deleted"] = counts.get("donors_deleted", 0) + 1
        result.done.append(_("Demande de don jamais confirmée effacée."))
        return
    Donor.objects.filter(pk=donor.pk).update(
        email="", newsletter=False, newsletter_consent_text="", newsletter_consent_at=None
    )
    search_text_refresh(Donor.objects.filter(pk=donor.pk))  # the email leaves the search too
    result.done.append(_("Adresse électronique et abonnement à la lettre effacés."))
    for mandate in donor.mandates.all():
        result.ids.setdefault(MANDATE_LABEL, []).append(mandate.pk)
        until = bank_data_until(mandate, now=now)
        if until is not None and until <= now:
            if mandate.iban_masked:
                mandate_bank_data_clear(mandate)
                counts["bank_data_cleared"] = counts.get("bank_data_cleared", 0) + 1
                result.done.append(
                    _("Mandat %(rum)s : IBAN, BIC, titulaire et lieu de signature effacés.")
                    % {"rum": mandate.rum}
                )
        elif until is not None:
            result.kept.append(
                Kept(
                    what=_("mandat %(rum)s : IBAN, BIC, titulaire et lieu de signature")
                    % {"rum": mandate.rum},
                    why=_(
                        "preuve du mandat si un prélèvement est contesté : 13 mois après le "
                        "dernier prélèvement ou la fin du mandat (Code monétaire et "
                        "financier, art. L. 133-24)"
                    ),
                    until=until.date(),
                )
            )
    until = donor_identity_until(donor, now=now)
    if until is not None and until <= now:
        donor_anonymise(donor, now=now)
        counts["donors_anonymised"] = counts.get("donors_anonymised", 0) + 1
        result.done.append(_("Nom et adresse postale effacés."))
    elif until is not None:
        receipt = donor_last_receipt_at(donor)
        result.kept.append(
            Kept(
                what=_("nom, adresse postale, et les prélèvements des reçus fiscaux"),
                why=(
                    _(
                        "reçus fiscaux : 6 ans après leur émission (Livre des procédures "
                        "fiscales, art. L. 102 E)"
                    )
                    if receipt is not None
                    else _("le mandat en porte le nom et l'adresse : même durée que lui")
                ),
                until=until.date(),
            )
        )


def _donors_erase(donors, *, now) -> Erasure:
    result = Erasure()
    for donor in donors.order_by("pk"):
        _donor_erase(donor, now=now, result=result)
    return result


erase, replay = erasure_by_rows(
    label=DONOR_LABEL,
    select=_donors,
    select_ids=lambda pks: Donor.objects.filter(pk__in=pks, anonymised_at__isnull=True),
    erase_rows=_donors_erase,
)


# --- Retention rules --------------------------------------------------------------------


def _expire_pdf_openings(now) -> int:
    from donations.models import MandatePdfAccess

    deleted, _per_model = MandatePdfAccess.objects.filter(at__lt=PDF_OPENINGS.before(now)).delete()
    return deleted


def _purge_pending(now) -> int:
    from donations.services import pending_mandates_purge

    return pending_mandates_purge(now=now)


def _expire_bank_data(now) -> int:
    count = 0
    ended = Mandate.objects.filter(state__in=ENDED_STATES).exclude(iban_masked="")
    for mandate in ended.iterator():
        until = bank_data_until(mandate, now=now)
        if until is not None and until <= now:
            mandate_bank_data_clear(mandate)
            count += 1
    return count


def _expire_donors(now) -> int:
    # Each receipt's copy of the name and address goes 6 years after it was issued (the
    # number, the year and the amount stay: the numbering has no gap).
    count = (
        Receipt.objects.filter(issued_at__lt=TAX_RECORDS.before(now))
        .exclude(donor_name="", donor_address="")
        .update(donor_name="", donor_address="")
    )
    still_running = Mandate.objects.exclude(state__in=ENDED_STATES).values("donor_id")
    candidates = (
        Donor.objects.filter(anonymised_at__isnull=True)
        .exclude(pk__in=still_running)
        .prefetch_related("mandates")
    )
    for donor in candidates.iterator(chunk_size=500):
        until = donor_identity_until(donor, now=now)
        if until is not None and until <= now:
            donor_anonymise(donor, now=now)
            count += 1
    return count


register(
    Declaration(
        app_label="donations",
        title=_("Dons mensuels"),
        holds=_(
            "Les donateurs inscrits avec cette adresse : civilité, prénom, nom, adresse "
            "électronique et postale, langue, lettre d'information ; leurs mandats SEPA "
            "(référence, montant, jour, titulaire, IBAN chiffré, BIC, lieu et date de "
            "signature, historique) ; leurs prélèvements et reçus fiscaux."
        ),
        permission="donations.view_donor",
        export=export,
        erase=erase,
        locate=locate,
        newsletter_withdraw=newsletter_withdraw,
        replay=replay,
        processings=(
            Processing(
                name=_("Dons mensuels par prélèvement SEPA"),
                purposes=_(
                    "Recevoir et gérer les dons mensuels (mandat, prélèvements, changements "
                    "demandés par le donateur) ; émettre les reçus fiscaux."
                ),
                legal_basis=_(
                    "Exécution du mandat signé par le donateur (RGPD art. 6.1.b) ; obligations "
                    "légales pour les reçus fiscaux et leur conservation (art. 6.1.c : CGI "
                    "art. 200 et 222 bis, LPF art. L. 102 E)."
                ),
                subjects=_("Les donateurs."),
                categories=_(
                    "Identité, adresses électronique et postale, coordonnées bancaires (IBAN "
                    "chiffré, BIC), montants et dates des dons, reçus fiscaux."
                ),
                recipients=_(
                    "L'équipe Dons de l'association ; la banque de l'association pour les "
                    "prélèvements ; l'administration fiscale sur demande."
                ),
                processors=("host", "email", "bank"),
            ),
            Processing(
                name=_("Lettre d'information (donateurs)"),
                purposes=_("Informer des actions de l'association."),
                legal_basis=_(
                    "Consentement (RGPD art. 6.1.a), case séparée et non cochée ; le texte "
                    "affiché et la date sont enregistrés ; retrait en un clic."
                ),
                subjects=_("Les donateurs qui l'ont demandé."),
                categories=_("Prénom, adresse électronique, langue."),
                recipients=_("L'équipe Dons."),
                processors=("host", "email"),
            ),
        ),
        rules=(
            Rule(
                key="donations.pending",
                data=_("Demandes de don jamais confirmées (avec leur IBAN)"),
                period=PENDING,
                start=_("la demande"),
                action=_("effacées"),
                reason=_("Minimisation (RGPD art. 5.1.c et e) : aucun mandat n'a été signé."),
                enforce=_purge_pending,
            ),
            Rule(
                key="donations.bank-data",
                data=_("IBAN, BIC, titulaire du compte et lieu de signature d'un mandat"),
                period=BANK_DATA,
                start=_("le dernier prélèvement ou la fin du mandat, le plus tardif des deux"),
                action=_("effacés ; la référence, les montants et les dates restent"),
                reason=_(
                    "Un prélèvement non autorisé peut être contesté pendant 13 mois (Code "
                    "monétaire et financier, art. L. 133-24) : le mandat en est la preuve."
                ),
                enforce=_expire_bank_data,
            ),
            Rule(
                key="donations.tax-records",
                data=_("Nom et adresse postale du donateur, et les prélèvements d'un reçu fiscal"),
                period=TAX_RECORDS,
                start=_(
                    "l'émission du dernier reçu fiscal (sans reçu : avec les données "
                    "bancaires du dernier mandat)"
                ),
                action=_("anonymisés ; les dons par mois restent dans les statistiques"),
                reason=_(
                    "Les pièces qui justifient les reçus fiscaux sont gardées 6 ans (Livre "
                    "des procédures fiscales, art. L. 102 E)."
                ),
                enforce=_expire_donors,
            ),
            Rule(
                key="donations.pdf-openings",
                data=_(
                    "Consultations des mandats signés avec l'IBAN complet (identifiant de la "
                    "personne de l'équipe, référence du mandat, date)"
                ),
                period=PDF_OPENINGS,
                start=_("la consultation"),
                action=_("effacées"),
                reason=_("Sécurité et traçabilité (RGPD art. 32), recommandation de la CNIL."),
                enforce=_expire_pdf_openings,
            ),
        ),
    )
)
