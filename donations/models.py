from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.formats import format_money
from core.models import RecordedModel, TimeStampedModel
from core.search import FoldedSearchModel
from donations import states, tax
from donations.fields import EncryptedTextField

DEBIT_DAYS = [(5, _("le 5 du mois")), (15, _("le 15 du mois"))]

RUM_HELP = _(
    "Référence unique du mandat : le numéro qui désigne ce mandat auprès de la banque du "
    "donateur. Elle figure sur chaque prélèvement et sur le relevé du donateur, ne change "
    "jamais (même quand il change de compte) et n'est jamais donnée à un autre mandat."
)
ICS_HELP = _(
    "Identifiant créancier SEPA (ICS) : le numéro que la Banque de France a attribué à "
    "l'association pour prélever. Il figure sur chaque mandat et dans chaque fichier "
    "bancaire ; il se règle sur le serveur (variable SEPA_CREDITOR_ID), pas ici."
)


def sepa_creditor() -> dict:
    """The creditor named on mandates, from the settings; ``is_demo`` with the demo ICS."""
    return {
        "name": settings.SEPA_CREDITOR_NAME,
        "address": settings.SEPA_CREDITOR_ADDRESS,
        "id": settings.SEPA_CREDITOR_ID,
        "is_demo": settings.SEPA_CREDITOR_ID == settings.SEPA_CREDITOR_ID_DEMO,
    }


class GiftSettings(TimeStampedModel):
    """The settings staff can change: one row, created on first use."""

    tax_rate = models.DecimalField(
        _("taux de réduction d'impôt"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.66"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text=_(
            "Part du don déduite de l'impôt sur le revenu, entre 0 et 1 : 0,66 pour 66 % "
            "(article 200 du Code général des impôts)."
        ),
    )
    free_amount_min = models.PositiveIntegerField(
        _("montant libre minimum (€ par mois)"), default=5, validators=[MinValueValidator(1)]
    )
    free_amount_max = models.PositiveIntegerField(
        _("montant libre maximum (€ par mois)"), default=1000, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("réglages des dons")
        verbose_name_plural = _("réglages des dons")
        constraints = [
            models.CheckConstraint(
                condition=Q(free_amount_min__lte=models.F("free_amount_max")),
                name="giftsettings_min_below_max",
            ),
        ]

    def __str__(self):
        return str(_("Réglages des dons"))

    def clean(self):
        if (
            self.free_amount_min is not None
            and self.free_amount_max is not None
            and self.free_amount_min > self.free_amount_max
        ):
            raise ValidationError(
                {"free_amount_max": _("Le maximum doit être supérieur ou égal au minimum.")}
            )

    @classmethod
    def load(cls) -> "GiftSettings":
        obj = cls.objects.order_by("pk").first()
        if obj is None:
            obj, _created = cls.objects.get_or_create(pk=1)
        return obj

    @property
    def tax_rate_percent(self) -> int | Decimal:
        percent = (self.tax_rate * 100).normalize()
        return int(percent) if percent == percent.to_integral_value() else percent


class TierQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True).order_by("order", "amount")


class Tier(TimeStampedModel):
    amount = models.DecimalField(
        _("montant mensuel (€)"),
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("1"))],
    )
    description = models.CharField(
        _("ce que ce don permet"),
        max_length=200,
        blank=True,
        help_text=_("Une phrase courte, facultative : « Finance une heure d'enquête ». "),
    )
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    is_default = models.BooleanField(
        _("montant proposé par défaut"),
        default=False,
        help_text=_("Un seul palier peut être proposé par défaut."),
    )
    is_active = models.BooleanField(_("affiché"), default=True)

    objects = TierQuerySet.as_manager()

    class Meta:
        verbose_name = _("palier")
        verbose_name_plural = _("paliers")
        ordering = ["order", "amount"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="tier_one_default"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="tier_amount_positive"),
        ]

    def __str__(self):
        return format_money(self.amount, get_language() or "fr")


class Donor(FoldedSearchModel, TimeStampedModel):
    search_sources = ("first_name", "last_name", "email", "postal_code", "city")
    search_countries = ("country",)
    # What the donor tells us on the gift form (the form and the admin both use it).
    CONTACT_FIELDS = (
        "civility",
        "first_name",
        "last_name",
        "email",
        "street",
        "postal_code",
        "city",
        "country",
        "newsletter",
    )

    """The person who gives; the tax receipt needs the full postal address."""

    class Civility(models.TextChoices):
        NONE = "", _("(non précisée)")
        MADAME = "mme", _("Madame")
        MONSIEUR = "m", _("Monsieur")

    civility = models.CharField(
        _("civilité"), max_length=3, choices=Civility.choices, blank=True, default=""
    )
    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100)
    email = models.EmailField(_("adresse e-mail"))
    street = models.CharField(_("adresse"), max_length=200)
    postal_code = models.CharField(_("code postal"), max_length=20)
    city = models.CharField(_("ville"), max_length=100)
    country = CountryField(_("pays"), default="FR")
    newsletter = models.BooleanField(_("accepte la lettre d'information"), default=False)
    language = models.CharField(_("langue"), max_length=5, choices=settings.LANGUAGES, default="fr")
    newsletter_consent_text = models.TextField(
        _("texte de consentement à la lettre affiché"), blank=True
    )
    newsletter_consent_at = models.DateTimeField(
        _("consentement à la lettre donné le"), null=True, blank=True
    )
    # Set when the donor's name, address and email are gone (erasure or retention); the
    # row stays so the mandates and the gifts per month stay in the statistics.
    anonymised_at = models.DateTimeField(_("anonymisé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("donateur")
        verbose_name_plural = _("donateurs")
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["email"])]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"


class MandateQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(state=Mandate.State.PENDING)

    def active(self):
        return self.filter(state=Mandate.State.ACTIVE)

    def debited(self):
        """The mandates debits are sent for (``states.DEBITED``)."""
        return self.filter(state__in=states.DEBITED)

    def with_donor(self):
        return self.select_related("donor")


class Mandate(TimeStampedModel):
    """A recurrent SEPA direct debit mandate, signed by confirming it from the email."""

    class State(models.TextChoices):
        # The states and their moves are defined in ``donations.states``.
        PENDING = states.PENDING, _("en attente de confirmation")
        ACTIVE = states.ACTIVE, _("actif")
        PAUSED = states.PAUSED, _("en pause")
        SUSPENDED = states.SUSPENDED, _("suspendu")
        LAPSED = states.LAPSED, _("caduc (36 mois sans prélèvement)")
        CANCELLED = states.CANCELLED, _("annulé")

    class SequenceType(models.TextChoices):
        FIRST = "FRST", _("premier prélèvement (FRST)")
        RECURRENT = "RCUR", _("prélèvement récurrent (RCUR)")

    donor = models.ForeignKey(
        Donor, on_delete=models.PROTECT, related_name="mandates", verbose_name=_("donateur")
    )
    rum = models.CharField(
        _("référence unique du mandat (RUM)"),
        max_length=35,
        unique=True,
        editable=False,
        help_text=RUM_HELP,
    )
    state = models.CharField(
        _("état"), max_length=10, choices=State.choices, default=State.PENDING, db_index=True
    )
    # The terms in force today, copied from the ``MandateTerms`` rows by the services (for
    # lists, filters and emails); the rows are the record, read with ``terms_on(date)``.
    amount = models.DecimalField(_("montant mensuel (€)"), max_digits=7, decimal_places=2)
    debit_day = models.PositiveSmallIntegerField(_("jour de prélèvement"), choices=DEBIT_DAYS)
    account_holder = models.CharField(_("titulaire du compte"), max_length=140)
    iban = EncryptedTextField(_("IBAN"))
    iban_masked = models.CharField(_("IBAN"), max_length=50, editable=False)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    sequence_type = models.CharField(
        _("type de séquence"),
        max_length=4,
        choices=SequenceType.choices,
        default=SequenceType.FIRST,
        help_text=_(
            "Le code que la banque lit sur le prochain prélèvement : FRST (de l'anglais "
            "« first ») pour le premier prélèvement d'un mandat, RCUR (« recurrent ») pour les "
            "suivants. Il passe de lui-même à RCUR dès que le premier prélèvement part dans un "
            "fichier bancaire, et revient à FRST si la banque rejette ce premier prélèvement : "
            "rien à changer à la main."
        ),
    )
    signature_place = models.CharField(_("lieu de signature"), max_length=100, blank=True)
    signed_at = models.DateTimeField(_("signé le"), null=True, blank=True)
    first_debit_on = models.DateField(_("premier prélèvement le"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annulé le"), null=True, blank=True)
    paused_until = models.DateField(
        _("en pause jusqu'au"),
        null=True,
        blank=True,
        help_text=_("Les prélèvements reprennent d'eux-mêmes ce jour-là."),
    )
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, editable=False)

    objects = MandateQuerySet.as_manager()

    class Meta:
        verbose_name = _("mandat")
        verbose_name_plural = _("mandats")
        ordering = ["-created_at"]
        permissions = [("view_mandate_pdf", _("Peut télécharger le mandat signé (PDF)"))]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="mandate_amount_positive"),
        ]

    def __str__(self):
        return self.rum

    @property
    def confirmed_at(self):
        """When the donor confirmed (signed) the mandate; ``None`` while pending."""
        return self.signed_at

    @property
    def is_demo_creditor(self) -> bool:
        return settings.SEPA_CREDITOR_ID == settings.SEPA_CREDITOR_ID_DEMO

    def save(self, *args, **kwargs):
        """A new mandate gets its first ``MandateTerms`` row: every mandate has one."""
        adding = self._state.adding
        super().save(*args, **kwargs)
        if adding:
            MandateTerms.objects.create(
                mandate=self,
                amount=self.amount,
                debit_day=self.debit_day,
                effective_from=timezone.localdate(self.signed_at or self.created_at),
            )

    def terms_on(self, day: date) -> "MandateTerms":
        """The terms (amount, debit day) in force on ``day``: the latest row that took
        effect on or before it; the first terms for a day before the mandate existed."""
        rows = sorted(self.terms.all(), key=lambda row: row.effective_from)
        in_force = [row for row in rows if row.effective_from <= day]
        return in_force[-1] if in_force else rows[0]

    def terms_upcoming(self, today: date) -> list["MandateTerms"]:
        """The terms asked for that have not taken effect yet, soonest first."""
        return sorted(
            (row for row in self.terms.all() if row.effective_from > today),
            key=lambda row: row.effective_from,
        )

    def can_move(self, state: str, actor: str) -> bool:
        return states.can_move(self.state, state, actor)

    def net_cost(self, rate: Decimal) -> Decimal:
        return tax.net_cost(self.amount, rate)


class MandateTerms(RecordedModel):
    """The amount and debit day of a mandate from a date on: one row per change, never
    edited once in force. The first row is written with the mandate; a change asked for
    takes effect 14 days later (pre-notification). Each debit copies the terms in force
    on its date (``Mandate.terms_on``)."""

    mandate = models.ForeignKey(
        Mandate, on_delete=models.CASCADE, related_name="terms", verbose_name=_("mandat")
    )
    amount = models.DecimalField(_("montant mensuel (€)"), max_digits=7, decimal_places=2)
    debit_day = models.PositiveSmallIntegerField(_("jour de prélèvement"), choices=DEBIT_DAYS)
    effective_from = models.DateField(_("en vigueur à partir du"))

    class Meta:
        verbose_name = _("conditions du mandat")
        verbose_name_plural = _("conditions du mandat")
        ordering = ["mandate", "effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["mandate", "effective_from"], name="mandateterms_one_per_day"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="mandateterms_amount_positive"),
        ]

    def __str__(self):
        return f"{self.mandate} · {self.effective_from:%Y-%m-%d}"


class MandateAmendmentQuerySet(models.QuerySet):
    def unsent(self):
        """The amendments no bank file has carried yet."""
        return self.filter(sent_on__isnull=True)


class MandateAmendment(RecordedModel):
    """A change of the debtor's bank account on a signed mandate (same RUM): the next debit
    carries it to the bank (pain.008 ``AmendmentInformationDetails``: the original account,
    or ``SMNDA`` when the bank changed). The old IBAN is kept encrypted for that."""

    mandate = models.ForeignKey(
        Mandate, on_delete=models.CASCADE, related_name="amendments", verbose_name=_("mandat")
    )
    changed_on = models.DateField(_("changé le"))
    old_iban = EncryptedTextField(_("ancien IBAN"))
    old_iban_masked = models.CharField(_("ancien IBAN"), max_length=50, editable=False)
    old_bic = models.CharField(_("ancien BIC"), max_length=11, blank=True)
    new_iban_masked = models.CharField(_("nouvel IBAN"), max_length=50, editable=False)
    new_bic = models.CharField(_("nouveau BIC"), max_length=11, blank=True)
    other_bank = models.BooleanField(
        _("autre banque"),
        default=False,
        help_text=_("Le nouveau compte est dans une autre banque (code SMNDA pour la banque)."),
    )
    sent_on = models.DateField(
        _("transmis à la banque le"),
        null=True,
        blank=True,
        help_text=_("Date du fichier de prélèvements qui a porté ce changement à la banque."),
    )

    objects = MandateAmendmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("changement de compte (amendement)")
        verbose_name_plural = _("changements de compte (amendements)")
        ordering = ["mandate", "changed_on", "pk"]

    def __str__(self):
        return f"{self.mandate} · {self.old_iban_masked} → {self.new_iban_masked}"


class MandateReference(models.Model):
    """Every mandate reference (RUM) ever given. Kept when its mandate is deleted (a
    pending one purged after 7 days, or erased by staff), so that no reference is ever
    given twice: the SEPA rules forbid reusing one."""

    rum = models.CharField(
        _("référence unique du mandat (RUM)"), max_length=35, unique=True, help_text=RUM_HELP
    )
    issued_at = models.DateTimeField(_("attribuée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("référence de mandat attribuée")
        verbose_name_plural = _("références de mandat attribuées")
        ordering = ["issued_at", "pk"]

    def __str__(self):
        return self.rum


class MandateEvent(models.Model):
    """The history of a mandate: every change, who made it, when it takes effect."""

    class Kind(models.TextChoices):
        CREATED = "created", _("créé")
        CONFIRMED = "confirmed", _("confirmé par le donateur")
        CHANGED = "changed", _("montant ou jour modifié")
        APPLIED = "applied", _("modification appliquée")
        BANK_CHANGED = "bank_changed", _("changement de compte bancaire (amendement)")
        PAUSED = "paused", _("mis en pause")
        RESUMED = "resumed", _("réactivé")
        SUSPENDED = "suspended", _("suspendu")
        LAPSED = "lapsed", _("devenu caduc")
        CANCELLED = "cancelled", _("annulé")

    class Actor(models.TextChoices):
        DONOR = states.DONOR, _("le donateur")
        STAFF = states.STAFF, _("l'équipe")
        RULE = states.RULE, _("une règle automatique")

    mandate = models.ForeignKey(
        Mandate, on_delete=models.CASCADE, related_name="events", verbose_name=_("mandat")
    )
    kind = models.CharField(_("événement"), max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("le"), auto_now_add=True)
    effective_on = models.DateField(_("prend effet le"), null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("par"),
    )
    old_amount = models.DecimalField(
        _("ancien montant"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    new_amount = models.DecimalField(
        _("nouveau montant"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    old_debit_day = models.PositiveSmallIntegerField(_("ancien jour"), null=True, blank=True)
    new_debit_day = models.PositiveSmallIntegerField(_("nouveau jour"), null=True, blank=True)
    old_iban_masked = models.CharField(_("ancien IBAN"), max_length=50, blank=True)
    new_iban_masked = models.CharField(_("nouvel IBAN"), max_length=50, blank=True)
    old_state = models.CharField(
        _("ancien état"), max_length=10, choices=Mandate.State.choices, blank=True
    )
    new_state = models.CharField(
        _("nouvel état"), max_length=10, choices=Mandate.State.choices, blank=True
    )
    actor = models.CharField(
        _("à l'initiative de"), max_length=10, choices=Actor.choices, blank=True
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("historique du mandat")
        verbose_name_plural = _("historique du mandat")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.mandate} · {self.get_kind_display()}"


class DebitQuerySet(models.QuerySet):
    def scheduled(self):
        return self.filter(status=Debit.Status.SCHEDULED)

    def sent(self):
        """Debits a bank file has carried, whatever their outcome."""
        return self.exclude(batch=None)

    def collected(self):
        """Money received and kept: collected, neither returned nor refunded."""
        return self.filter(status=Debit.Status.COLLECTED)

    def failed(self):
        return self.filter(status__in=Debit.FAILED)

    def in_year(self, year: int):
        """Debits collected in ``year`` (the gift year of a tax receipt)."""
        return self.filter(collected_on__year=year)


class Debit(TimeStampedModel):
    """One monthly debit of a mandate: scheduled, sent to the bank in a batch, then
    collected or failed. Its amount is copied from the terms in force when it is scheduled;
    what the bank received is kept as it was sent (the ``sent_*`` fields, set with the
    batch and never changed after)."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("programmé")
        SENT = "sent", _("dans un fichier bancaire")
        REJECTED = "rejected", _("rejeté")
        COLLECTED = "collected", _("encaissé")
        RETURNED = "returned", _("retourné")
        REFUNDED = "refunded", _("remboursé")
        CANCELLED = "cancelled", _("annulé")

    FAILED = (Status.REJECTED, Status.RETURNED, Status.REFUNDED)

    mandate = models.ForeignKey(
        Mandate, on_delete=models.PROTECT, related_name="debits", verbose_name=_("mandat")
    )
    month = models.DateField(
        _("mois"), help_text=_("Le premier jour du mois du prélèvement : un seul par mois.")
    )
    due_on = models.DateField(_("date d'échéance"), db_index=True)
    amount = models.DecimalField(_("montant (€)"), max_digits=7, decimal_places=2)
    sequence_type = models.CharField(
        _("type de séquence"),
        max_length=4,
        choices=Mandate.SequenceType.choices,
        help_text=_(
            "FRST (de l'anglais « first ») : le premier prélèvement du mandat ; RCUR "
            "(« recurrent ») : un prélèvement suivant. La banque reçoit les deux dans des blocs "
            "séparés du fichier."
        ),
    )
    end_to_end_id = models.CharField(
        _("référence de bout en bout"), max_length=35, unique=True, editable=False
    )
    remittance = models.CharField(_("libellé sur le relevé"), max_length=140)
    status = models.CharField(
        _("statut"),
        max_length=10,
        choices=Status.choices,
        default=Status.SCHEDULED,
        db_index=True,
    )
    reason_code = models.CharField(
        _("code motif (ISO)"),
        max_length=4,
        blank=True,
        help_text=_("Le code ISO donné par la banque quand le prélèvement échoue (AM04, AC04…)."),
    )
    batch = models.ForeignKey(
        "DebitBatch",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="debits",
        verbose_name=_("fichier bancaire"),
    )
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    collected_on = models.DateField(_("encaissé le"), null=True, blank=True)
    failed_on = models.DateField(_("échoué le"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annulé le"), null=True, blank=True)
    mandate_cancelled_after_sending = models.BooleanField(
        _("mandat annulé après l'envoi"),
        default=False,
        help_text=_(
            "Le mandat a été annulé alors que ce prélèvement était déjà chez la banque : "
            "demandez-lui de l'annuler, ou remboursez le donateur."
        ),
    )
    # What the bank received, kept as sent (the batch's snapshot).
    sent_debtor_name = models.CharField(_("titulaire envoyé"), max_length=140, blank=True)
    sent_iban = EncryptedTextField(_("IBAN envoyé"), blank=True)
    sent_bic = models.CharField(_("BIC envoyé"), max_length=11, blank=True)
    sent_mandate_signed_on = models.DateField(_("date du mandat envoyée"), null=True, blank=True)
    sent_amendment = EncryptedTextField(
        _("amendement envoyé"), blank=True, help_text=_("Le changement de compte transmis.")
    )

    objects = DebitQuerySet.as_manager()

    class Meta:
        verbose_name = _("prélèvement")
        verbose_name_plural = _("prélèvements")
        ordering = ["-due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"])]
        constraints = [
            models.UniqueConstraint(fields=["mandate", "month"], name="debit_one_per_month"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="debit_amount_positive"),
            models.CheckConstraint(
                condition=Q(status="scheduled") | Q(status="cancelled") | Q(batch__isnull=False),
                name="debit_sent_has_batch",
            ),
        ]

    def __str__(self):
        return self.end_to_end_id

    @property
    def is_failed(self) -> bool:
        return self.status in self.FAILED


class DonsDashboard(Debit):
    """The Dons team's page in the admin's menu: no table of its own (a proxy), no
    permission of its own (it shows to whoever may view the debits)."""

    class Meta:
        proxy = True
        verbose_name = _("tableau des dons")
        verbose_name_plural = _("tableau des dons")
        default_permissions = ()


class DebitBatch(models.Model):
    """One pain.008 file given to the bank: immutable once made. The file's bytes are kept
    encrypted, so downloading it again gives the same bytes; each debit keeps what it
    carried (``Debit.sent_*``)."""

    class Status(models.TextChoices):
        SENT = "sent", _("transmis")
        COLLECTED = "collected", _("encaissé")

    message_id = models.CharField(
        _("identifiant du message"),
        max_length=35,
        unique=True,
        help_text=_(
            "Le nom unique de ce fichier pour la banque (MsgId) : donnez-le quand vous lui "
            "parlez de ce fichier."
        ),
    )
    created_at = models.DateTimeField(_("créé le"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("créé par"),
    )
    due_on = models.DateField(_("date d'échéance"))
    version = models.CharField(
        _("version du format"),
        max_length=20,
        help_text=_(
            "Le format ISO 20022 du fichier : pain.008.001.02, que toutes les banques "
            "françaises acceptent, ou pain.008.001.08, sa version de 2019."
        ),
    )
    part = models.PositiveSmallIntegerField(_("partie"), default=1)
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.SENT
    )
    collected_at = models.DateTimeField(_("marqué encaissé le"), null=True, blank=True)
    debit_count = models.PositiveIntegerField(_("nombre de prélèvements"))
    total = models.DecimalField(_("montant total (€)"), max_digits=12, decimal_places=2)
    content = EncryptedTextField(_("fichier"), editable=False)
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64, editable=False)

    class Meta:
        verbose_name = _("fichier de prélèvements")
        verbose_name_plural = _("fichiers de prélèvements")
        ordering = ["-created_at", "-pk"]
        permissions = [("download_debitbatch", _("Peut télécharger le fichier bancaire"))]

    def __str__(self):
        return self.message_id

    @property
    def filename(self) -> str:
        return f"{self.message_id}.xml"


class DebitBatchDownload(models.Model):
    """Who downloaded which bank file, and when: the file holds IBANs."""

    batch = models.ForeignKey(
        DebitBatch, on_delete=models.PROTECT, related_name="downloads", verbose_name=_("fichier")
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("par"),
    )
    at = models.DateTimeField(_("le"), auto_now_add=True)
    channel = models.CharField(_("canal"), max_length=20, default="admin")

    class Meta:
        verbose_name = _("téléchargement de fichier bancaire")
        verbose_name_plural = _("téléchargements de fichiers bancaires")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.batch} · {self.at:%Y-%m-%d %H:%M}"


class MandatePdfAccess(models.Model):
    """Who opened a signed mandate with its whole IBAN, and when (never the IBAN itself).

    The RUM and the staff member's name are copied, so the line still says what was
    opened, and by whom, once the mandate is purged or the account deleted."""

    mandate = models.ForeignKey(
        Mandate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mandat"),
    )
    rum = models.CharField(_("référence unique du mandat (RUM)"), max_length=35)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("par"),
    )
    by_username = models.CharField(_("identifiant"), max_length=150)
    at = models.DateTimeField(_("le"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("consultation d'un mandat signé")
        verbose_name_plural = _("consultations des mandats signés")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.rum} · {self.by_username} · {self.at:%Y-%m-%d %H:%M}"


class ReceiptCounter(models.Model):
    """The last tax receipt number given for a gift year. One row per year, locked
    (``SELECT … FOR UPDATE``) while numbers are taken, in the same transaction that records
    the receipts: a number is used once, and a rolled-back issue gives its numbers back, so
    the sequence has no gap."""

    year = models.PositiveSmallIntegerField(_("année des dons"), primary_key=True)
    last = models.PositiveIntegerField(_("dernier numéro"), default=0)

    class Meta:
        verbose_name = _("compteur de reçus fiscaux")
        verbose_name_plural = _("compteurs de reçus fiscaux")

    def __str__(self):
        return f"{self.year} · {self.last}"


# A receipt a donor may use: not a cancellation, and not cancelled.
RECEIPT_IN_FORCE = ~Q(kind="cancellation") & Q(cancelled_at=None)


class ReceiptQuerySet(models.QuerySet):
    def in_force(self):
        return self.filter(RECEIPT_IN_FORCE)

    def for_year(self, year: int):
        return self.filter(year=year)

    def year_summary(self, year: int) -> dict:
        """What a gift year gives and what its receipts say: the donors with collected
        debits and their total, beside the receipts in force and theirs."""
        collected = (
            Debit.objects.collected()
            .in_year(year)
            .aggregate(
                donors=models.Count("mandate__donor", distinct=True),
                total=models.Sum("amount"),
            )
        )
        receipts = (
            self.for_year(year)
            .in_force()
            .aggregate(count=models.Count("pk"), total=models.Sum("amount"))
        )
        return {
            "year": year,
            "donors": collected["donors"],
            "collected": collected["total"] or Decimal("0"),
            "receipts": receipts["count"],
            "receipts_total": receipts["total"] or Decimal("0"),
        }

    def declaration(self):
        """Per gift year, what the association declares (CGI art. 222 bis): the number of
        receipts in force and their total, with the cancellations beside them."""
        return (
            self.order_by()
            .values("year")
            .annotate(
                count=models.Count("pk", filter=RECEIPT_IN_FORCE),
                total=models.Sum("amount", filter=RECEIPT_IN_FORCE),
                issued=models.Count("pk"),
                cancellations=models.Count("pk", filter=Q(kind="cancellation")),
            )
            .order_by("-year")
        )


class Receipt(models.Model):
    """A tax receipt (reçu fiscal, the mentions of model Cerfa 11580): one per donor and
    gift year, for the debits collected that year and neither returned nor refunded.

    What it certifies is kept as it was issued (the donor's name and address, the dates,
    the amount), so the PDF made again years later is the same document. A refund after
    issue cancels it with a cancelling receipt (``kind=cancellation``, ``original`` naming
    it) and a corrected one (``kind=correction``), numbered on in the same year."""

    class Kind(models.TextChoices):
        ORIGINAL = "original", _("reçu")
        CANCELLATION = "cancellation", _("reçu d'annulation")
        CORRECTION = "correction", _("reçu rectificatif")

    number = models.CharField(_("numéro"), max_length=16, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(_("année des dons"), db_index=True)
    sequence = models.PositiveIntegerField(_("rang dans l'année"))
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices, default=Kind.ORIGINAL)
    donor = models.ForeignKey(
        Donor, on_delete=models.PROTECT, related_name="receipts", verbose_name=_("donateur")
    )
    original = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followers",
        verbose_name=_("reçu annulé ou remplacé"),
    )
    amount = models.DecimalField(_("montant (€)"), max_digits=12, decimal_places=2)
    payment_dates = models.JSONField(_("dates des versements"), default=list)
    donor_name = models.CharField(_("nom du donateur"), max_length=250)
    donor_address = models.TextField(_("adresse du donateur"))
    debits = models.ManyToManyField(
        "Debit", blank=True, related_name="receipts", verbose_name=_("prélèvements")
    )
    issued_at = models.DateTimeField(_("émis le"))
    cancelled_at = models.DateTimeField(_("annulé le"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("envoyé par courriel le"), null=True, blank=True)

    objects = ReceiptQuerySet.as_manager()

    class Meta:
        verbose_name = _("reçu fiscal")
        verbose_name_plural = _("reçus fiscaux")
        ordering = ["-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="receipt_year_sequence"),
            models.UniqueConstraint(
                fields=["donor", "year"],
                condition=RECEIPT_IN_FORCE,
                name="receipt_one_in_force_per_donor_year",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="receipt_amount_positive"),
            models.CheckConstraint(
                condition=Q(kind="original", original=None)
                | (~Q(kind="original") & Q(original__isnull=False)),
                name="receipt_original_named_by_corrections",
            ),
        ]

    def __str__(self):
        return self.number

    @staticmethod
    def number_for(year: int, sequence: int) -> str:
        """The printed number: the gift year and the rank in it, ``2025-000001``."""
        return f"{year}-{sequence:06d}"

    @property
    def filename(self) -> str:
        return f"recu-fiscal-{self.number}.pdf"


class BankAnswer(RecordedModel):
    """A file the bank sent back, imported once: a pain.002 (debits rejected before
    settlement) or a camt.054 (returned or refunded after it). Its message id is kept, so
    the same file imported again changes nothing; what it did is counted, and the lines
    that could not be applied are listed (end-to-end ids and reasons only: the file itself,
    which may hold names and IBANs, is not kept)."""

    class Kind(models.TextChoices):
        PAIN002 = "pain.002", _("rejets avant règlement (pain.002)")
        CAMT054 = "camt.054", _("retours et remboursements (camt.054)")

    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    version = models.CharField(_("version du format"), max_length=20)
    message_id = models.CharField(_("identifiant du message"), max_length=35)
    sent_at = models.DateTimeField(_("émis par la banque le"))
    original_message_id = models.CharField(
        _("fichier de prélèvements concerné"), max_length=35, blank=True
    )
    filename = models.CharField(_("nom du fichier"), max_length=255, blank=True)
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64, editable=False)
    channel = models.CharField(_("canal"), max_length=20, default="admin")
    rejected = models.PositiveIntegerField(_("rejetés"), default=0)
    returned = models.PositiveIntegerField(_("retournés"), default=0)
    refunded = models.PositiveIntegerField(_("remboursés"), default=0)
    unchanged = models.PositiveIntegerField(_("déjà notés"), default=0)
    not_applied = models.PositiveIntegerField(_("non appliqués"), default=0)
    report = models.TextField(_("compte rendu"), blank=True)

    class Meta:
        verbose_name = _("réponse de la banque")
        verbose_name_plural = _("réponses de la banque")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "message_id"], name="bankanswer_once"),
        ]

    def __str__(self):
        return f"{self.kind} {self.message_id}"
