from modeltranslation.translator import TranslationOptions, register

from donations.models import Tier


@register(Tier)
class TierTranslationOptions(TranslationOptions):
    fields = ("description",)
