"""Bilingual email through Django's mail backends.

Every message has a text and an HTML part, rendered from three templates
``<name>_subject.txt``, ``<name>.txt`` and ``<name>.html`` in the recipient's language.
Callers are tasks: they load what they need from ids and call :func:`mail_send`.
"""

import re
import unicodedata
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import sanitize_address
from django.core.validators import validate_email
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _


def absolute_url(path: str) -> str:
    """The site's address for a path, for links in emails."""
    return f"{settings.SITE_URL}{path}"


def mail_send(
    *,
    to: str,
    template: str,
    context: dict,
    language: str,
    attachments: Iterable[tuple[str, bytes, str]] = (),
    headers: dict | None = None,
) -> None:
    """Render ``template`` in ``language`` and send it to one address. An email relying
    on newsletter consent passes ``headers=core.unsubscribe.unsubscribe_headers(...)``."""
    with translation.override(language):
        context = {
            "organisation_name": settings.ORGANISATION_NAME,
            # The personal space, linked from every email about a gift or a signature.
            "space_url": absolute_url(reverse("core:space")),
            **context,
        }
        # One line; ASCII whitespace only, so French no-break spaces survive.
        subject = re.sub(
            r"[ \t\r\n]+", " ", render_to_string(f"{template}_subject.txt", context)
        ).strip()
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to], headers=headers)
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    message.send()


# An address made of ASCII dot-atoms only (almost every address): Django's mail layer
# leaves it as it is, so it needs no encoding to be checked.
PLAIN_ADDRESS = re.compile(
    r"[-!#$%&'*+/=?^_`{}|~0-9A-Za-z]+(?:\.[-!#$%&'*+/=?^_`{}|~0-9A-Za-z]+)*"
    r"@[-0-9A-Za-z]+(?:\.[-0-9A-Za-z]+)+"
)


def address_is_sendable(address: str) -> bool:
    """True when the mail layer can put ``address`` in a message as it will send it.

    Encoded as Django's mail layer encodes it (``sanitize_address``: the domain in punycode,
    each label at most 63 characters, the whole at most 253), with a local part in ASCII
    (an encoded local part reaches nobody) and no invisible formatting character (a
    right-to-left mark, a zero-width space). A plain ASCII address (:data:`PLAIN_ADDRESS`)
    is the same once encoded: only its domain's length and labels are checked.
    """
    if PLAIN_ADDRESS.fullmatch(address):
        ascii_domain = address.rpartition("@")[2]
    else:
        ascii_domain = _encoded_domain(address)
        if ascii_domain is None:
            return False
    labels = ascii_domain.split(".")
    return (
        len(ascii_domain) <= 253
        and len(labels) >= 2
        and all(0 < len(label) <= 63 for label in labels)
    )


def _encoded_domain(address: str) -> str | None:
    """The domain as Django's mail layer would write ``address``, or None if it cannot."""
    if any(unicodedata.category(char) in ("Cf", "Cc", "Zl", "Zp") for char in address):
        return None
    local, _at, domain = address.rpartition("@")
    if not local or not domain or not local.isascii():
        return None
    try:
        return sanitize_address(address, settings.DEFAULT_CHARSET).rpartition("@")[2]
    except (UnicodeError, ValueError, IndexError):
        return None


def validate_sendable_email(address: str) -> None:
    """The form's check: an address we could never write to is refused before anything is
    stored (the visitor would wait for an email that cannot leave)."""
    try:
        validate_email(address)
    except ValidationError:
        return  # Django's own message says it already
    if address and not address_is_sendable(address):
        raise ValidationError(
            _(
                "Nous ne pourrions pas envoyer d'e-mail à cette adresse : vérifiez-la "
                "(sans caractère invisible ni accent avant le @)."
            ),
            code="unsendable",
        )
