"""One-click unsubscribe from the newsletter (RFC 8058).

Every email that relies on newsletter consent carries ``List-Unsubscribe`` (an https URL)
and ``List-Unsubscribe-Post: List-Unsubscribe=One-Click`` (:func:`unsubscribe_headers`); the
newsletter export gives each row its URL, for a mailing tool to set the same headers. A
POST to the URL withdraws the consent of the address, in every app (each ``privacy.py``
declaration's ``newsletter_withdraw``), and records it in the journal of requests.

The token names a row (``petitions.signature`` 12, ``donations.donor`` 3), never an
address, signed with the site's key (``django.core.signing``, no expiry: an unsubscribe
link must work years later). Rotating ``SECRET_KEY`` keeps them valid as long as the old
key stays in ``SECRET_KEY_FALLBACKS``.
"""

from django.apps import apps
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from core.mail import absolute_url
from core.personal_data import declarations

SALT = "core.unsubscribe"
TOKEN_MAX_LENGTH = 200


def unsubscribe_token(model_label: str, pk: int) -> str:
    """The same token for the same row every time (no time stamp: it never expires)."""
    return signing.Signer(salt=SALT).sign_object([model_label, pk])


def unsubscribe_url(model_label: str, pk: int, *, language: str = "fr") -> str:
    with translation.override(language):
        path = reverse("core:unsubscribe", args=[unsubscribe_token(model_label, pk)])
    return absolute_url(path)


def unsubscribe_headers(model_label: str, pk: int, *, language: str = "fr") -> dict:
    """The RFC 8058 headers of a newsletter email to the person of row ``pk``."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(model_label, pk, language=language)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def unsubscribe_target(token: str):
    """The row a valid token names, or ``None``."""
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    try:
        model_label, pk = signing.Signer(salt=SALT).unsign_object(token)
        model = apps.get_model(model_label)
    except (signing.BadSignature, ValueError, TypeError, LookupError):
        return None
    return model._default_manager.filter(pk=pk).first()


def newsletter_withdraw(*, row) -> int:
    """Withdraw the newsletter consent of the address of ``row`` in every app and journal
    it (the counts, never the address); returns how many rows changed."""
    from core.models import PrivacyRequest

    email = (getattr(row, "email", "") or "").strip()
    if not email:
        return 0
    with transaction.atomic():
        counts = {}
        for decl in declarations():
            if decl.newsletter_withdraw is not None:
                changed = decl.newsletter_withdraw(email)
                if changed:
                    counts[decl.app_label] = {"newsletter_withdrawn": changed}
        PrivacyRequest.objects.create(
            kind=PrivacyRequest.Kind.OPT_OUT,
            channel=PrivacyRequest.Channel.LINK,
            identity_checked=False,
            apps=",".join(counts),
            summary=counts,
        )
    return sum(item["newsletter_withdrawn"] for item in counts.values())
