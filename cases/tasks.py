"""Work on victories done off the request path. Arguments are ids only."""

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django_tasks import task

from cases import share_cards
from cases.cache import cases_cache_clear
from cases.models import Case
from core import images


@task()
def share_card_make(case_id: int) -> str:
    """Draw the case's share cards (one per language) if what they show has changed."""
    with transaction.atomic():
        # One worker at a time per case: the next finds the cards up to date.
        case = Case.objects.select_for_update().filter(pk=case_id).first()
        if case is None:
            return "gone"
        key = share_cards.card_key(case)
        if (case.share_card or {}).get("key") == key:
            return "up to date"
        photo, focal = None, (0.5, 0.5)
        if case.photo and case.photo.storage.exists(case.photo.name):
            with case.photo.open("rb") as source:
                photo = images.image_clean(images.image_open(source.read()))
            focal = (case.photo_focal_x / 100, case.photo_focal_y / 100)
        manifest = {"key": key}
        for language, _name in settings.LANGUAGES:
            text = share_cards.card_text(case, language)
            name = f"{share_cards.FOLDER}/{case.slug}-{key}-{language}.jpg"
            if default_storage.exists(name):  # left by an interrupted run
                default_storage.delete(name)
            manifest[language] = default_storage.save(
                name, ContentFile(share_cards.card_draw(text, photo, focal))
            )
            manifest[f"alt_{language}"] = share_cards.card_alt(text, language)
        Case.objects.filter(pk=case_id).update(share_card=manifest)
    cases_cache_clear()
    return "made"
