"""A form sent again is recognised by its content, not by a key printed in the page.

Public pages are cached whole (one page for every visitor), so a per-render key cannot tell
a double click from a second person. The same content (the same address, amount and account
for a gift; the same address for a signature) within ``WINDOW`` seconds is one submission:

- the first one to arrive claims it (``cache.add``, atomic in Redis) and goes through the
  rate limits and the service;
- every repeat gets the first one's idempotency key, so the service returns what the first
  one created: one row, one email, the same success page, and the repeats use none of the
  visitor's rate limit;
- if the first one was refused by a rate limit, the repeats are refused the same way.

Fingerprints are HMACs with the site's secret: the cache never holds an address or an IBAN.
"""

import logging
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.crypto import salted_hmac

logger = logging.getLogger(__name__)

WINDOW = 10 * 60  # seconds
LIMITED = "limited"


@dataclass(frozen=True)
class Submission:
    key: str  # the idempotency key of this content in this window (at most 64 characters)
    repeat: bool  # the same content came first
    limited: bool  # ...and was refused by a rate limit
    cache_key: str


def submission_claim(*, kind: str, content: Iterable[str], window: int = WINDOW) -> Submission:
    """Claim ``content`` (already normalised) for ``kind`` (e.g. "donations.gift")."""
    fingerprint = salted_hmac(
        f"core.submissions.{kind}", "\x00".join(content), algorithm="sha256"
    ).hexdigest()
    cache_key = f"submission:{kind}:{fingerprint[:40]}"
    key = f"{fingerprint[:32]}-{secrets.token_hex(8)}"
    try:
        if cache.add(cache_key, key, timeout=window):
            return Submission(key=key, repeat=False, limited=False, cache_key=cache_key)
        stored = cache.get(cache_key)
    except Exception:  # the cache is away: fall back to a key per content and time window
        logger.warning("Submission claims without the cache", exc_info=True)
        stored = None
    if stored is None:
        key = f"{fingerprint[:32]}-w{int(time.time() // window)}"
        return Submission(key=key, repeat=False, limited=False, cache_key=cache_key)
    return Submission(key=stored, repeat=True, limited=stored == LIMITED, cache_key=cache_key)


def submission_limited(submission: Submission, *, window: int = WINDOW) -> None:
    """The first submission was refused by a rate limit: its repeats will be too."""
    try:
        cache.set(submission.cache_key, LIMITED, timeout=window)
    except Exception:
        logger.warning("Submission claims without the cache", exc_info=True)
