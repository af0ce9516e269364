from modeltranslation.translator import TranslationOptions, register

from cases.models import Case, OutcomeEvent, VictoryPage


@register(Case)
class CaseTranslationOptions(TranslationOptions):
    fields = (
        "headline",
        "charges",
        "sentence",
        "story",
        "quote",
        "quote_attribution",
        "photo_alt",
        "photo_caption",
    )


@register(OutcomeEvent)
class OutcomeEventTranslationOptions(TranslationOptions):
    fields = ("label", "detail")


@register(VictoryPage)
class VictoryPageTranslationOptions(TranslationOptions):
    fields = ("title", "intro", "hero_alt", "hero_caption")
