"""What the petitions hold about a person, how long, and why (found by ``core.personal_data``).

The periods here are the ones the notice beside the form prints and the ones
``manage.py apply_retention`` enforces.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

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
from petitions.models import Signature

UNCONFIRMED = Period(days=7)
SIGNER_CONTACT = Period(years=3)
EXPORT_RECORDS = Period(years=3)

SIGNATURE_LABEL = "petitions.signature"


def export(email: str) -> dict:
    signatures = (
        Signature.objects.for_email(email).identified().select_related("petition").order_by("pk")
    )
    return {
        "signatures": [
            {
                "petition": s.petition.title,
                "petition_url": s.petition.get_absolute_url(),
                "first_name": s.first_name,
                "last_name": s.last_name,
                "email": s.email,
                "country": str(s.country.code or ""),
                "postal_code": s.postal_code,
                "language": s.language,
                "newsletter": s.newsletter,
                "newsletter_consent_text": s.newsletter_consent_text,
                "newsletter_consent_at": moment(s.newsletter_consent_at),
                "share_name": s.share_name,
                "notify_outcome": s.notify_outcome,
                "signed_at": moment(s.created_at),
                "confirmed_at": moment(s.confirmed_at),
                "won_notified_at": moment(s.won_notified_at),
            }
            for s in signatures
        ]
    }


def _erase_rows(rows, *, now) -> Erasure:
    from petitions.services import signatures_anonymise

    rows = list(rows.order_by("pk").values_list("pk", "confirmed_at"))
    pks = [pk for pk, _confirmed in rows]
    confirmed = sum(1 for _pk, at in rows if at)
    signatures_anonymise(signatures=Signature.objects.filter(pk__in=pks), now=now)
    result = Erasure(
        ids={SIGNATURE_LABEL: pks} if pks else {},
        counts={"anonymised": confirmed, "deleted": len(pks) - confirmed},
    )
    if confirmed:
        result.done.append(
            ngettext(
                "%(n)d signature confirmée anonymisée.",
                "%(n)d signatures confirmées anonymisées.",
                confirmed,
            )
            % {"n": confirmed}
        )
        result.kept.append(
            Kept(
                what=_(
                    "pour chaque signature anonymisée : la pétition, l'heure de confirmation "
                    "et la langue, sans nom ni adresse"
                ),
                why=_(
                    "le nombre public de signatures reste juste (ce n'est plus une donnée "
                    "personnelle)"
                ),
            )
        )
    if len(pks) - confirmed:
        erased = len(pks) - confirmed
        result.done.append(
            ngettext(
                "%(n)d signature non confirmée effacée.",
                "%(n)d signatures non confirmées effacées.",
                erased,
            )
            % {"n": erased}
        )
    return result


def _withdraw_rows(rows) -> None:
    from petitions.services import signatures_erase

    signatures_erase(signatures=rows)


erase, replay = erasure_by_rows(
    label=SIGNATURE_LABEL,
    select=Signature.objects.for_email,
    select_ids=lambda pks: Signature.objects.filter(pk__in=pks),
    erase_rows=lambda rows, *, now: _erase_rows(rows.identified(), now=now),
    withdraw_rows=_withdraw_rows,
)


def locate(email: str):
    """A signature still holding ``email`` (the personal space's link goes to it)."""
    return Signature.objects.for_email(email).identified().order_by("-pk").first()


def newsletter_withdraw(email: str) -> int:
    """One-click unsubscribe: the newsletter consent of every signature of the address
    goes (the text and the moment it was given stay, as the record of past consent)."""
    return (
        Signature.objects.for_email(email)
        .identified()
        .filter(newsletter=True)
        .update(newsletter=False)
    )


def _purge_unconfirmed(now) -> int:
    from petitions.services import signatures_purge_unconfirmed

    return signatures_purge_unconfirmed(days=UNCONFIRMED.days, now=now)


def _expire_signers(now) -> int:
    from petitions.services import signers_contact_expire

    return signers_contact_expire(cutoff=SIGNER_CONTACT.before(now), now=now)


def _expire_export_records(now) -> int:
    from petitions.models import SignatureExport

    deleted, _per_model = SignatureExport.objects.filter(at__lt=EXPORT_RECORDS.before(now)).delete()
    return deleted


register(
    Declaration(
        app_label="petitions",
        title=_("Pétitions"),
        holds=_(
            "Les signatures données avec cette adresse : prénom, nom, adresse électronique, "
            "pays, code postal (facultatif), langue, choix (lettre d'information, issue de la "
            "pétition, nom remis aux destinataires), dates de signature et de confirmation, "
            "une empreinte salée du réseau d'origine (jamais l'adresse IP)."
        ),
        permission="petitions.view_signature",
        export=export,
        erase=erase,
        locate=locate,
        newsletter_withdraw=newsletter_withdraw,
        replay=replay,
        processings=(
            Processing(
                name=_("Signature des pétitions"),
                purposes=_(
                    "Compter les signatures et publier leur nombre (par pays au besoin) ; "
                    "remettre les noms aux destinataires seulement pour les signataires qui "
                    "l'ont accepté pour cette pétition ; prévenir de l'issue ceux qui l'ont "
                    "demandé ; empêcher les signatures en double et les abus."
                ),
                legal_basis=_(
                    "Consentement explicite (RGPD art. 6.1.a et 9.2.a : une signature peut "
                    "révéler des opinions) ; la remise des noms, sur un consentement distinct "
                    "et propre à chaque pétition."
                ),
                subjects=_("Les signataires des pétitions."),
                categories=_(
                    "Identité (prénom, nom), adresse électronique, pays, code postal, langue, "
                    "choix exprimés, dates, empreinte salée du réseau."
                ),
                recipients=_(
                    "L'équipe Mobilisation de l'association. Hors de l'association, seulement "
                    "des nombres, et les noms des signataires qui y ont consenti pour cette "
                    "pétition."
                ),
                processors=("host", "email"),
            ),
            Processing(
                name=_("Lettre d'information (signataires)"),
                purposes=_("Informer des actions de l'association."),
                legal_basis=_(
                    "Consentement (RGPD art. 6.1.a), case séparée et non cochée ; le texte "
                    "affiché et la date sont enregistrés ; retrait en un clic."
                ),
                subjects=_("Les signataires qui l'ont demandé."),
                categories=_("Prénom, adresse électronique, langue."),
                recipients=_("L'équipe Mobilisation."),
                processors=("host", "email"),
            ),
        ),
        rules=(
            Rule(
                key="petitions.unconfirmed",
                data=_("Signatures non confirmées"),
                period=UNCONFIRMED,
                start=_("la signature"),
                action=_("effacées"),
                reason=_(
                    "Minimisation (RGPD art. 5.1.c et e) : une signature que personne n'a "
                    "confirmée n'est pas comptée et ne sert à rien."
                ),
                enforce=_purge_unconfirmed,
            ),
            Rule(
                key="petitions.signer-contact",
                data=_("Coordonnées des signataires (nom, adresse électronique, code postal)"),
                period=SIGNER_CONTACT,
                start=_("la dernière action du signataire (signature ou confirmation)"),
                action=_("anonymisées : la pétition, l'heure de confirmation et la langue restent"),
                reason=_(
                    "Limitation de la conservation (RGPD art. 5.1.e), durée recommandée par "
                    "la CNIL pour les contacts des associations ; le nombre public reste juste."
                ),
                enforce=_expire_signers,
            ),
            Rule(
                key="petitions.export-records",
                data=_("Journal des exports de signatures (qui, quand, quelle pétition, combien)"),
                period=EXPORT_RECORDS,
                start=_("l'export"),
                action=_("effacé"),
                reason=_("Preuve de ce qui est sorti et pourquoi (RGPD art. 5.2, responsabilité)."),
                enforce=_expire_export_records,
            ),
        ),
    )
)
