from modeltranslation.translator import TranslationOptions, register

from petitions.models import Appeal, Petition


@register(Petition)
class PetitionTranslationOptions(TranslationOptions):
    fields = ("title", "target", "ask", "text", "photo_alt")


@register(Appeal)
class AppealTranslationOptions(TranslationOptions):
    fields = ("label", "text")
