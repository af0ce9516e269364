from modeltranslation.translator import TranslationOptions, register

from cases.models import TRANSLATED_FIELDS, Case, OutcomeEvent, VictoryPage


@register(Case)
class CaseTranslationOptions(TranslationOptions):
    fields = tuple(TRANSLATED_FIELDS)


@register(OutcomeEvent)
class OutcomeEventTranslationOptions(TranslationOptions):
    fields = ("label", "detail")


@register(VictoryPage)
class VictoryPageTranslationOptions(TranslationOptions):
    fields = ("title", "intro", "hero_alt", "hero_caption")
