"""Bilingual email through Django's mail backends.

Every message has a text and an HTML part, rendered from three templates
``<name>_subject.txt``, ``<name>.txt`` and ``<name>.html`` in the recipient's language.
Callers are tasks: they load what they need from ids and call :func:`mail_send`.
"""

import re
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


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
) -> None:
    """Render ``template`` in ``language`` and send it to one address."""
    with translation.override(language):
        context = {"organisation_name": settings.ORGANISATION_NAME, **context}
        # One line; ASCII whitespace only, so French no-break spaces survive.
        subject = re.sub(
            r"[ \t\r\n]+", " ", render_to_string(f"{template}_subject.txt", context)
        ).strip()
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to])
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    message.send()
