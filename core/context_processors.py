from django.conf import settings
from django.urls import translate_url
from django.utils import translation


def site(request):
    """What every page needs: the organisation's name and the other language's link.

    The switcher is a plain link to the same page in the other language, so a page holds
    nothing per visitor and can be cached.
    """
    current = translation.get_language() or settings.LANGUAGE_CODE
    other = "en" if current.startswith("fr") else "fr"
    path = request.get_full_path() if request is not None else "/"
    return {
        "organisation_name": settings.ORGANISATION_NAME,
        "other_language": {
            "code": other,
            "name": "English" if other == "en" else "Français",
            "url": translate_url(path, other),
        },
    }
