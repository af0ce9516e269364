"""What every form shares: no control character, one-line fields on one line."""

import functools
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import CountryField, LazyTypedChoiceField

from core.mail import validate_sendable_email

# C0 control characters but NUL (Django's own validator names it), TAB, LF and CR.
CONTROL_CHARACTERS = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f]")


def validate_no_control_characters(value):
    """No invisible control character reaches the database (pasted from a word processor,
    or sent by a robot). Every form text field runs it: ``CoreConfig.ready`` makes it a
    default validator of ``forms.CharField``, next to Django's own check for NUL."""
    if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
        raise ValidationError(
            _("Ce texte contient un caractère invisible interdit : retapez-le."),
            code="control_character",
        )


def validate_single_line(value):
    """A one-line field (a name, an address line) holds no line break."""
    if isinstance(value, str) and ("\r" in value or "\n" in value):
        raise ValidationError(
            _("Ce champ tient sur une ligne : retirez les retours à la ligne."),
            code="line_break",
        )


class PublicFormMixin:
    """What every public form checks beyond its fields' own rules:

    - a text field not shown as a text area refuses CR and LF;
    - an email field refuses an address the mail layer could not send to
      (``core.mail.validate_sendable_email``), before anything is stored.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and not isinstance(field.widget, forms.Textarea):
                field.validators.append(validate_single_line)
            if isinstance(field, forms.EmailField):
                field.validators.append(validate_sendable_email)


def form_checks_install():
    """Make the two checks every form's and every admin page's business, once, at start.

    - Every form ``CharField`` (and its subclasses without validators of their own) runs
      :func:`validate_no_control_characters`.
    - Every one-line text field of the admin (a model ``CharField`` without choices) runs
      :func:`validate_single_line`; text areas keep their line breaks.
    """
    from django.contrib import admin
    from django.contrib.admin import options
    from django.db import models

    forms.CharField.default_validators = [validate_no_control_characters]
    single_line = {"validators": [validate_single_line]}
    options.FORMFIELD_FOR_DBFIELD_DEFAULTS[models.CharField].update(single_line)
    for model_admin in admin.site._registry.values():
        model_admin.formfield_overrides.setdefault(models.CharField, {}).update(single_line)


class SpaceLinkForm(PublicFormMixin, forms.Form):
    """The address a visitor asks the personal space's link for."""

    email = forms.EmailField(
        label=_("Votre adresse e-mail"),
        max_length=254,
        help_text=_("Celle de votre don ou de votre signature."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Indiquez votre adresse e-mail."),
            "invalid": _("Cette adresse e-mail n'est pas valide (exemple : nom@exemple.fr)."),
        },
    )


class SpaceEraseForm(forms.Form):
    """Erasing everything is asked twice: the page, then this box."""

    sure = forms.BooleanField(
        label=_(
            "Je comprends que mes données seront effacées et que mes dons mensuels seront arrêtés."
        ),
        error_messages={"required": _("Cochez cette case pour confirmer l'effacement.")},
    )


@functools.cache
def country_codes() -> frozenset[str]:
    """Every code the country lists offer."""
    return frozenset(countries.countries)


class CountryChoiceField(LazyTypedChoiceField):
    """A country select that checks the code sent against a set: Django's ``valid_value``
    would translate, sort and walk the ~250 names on every submit (profiled: the largest
    cost of a signature after the database)."""

    def valid_value(self, value):
        return str(value) in country_codes()


def country_field(**kwargs) -> CountryChoiceField:
    """The form field of a country (labels and messages given by the form)."""
    return CountryField().formfield(choices_form_class=CountryChoiceField, **kwargs)
