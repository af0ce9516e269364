"""What the site itself keeps about people, beyond each app: the processors, the journal
of requests, sessions, the task queue, the admin's history, login lockouts, logs.

Rules for tables of optional apps (django-axes' lockouts, revision history) apply when
the app is installed; they read its models by name, never by import.
"""

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from core.personal_data import (
    Declaration,
    Erasure,
    Period,
    Processing,
    Processor,
    Rule,
    erasure_by_rows,
    register,
    register_processor,
)

SESSIONS = Period(days=14)
TASK_ROWS = Period(days=30)
ADMIN_HISTORY = Period(years=1)
LOCKOUTS = Period(months=6)
CONTENT_HISTORY = Period(years=3)
REQUEST_JOURNAL = Period(years=3)
LOGS = Period(months=6)
TOKENS = Period()  # purged as soon as spent or expired

register_processor(
    Processor(
        key="host",
        role=_("Hébergeur du site et de sa base de données"),
        settings=("HOST_NAME", "HOST_ADDRESS"),
        handles=_("toutes les données du site"),
    ),
)
register_processor(
    Processor(
        key="email",
        role=_("Prestataire d'envoi des courriels"),
        settings=("EMAIL_PROVIDER_NAME", "EMAIL_HOST"),
        handles=_("adresse électronique, prénom et contenu des courriels envoyés"),
    ),
)
register_processor(
    Processor(
        key="bank",
        role=_("Banque de l'association (prélèvements SEPA)"),
        settings=("BANK_NAME",),
        handles=_("nom du titulaire, IBAN, BIC, référence du mandat, montants"),
    ),
)


def _delete_older(model_label: str, field: str, cutoff, **filters) -> int:
    try:
        model = apps.get_model(model_label)
    except LookupError:
        return 0
    deleted, _per_model = model.objects.filter(**{f"{field}__lt": cutoff}, **filters).delete()
    return deleted


def _expire_sessions(now) -> int:
    return _delete_older("sessions.Session", "expire_date", now)


def _expire_task_rows(now) -> int:
    # Finished tasks only (their arguments are ids, but a failed one keeps its traceback).
    return _delete_older(
        "django_tasks_db.DBTaskResult",
        "finished_at",
        TASK_ROWS.before(now),
        status__in=["SUCCESSFUL", "FAILED"],
    )


def _expire_admin_history(now) -> int:
    return _delete_older("admin.LogEntry", "action_time", ADMIN_HISTORY.before(now))


def _expire_lockouts(now) -> int:
    if not apps.is_installed("axes"):
        return 0
    cutoff = LOCKOUTS.before(now)
    return (
        _delete_older("axes.AccessAttempt", "attempt_time", cutoff)
        + _delete_older("axes.AccessFailureLog", "attempt_time", cutoff)
        + _delete_older("axes.AccessLog", "attempt_time", cutoff)
    )


def _expire_content_history(now) -> int:
    cutoff = CONTENT_HISTORY.before(now)
    count = 0
    if apps.is_installed("reversion"):
        count += _delete_older("reversion.Revision", "date_created", cutoff)
    for model in apps.get_models():
        # django-simple-history's tables: one per tracked model, named Historical<Model>.
        if model.__name__.startswith("Historical") and hasattr(model, "history_date"):
            deleted, _per_model = model.objects.filter(history_date__lt=cutoff).delete()
            count += deleted
    return count


def _expire_journal(now) -> int:
    return _delete_older("core.PrivacyRequest", "at", REQUEST_JOURNAL.before(now))


def _expire_tokens(now) -> int:
    from core.tokens import tokens_purge

    return tokens_purge(now=now)


def _tokens_of(email: str):
    """The pending links that name the address: the personal space's (the address alone)
    and a new address waiting for its confirmation (``<row id>|<address>``)."""
    from django.db.models import Q

    from core.models import EmailToken

    email = email.strip()
    return EmailToken.objects.filter(target_model="").filter(
        Q(target_id__iexact=email) | Q(target_id__iendswith=f"|{email}")
    )


def _tokens_by_ids(pks):
    from core.models import EmailToken

    return EmailToken.objects.filter(pk__in=pks)


def _tokens_erase(rows, *, now) -> Erasure:
    deleted, _per_model = rows.delete()
    result = Erasure()
    if deleted:
        result.counts["tokens"] = deleted
    return result


erase, replay = erasure_by_rows(
    label="core.emailtoken",
    select=_tokens_of,
    select_ids=_tokens_by_ids,
    erase_rows=_tokens_erase,
)


register(
    Declaration(
        app_label="core",
        title=_("Site"),
        holds=_(
            "Les liens de l'espace personnel demandés pour une adresse, jusqu'à leur "
            "utilisation ou leur expiration ; rien d'autre n'est rattaché à une adresse "
            "électronique : les sessions, les tâches d'envoi (identifiants seulement) et les "
            "journaux sont effacés selon les règles ci-dessous."
        ),
        permission="core.view_privacyrequest",
        export=lambda email: {},
        erase=erase,
        replay=replay,
        processings=(
            Processing(
                name=_("Sécurité du site et administration"),
                purposes=_(
                    "Protéger le site et ses comptes (verrouillage après des échecs de "
                    "connexion, journaux), tracer les actions de l'équipe, répondre aux "
                    "demandes sur les données personnelles."
                ),
                legal_basis=_(
                    "Intérêt légitime (RGPD art. 6.1.f) et obligation de sécurité (art. 32) ; "
                    "le journal des demandes, obligation de rendre compte (art. 5.2)."
                ),
                subjects=_("Les membres de l'équipe ; les visiteurs (adresses IP des journaux)."),
                categories=_(
                    "Identifiant de compte, adresse IP, date et nature des actions ; pour les "
                    "demandes : qui a agi, quand, ce qui a été fait, jamais les données."
                ),
                recipients=_("Les administrateurs du site."),
                processors=("host",),
            ),
        ),
        rules=(
            Rule(
                key="core.sessions",
                data=_("Sessions (comptes de l'équipe, espace personnel)"),
                period=SESSIONS,
                start=_("leur expiration"),
                action=_("effacées"),
                reason=_("Minimisation : une session expirée ne sert plus."),
                enforce=_expire_sessions,
            ),
            Rule(
                key="core.tokens",
                data=_(
                    "Liens envoyés par courriel (empreinte du jeton ; l'adresse pour le lien "
                    "de l'espace personnel)"
                ),
                period=TOKENS,
                start=_("leur utilisation ou leur expiration"),
                action=_("effacés"),
                reason=_("Minimisation : un lien utilisé ou expiré ne sert plus."),
                enforce=_expire_tokens,
            ),
            Rule(
                key="core.task-rows",
                data=_("Tâches d'envoi terminées (identifiants, erreurs)"),
                period=TASK_ROWS,
                start=_("leur fin"),
                action=_("effacées"),
                reason=_("Le temps de diagnostiquer un envoi en échec, pas davantage."),
                enforce=_expire_task_rows,
            ),
            Rule(
                key="core.admin-history",
                data=_("Historique des actions de l'équipe dans l'administration"),
                period=ADMIN_HISTORY,
                start=_("l'action"),
                action=_("effacé"),
                reason=_("Sécurité et traçabilité (RGPD art. 32), recommandation de la CNIL."),
                enforce=_expire_admin_history,
            ),
            Rule(
                key="core.lockouts",
                data=_("Tentatives de connexion et verrouillages (identifiant, adresse IP)"),
                period=LOCKOUTS,
                start=_("la tentative"),
                action=_("effacés"),
                reason=_("Sécurité des comptes (RGPD art. 32), recommandation de la CNIL."),
                enforce=_expire_lockouts,
            ),
            Rule(
                key="core.content-history",
                data=_(
                    "Historique des versions des contenus (victoires, pétitions), qui ne contient "
                    "aucune donnée de signataire ou de donateur"
                ),
                period=CONTENT_HISTORY,
                start=_("la version"),
                action=_("effacé"),
                reason=_("Revenir sur une erreur éditoriale ; au-delà, inutile."),
                enforce=_expire_content_history,
            ),
            Rule(
                key="core.request-journal",
                data=_("Journal des demandes sur les données personnelles"),
                period=REQUEST_JOURNAL,
                start=_("la demande"),
                action=_("effacé"),
                reason=_(
                    "Rendre compte des demandes traitées (RGPD art. 5.2) et rejouer les "
                    "effacements après la restauration d'une sauvegarde."
                ),
                enforce=_expire_journal,
            ),
            Rule(
                key="core.logs",
                data=_(
                    "Journaux du serveur (adresses IP, pages demandées ; courriels et IBAN masqués)"
                ),
                period=LOGS,
                start=_("leur écriture"),
                action=_("effacés par la rotation des journaux de l'hébergement"),
                reason=_("Sécurité (RGPD art. 32), recommandation de la CNIL (6 mois à 1 an)."),
                outside=_(
                    "La rotation des journaux de la machine (journald MaxRetentionSec=6month, "
                    "ou logrotate) : voir docs/production.md."
                ),
            ),
        ),
    )
)
