"""The personal space (« Mon don », ``/don/mon-don/``): how a donor or a signer gets in.

- **The link.** A visitor gives an address. If an app knows it (each app's ``privacy.py``
  declaration says, through ``locate``), a task emails a link holding a random token
  (``core.tokens``, purpose ``space``, target the address, :data:`LINK_HOURS` long); the
  answer is the same page whether the address is known or not. A new request replaces the
  earlier link.
- **Opening it.** The link shows a page with one button: only its POST spends the token
  (mail scanners open links) and opens the space in a new session.
- **The session** holds the address(es) and the moment of the last request; it ends after
  :data:`IDLE_SECONDS` without a request.
- **Rate limits** (``core.ratelimit``): link requests per address and per network, token
  tries per network.

``core`` imports no app: the apps' parts of the space are their own views and inclusion
tags (``donations_tags.donor_space``, ``petitions_tags.signer_space``).
"""

import smtplib
import time
from functools import wraps

from django.apps import apps
from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from core.mail import absolute_url, mail_send
from core.personal_data import declarations
from core.ratelimit import RateLimit
from core.tasks import enqueue_on_commit
from core.tokens import token_issue

PURPOSE = "space"
LINK_HOURS = 1
IDLE_SECONDS = 30 * 60
SESSION_KEY = "personal_space"

LINK_PER_ADDRESS = (RateLimit("space.link.email.hour", 5, 3600),)
LINK_PER_NETWORK = (
    RateLimit("space.link.ip.minute", 5, 60),
    RateLimit("space.link.ip.hour", 30, 3600),
)
OPEN_PER_NETWORK = (RateLimit("space.open.ip.10min", 30, 600),)


def normalise(email: str) -> str:
    return (email or "").strip().lower()


class MailNotSent(Exception):
    """A failed send, told without the address (``core.tasks.mail_retry`` retries it)."""


def space_link_request(*, email: str) -> bool:
    """Queue the email with a link to the space when an app knows ``email``; returns
    whether one was queued (never shown to the visitor)."""
    email = normalise(email)
    # Every app is asked and one task is queued either way: a known and an unknown address
    # cost the same queries and the same write, so the answer's timing tells nothing.
    rows = [decl.locate(email) for decl in declarations() if decl.locate is not None]
    row = next((row for row in rows if row is not None), None)
    if row is None:
        enqueue_on_commit(space_link_nobody)
        return False
    enqueue_on_commit(space_link_email, row._meta.label_lower, row.pk)
    return True


@task()
def space_link_nobody() -> None:
    """Queued for an address nobody gave us: sends nothing (see ``space_link_request``)."""


@task()
def space_link_email(model_label: str, pk: int) -> None:
    """Email the link to the space to the address of row ``pk`` (a donor, a signature),
    in that person's language. The token is made here, so the queue never holds it."""
    try:
        row = apps.get_model(model_label)._default_manager.filter(pk=pk).first()
    except LookupError:
        return
    email = normalise(getattr(row, "email", "") or "")
    if not email:
        return
    language = getattr(row, "language", "") or settings.LANGUAGE_CODE
    raw = token_issue(purpose=PURPOSE, target=email, hours=LINK_HOURS)
    with translation.override(language):
        link = absolute_url(reverse("core:space-open", args=[raw]))
    try:
        mail_send(
            to=email,
            template="core/email/space_link",
            context={"link": link, "hours": LINK_HOURS},
            language=language,
        )
    except (smtplib.SMTPException, OSError) as exc:
        raise MailNotSent(f"{type(exc).__name__} for {model_label} {pk}") from None


# --- The session -----------------------------------------------------------------------


def space_open(request, email: str) -> None:
    """Open the space for ``email`` in a fresh session (a new key: no fixation)."""
    request.session.cycle_key()
    request.session[SESSION_KEY] = {"emails": [normalise(email)], "seen": time.time()}
    request.session.set_expiry(IDLE_SECONDS)


def space_emails(request) -> list[str]:
    """The addresses whose space is open in this session ([] when none, or when the last
    request is more than :data:`IDLE_SECONDS` old); each call moves the end forward."""
    data = request.session.get(SESSION_KEY)
    if not isinstance(data, dict) or not data.get("emails"):
        return []
    now = time.time()
    if now - float(data.get("seen", 0)) > IDLE_SECONDS:
        space_close(request)
        return []
    data["seen"] = now
    request.session[SESSION_KEY] = data
    request.session.set_expiry(IDLE_SECONDS)
    return list(data["emails"])


def space_email_add(request, email: str) -> None:
    """After the person changed their address: the space shows both."""
    data = request.session.get(SESSION_KEY) or {}
    emails = data.get("emails", [])
    if normalise(email) not in emails:
        data["emails"] = [*emails, normalise(email)]
        request.session[SESSION_KEY] = data


def space_close(request) -> None:
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()


def space_required(view):
    """Views of the space: without an open space, back to the page that asks for a link.
    The view gets the session's addresses as ``request.space_emails``."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        emails = space_emails(request)
        if not emails:
            return redirect(reverse("core:space") + "?fin=1")
        request.space_emails = emails
        return view(request, *args, **kwargs)

    return wrapper
