import uuid
from decimal import Decimal, InvalidOperation

from django import forms
from django.core import signing
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from text_unidecode import unidecode

from core.formats import format_money
from core.forms import PublicFormMixin, country_field
from core.pagecache import fresh_marker
from donations import sepa
from donations.models import DEBIT_DAYS, Donor

FREE = "libre"
IDEMPOTENCY_SALT = "donations.gift.idempotency"
IDEMPOTENCY_MAX_AGE = 2 * 24 * 3600

IBAN_MESSAGES = {
    "format": _("Cet IBAN n'est pas valide : vérifiez les deux lettres du pays et les chiffres."),
    "country": _("Cet IBAN n'est pas valide : le pays est inconnu."),
    "length": _("Cet IBAN n'a pas le bon nombre de caractères pour son pays."),
    "checksum": _("Cet IBAN n'est pas valide : la clé de contrôle ne correspond pas."),
    "outside_sepa": _("Ce compte n'est pas dans la zone SEPA : nous ne pouvons pas le prélever."),
    "bic_required": _("Le BIC est obligatoire pour un compte de ce pays."),
    "bic": _("Ce BIC n'est pas valide : 8 ou 11 lettres et chiffres."),
}


# The bank file's limit for the debtor's name (pain.008 ``Dbtr/Nm``), once written in the
# EPC Latin characters (``sepa.sepa_text``).
ACCOUNT_HOLDER_MAX_LENGTH = 70
HOLDER_TOO_LONG = _("Le nom du titulaire fait au plus 70 caractères (c'est la limite des banques).")


def bic_countries() -> str:
    """The countries and territories whose accounts need a BIC (outside the EEA), named in
    the current language: "Albanie, Andorre, … et Vatican"."""
    names = sorted(
        (str(countries.name(code)) for code in sepa.SEPA_NON_EEA),
        key=lambda name: unidecode(name).lower(),
    )
    return _("%(first)s et %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def bic_help_text() -> str:
    return _(
        "Obligatoire seulement pour un compte hors de l'Espace économique européen : "
        "%(countries)s. Pour ces comptes, votre adresse postale est aussi transmise à "
        "votre banque."
    ) % {"countries": bic_countries()}


def free_amount_messages(gift_settings, language: str) -> dict:
    """The French messages for a free amount that cannot be given, with the bounds staff
    set written as money: the form, the page opened from the widget and the widget's script
    (``data-msg-*``) all show these."""
    limits = {
        "min": format_money(gift_settings.free_amount_min, language),
        "max": format_money(gift_settings.free_amount_max, language),
    }
    return {
        "min": _("Le montant libre est d'au moins %(min)s par mois.") % limits,
        "max": _("Le montant libre est d'au plus %(max)s par mois.") % limits,
        "invalid": _("Indiquez le montant libre en euros entiers, sans centimes."),
    }


def amount_value(amount: Decimal) -> str:
    """A Decimal as a form value: '15', '12.5' (never localised)."""
    return format(Decimal(amount).normalize(), "f")


def bic_required_check(form, cleaned: dict) -> None:
    """An account outside the EEA needs its BIC: the error goes next to the BIC field."""
    iban = cleaned.get("iban")
    if iban and sepa.bic_required(iban) and not cleaned.get("bic") and "bic" not in form.errors:
        form.add_error(
            "bic", forms.ValidationError(IBAN_MESSAGES["bic_required"], code="bic_required")
        )


FORM_EXPIRED = _("Le formulaire a expiré : vérifiez vos informations et envoyez-le à nouveau.")


def idempotency_key_new() -> str:
    return signing.dumps(uuid.uuid4().hex, salt=IDEMPOTENCY_SALT)


class GiftForm(PublicFormMixin, forms.Form):
    amount_choice = forms.ChoiceField(
        label=_("Montant mensuel"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez un montant mensuel, ou indiquez un montant libre."),
            "invalid_choice": _("Choisissez l'un des montants proposés ou un autre montant."),
        },
    )
    free_amount = forms.IntegerField(
        label=_("Montant libre, en euros par mois"),
        required=False,
    )
    civility = forms.ChoiceField(
        label=_("Civilité (facultatif)"), choices=Donor.Civility.choices, required=False
    )
    first_name = forms.CharField(
        label=_("Prénom"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
        error_messages={"required": _("Indiquez votre prénom.")},
    )
    last_name = forms.CharField(
        label=_("Nom"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
        error_messages={"required": _("Indiquez votre nom.")},
    )
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        max_length=254,
        help_text=_("Pour confirmer votre mandat et vous envoyer votre reçu fiscal."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Indiquez votre adresse e-mail."),
            "invalid": _("Cette adresse e-mail n'est pas valide (exemple : nom@exemple.fr)."),
        },
    )
    street = forms.CharField(
        label=_("Adresse"),
        max_length=200,
        # "street-address" is for a multi-line field; one line is "address-line1".
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
        error_messages={
            "required": _("Indiquez votre adresse : elle figure sur votre reçu fiscal.")
        },
    )
    postal_code = forms.CharField(
        label=_("Code postal"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
        error_messages={"required": _("Indiquez votre code postal.")},
    )
    city = forms.CharField(
        label=_("Ville"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
        error_messages={"required": _("Indiquez votre ville.")},
    )
    country = country_field(
        label=_("Pays"), initial="FR", error_messages={"required": _("Choisissez votre pays.")}
    )
    account_holder = forms.CharField(
        label=_("Titulaire du compte"),
        max_length=ACCOUNT_HOLDER_MAX_LENGTH,
        help_text=_("70 caractères au plus, comme votre banque l'écrit."),
        error_messages={
            "max_length": HOLDER_TOO_LONG,
            "required": _("Indiquez le nom du titulaire du compte."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    iban = forms.CharField(
        label=_("IBAN"),
        max_length=50,
        help_text=_("Par exemple FR76 3000 6000 0112 3456 7890 189 ; les espaces sont acceptés."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
        error_messages={"required": _("Indiquez l'IBAN du compte à débiter.")},
    )
    bic = forms.CharField(
        label=_("BIC"),
        max_length=15,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    debit_day = forms.TypedChoiceField(
        label=_("Jour du prélèvement"),
        choices=DEBIT_DAYS,
        coerce=int,
        initial=5,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez le jour du prélèvement.")},
    )
    newsletter = forms.BooleanField(
        label=_("Je souhaite recevoir la lettre d'information (facultatif)."), required=False
    )
    mandate_accepted = forms.BooleanField(
        label=_("J'ai lu le mandat de prélèvement SEPA ci-dessus et je l'accepte."),
        error_messages={"required": _("Cochez cette case pour accepter le mandat de prélèvement.")},
    )
    idempotency_key = forms.CharField(
        widget=forms.HiddenInput, error_messages={"required": FORM_EXPIRED}
    )

    def __init__(self, *args, tiers=(), gift_settings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.tiers = list(tiers)
        self.gift_settings = gift_settings
        choices = [
            (
                amount_value(tier.amount),
                _("%(amount)s/mois") % {"amount": format_money(tier.amount, self._language())},
            )
            for tier in self.tiers
        ]
        choices.append((FREE, _("Autre montant")))
        self.fields["bic"].help_text = bic_help_text()
        self.fields["amount_choice"].choices = choices
        free = self.fields["free_amount"]
        free.min_value = gift_settings.free_amount_min
        free.max_value = gift_settings.free_amount_max
        free.widget.attrs.update(
            {
                "min": gift_settings.free_amount_min,
                "max": gift_settings.free_amount_max,
                "step": 1,
                "data-gift-free": "",
            }
        )
        self.amount_messages = free_amount_messages(gift_settings, self._language())
        free.error_messages["invalid"] = self.amount_messages["invalid"]
        free.validators = [
            MinValueValidator(gift_settings.free_amount_min, self.amount_messages["min"]),
            MaxValueValidator(gift_settings.free_amount_max, self.amount_messages["max"]),
        ]
        if not self.is_bound:
            # A new key in every response, cached page or not (core.pagecache): two
            # visitors of one cached page never share one.
            self.initial.setdefault("idempotency_key", fresh_marker("donations_idempotency"))

    @staticmethod
    def _language():
        return translation.get_language() or "fr"

    @classmethod
    def initial_for_amount(
        cls, raw: str | None, tiers, gift_settings, *, free: bool = False
    ) -> tuple[dict, str]:
        """The amount preselected from the widget (``?amount=`` a tier, ``?free_amount=``
        anything typed), and the French message to show next to the free amount when what
        was typed cannot be given: never a silent fallback to another amount."""
        defaults = [tier for tier in tiers if tier.is_default] or list(tiers)[:1]
        initial = {"amount_choice": amount_value(defaults[0].amount)} if defaults else {}
        raw = str(raw or "").strip()
        if not raw:
            return initial, ""
        messages = free_amount_messages(gift_settings, translation.get_language() or "fr")
        try:
            amount = Decimal(raw.replace(",", "."))
        except InvalidOperation:
            amount = None
        if amount is not None and amount.is_finite() and not free:
            for tier in tiers:
                if tier.amount == amount:
                    return {"amount_choice": amount_value(tier.amount)}, ""
        typed = {"amount_choice": FREE, "free_amount": raw[:12]}
        if amount is None or not amount.is_finite() or amount != amount.to_integral_value():
            return typed, str(messages["invalid"])
        if amount < gift_settings.free_amount_min:
            return typed, str(messages["min"])
        if amount > gift_settings.free_amount_max:
            return typed, str(messages["max"])
        return {"amount_choice": FREE, "free_amount": int(amount)}, ""

    def chosen_amount(self) -> Decimal | None:
        """The monthly amount the donor chose, as the form reads it: a filled free amount
        wins over the tier (the tier stays checked when a page without script is used);
        ``None`` while the free amount typed cannot be given."""
        if not self.is_bound:
            choice = self.initial.get("amount_choice")
            if choice == FREE:
                value = self.initial.get("free_amount")
                return Decimal(value) if isinstance(value, int) else None
            return self._tier_amount(choice)
        if hasattr(self, "cleaned_data") and self.cleaned_data.get("amount"):
            return self.cleaned_data["amount"]
        raw = str(self.data.get("free_amount") or "").strip()
        if raw or self.data.get("amount_choice") == FREE:
            if not raw.isdigit():
                return None
            amount = Decimal(raw)
            settings = self.gift_settings
            if settings.free_amount_min <= amount <= settings.free_amount_max:
                return amount
            return None
        return self._tier_amount(self.data.get("amount_choice"))

    def _tier_amount(self, choice) -> Decimal | None:
        for tier in self.tiers:
            if amount_value(tier.amount) == choice:
                return tier.amount
        return None

    def clean_iban(self):
        try:
            return sepa.iban_check(self.cleaned_data["iban"])
        except sepa.IBANProblem as problem:
            raise forms.ValidationError(IBAN_MESSAGES[problem.code], code=problem.code) from None

    def clean_account_holder(self):
        holder = self.cleaned_data["account_holder"].strip()
        bank_form = sepa.sepa_text(holder)
        if len(bank_form) > ACCOUNT_HOLDER_MAX_LENGTH:
            raise forms.ValidationError(HOLDER_TOO_LONG, code="max_length")
        if not bank_form.strip(" .'-"):
            raise forms.ValidationError(
                _("Écrivez le nom du titulaire en lettres latines, comme sur votre relevé."),
                code="not_latin",
            )
        return holder

    def clean_bic(self):
        raw = self.cleaned_data.get("bic", "")
        if not raw.strip():
            return ""
        try:
            return sepa.bic_check(raw)
        except sepa.IBANProblem as problem:
            raise forms.ValidationError(IBAN_MESSAGES[problem.code], code=problem.code) from None

    def clean_idempotency_key(self):
        try:
            return signing.loads(
                self.cleaned_data["idempotency_key"],
                salt=IDEMPOTENCY_SALT,
                max_age=IDEMPOTENCY_MAX_AGE,
            )
        except signing.BadSignature:
            raise forms.ValidationError(FORM_EXPIRED, code="expired") from None

    def clean(self):
        cleaned = super().clean()
        choice = cleaned.get("amount_choice")
        free_typed = str(self.data.get("free_amount") or "").strip() != ""
        if choice == FREE or free_typed:
            # A free amount typed wins over a tier left checked (no script to uncheck it).
            free = cleaned.get("free_amount")
            if free is None and "free_amount" not in self.errors:
                self.add_error(
                    "free_amount",
                    forms.ValidationError(
                        _("Indiquez le montant libre, en euros entiers."), code="required"
                    ),
                )
            elif free is not None:
                cleaned["amount"] = Decimal(free)
        elif choice:
            cleaned["amount"] = next(
                tier.amount for tier in self.tiers if amount_value(tier.amount) == choice
            )
        bic_required_check(self, cleaned)
        if self.errors.get("idempotency_key"):
            # A fresh key for the next try; the error shows at the top of the form.
            data = self.data.copy()
            data["idempotency_key"] = idempotency_key_new()
            self.data = data
        return cleaned

    @property
    def donor_data(self) -> dict:
        return {key: self.cleaned_data[key] for key in Donor.CONTACT_FIELDS}


# --- The donor's space (``/don/mon-don/``) ------------------------------------------------


class SpaceChangeForm(PublicFormMixin, forms.Form):
    """A new monthly amount or debit day, within the bounds staff set for free amounts."""

    amount = forms.IntegerField(
        label=_("Nouveau montant mensuel, en euros"),
        # A text box: what was typed comes back as typed, valid HTML whatever it is.
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": _("Indiquez le montant mensuel, en euros entiers.")},
    )
    debit_day = forms.TypedChoiceField(
        label=_("Jour du prélèvement"),
        choices=DEBIT_DAYS,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez le jour du prélèvement.")},
    )

    def __init__(self, *args, gift_settings, **kwargs):
        super().__init__(*args, **kwargs)
        messages = free_amount_messages(gift_settings, translation.get_language() or "fr")
        amount = self.fields["amount"]
        amount.error_messages["invalid"] = messages["invalid"]
        amount.validators = [
            MinValueValidator(gift_settings.free_amount_min, messages["min"]),
            MaxValueValidator(gift_settings.free_amount_max, messages["max"]),
        ]


class SpacePauseForm(forms.Form):
    months = forms.TypedChoiceField(
        label=_("Durée de la pause"),
        choices=[(1, _("1 mois")), (2, _("2 mois")), (3, _("3 mois"))],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez la durée de la pause : 1, 2 ou 3 mois."),
            "invalid_choice": _("Choisissez la durée de la pause : 1, 2 ou 3 mois."),
        },
    )


class SpaceCancelForm(forms.Form):
    sure = forms.BooleanField(
        label=_("Je veux arrêter mon don mensuel."),
        error_messages={"required": _("Cochez cette case pour arrêter votre don mensuel.")},
    )


class SpaceBankForm(PublicFormMixin, forms.Form):
    """A new account for the same mandate: the mandate's text is shown and accepted again.
    The fields and their checks are the gift form's."""

    account_holder = GiftForm.base_fields["account_holder"]
    iban = GiftForm.base_fields["iban"]
    bic = GiftForm.base_fields["bic"]
    mandate_accepted = GiftForm.base_fields["mandate_accepted"]

    clean_iban = GiftForm.clean_iban
    clean_account_holder = GiftForm.clean_account_holder
    clean_bic = GiftForm.clean_bic

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bic"].help_text = bic_help_text()

    def clean(self):
        cleaned = super().clean()
        bic_required_check(self, cleaned)
        return cleaned


class SpaceContactForm(PublicFormMixin, forms.Form):
    """The postal address (for the tax receipts) and the email of the donor."""

    email = GiftForm.base_fields["email"]
    street = GiftForm.base_fields["street"]
    postal_code = GiftForm.base_fields["postal_code"]
    city = GiftForm.base_fields["city"]
    country = GiftForm.base_fields["country"]
