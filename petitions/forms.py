from django import forms
from django.conf import settings
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import PublicFormMixin, country_field
from core.pagecache import fresh_marker

STARTED_SALT = "petitions.sign.started"
FORM_EXPIRED = _("Le formulaire a expiré. Vérifiez vos informations et envoyez-le de nouveau.")
STARTED_MAX_AGE = 60 * 60 * 24  # a form left open for a day is sent again with a fresh stamp


def started_stamp(now=None) -> str:
    """A signed record of when the form was shown (checked on submission)."""
    now = now or timezone.now()
    return signing.dumps(now.timestamp(), salt=STARTED_SALT)


class AccessibleErrorsMixin:
    """Fields with errors say so to assistive technologies and point at their message."""

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            # A hidden field has no one to tell (and HTML forbids aria-* on it): its
            # error is the form's, said at the top.
            if name in self.fields and not self.fields[name].widget.is_hidden:
                self.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": f"{self[name].auto_id}_errors"}
                )


class SignatureForm(PublicFormMixin, AccessibleErrorsMixin, forms.Form):
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
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Indiquez votre adresse e-mail."),
            "invalid": _("Cette adresse e-mail n'est pas valide (exemple : nom@exemple.fr)."),
        },
    )
    country = country_field(
        label=_("Pays"),
        initial="FR",
        widget=forms.Select(attrs={"autocomplete": "country"}),
        error_messages={
            "required": _("Choisissez votre pays."),
            "invalid_choice": _("Choisissez votre pays dans la liste."),
        },
    )
    postal_code = forms.CharField(
        label=_("Code postal (facultatif)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    notify_outcome = forms.BooleanField(
        label=_("Je veux savoir comment se termine cette mobilisation (un e-mail, au plus)."),
        required=False,
    )
    newsletter = forms.BooleanField(
        label=_("Je veux recevoir la lettre d'information de l'association."),
        required=False,
    )
    share_name = forms.BooleanField(
        label=_(
            "J'accepte que mon prénom, mon nom et mon pays soient remis aux destinataires de "
            "cette pétition, avec les autres signatures. Sans cette case, seul le nombre de "
            "signatures leur est remis."
        ),
        required=False,
    )
    # A field people never see (hidden by CSS); only robots fill it in.
    website = forms.CharField(
        label=_("Ne remplissez pas ce champ"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(widget=forms.HiddenInput, error_messages={"required": FORM_EXPIRED})

    def __init__(self, *args, now=None, **kwargs):
        self.now = now or timezone.now()
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            # Replaced by a new stamp in every response, cached page or not (core.pagecache).
            self.initial["started"] = fresh_marker("petitions_started")

    def _fresh_stamp(self):
        self.data = self.data.copy()
        self.data[self.add_prefix("started")] = started_stamp(self.now)

    def clean_started(self):
        try:
            started = signing.loads(
                self.cleaned_data["started"], salt=STARTED_SALT, max_age=STARTED_MAX_AGE
            )
        except (signing.BadSignature, TypeError, ValueError):
            self._fresh_stamp()
            raise forms.ValidationError(FORM_EXPIRED) from None
        return float(started)

    def clean(self):
        cleaned = super().clean()
        started = cleaned.get("started")
        # Only a form otherwise right is "too fast": a person sending an empty form at once
        # needs the messages beside the fields, not a word about robots.
        if started is not None and not self._errors:
            elapsed = self.now.timestamp() - started
            if elapsed < settings.PETITION_MIN_FILL_SECONDS:
                raise forms.ValidationError(
                    _(
                        "Votre formulaire a été envoyé très vite, peut-être rempli automatiquement. "
                        "Vérifiez vos informations, puis envoyez-le de nouveau."
                    ),
                    code="too_fast",
                )
        return cleaned

    @property
    def is_robot(self) -> bool:
        """The honeypot was filled in: answer as if it worked, store nothing.

        Read from the raw data, so a honeypot filled with junk the field refuses (a NUL
        byte, a huge string) still counts as a robot's.
        """
        return bool(str(self.data.get(self.add_prefix("website"), "")).strip())


class ResendForm(PublicFormMixin, AccessibleErrorsMixin, forms.Form):
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Indiquez votre adresse e-mail."),
            "invalid": _("Cette adresse e-mail n'est pas valide (exemple : nom@exemple.fr)."),
        },
    )
