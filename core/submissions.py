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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.crypto import salted_hmac

from core.ratelimit import RateLimit, hit_all
from core.redis_cache import CacheUnavailable

logger = logging.getLogger(__name__)

WINDOW = 10 * 60  # seconds
LIMITED = "limited"


@dataclass(frozen=True)
class Submission:
    key: str  # the idempotency key of this content in this window (at most 64 characters)
    repeat: bool  # the same content came first
    limited: bool  # ...and was refused by a rate limit
    cache_key: str


def _fingerprint(kind: str, content: Iterable[str]) -> tuple[str, str, str]:
    """(fingerprint, the claim's cache key, a new idempotency key) of ``content``."""
    fingerprint = salted_hmac(
        f"core.submissions.{kind}", "\x00".join(content), algorithm="sha256"
    ).hexdigest()
    return (
        fingerprint,
        f"submission:{kind}:{fingerprint[:40]}",
        f"{fingerprint[:32]}-{secrets.token_hex(8)}",
    )


def submission_claim(*, kind: str, content: Iterable[str], window: int = WINDOW) -> Submission:
    """Claim ``content`` (already normalised) for ``kind`` (e.g. "donations.gift")."""
    fingerprint, cache_key, key = _fingerprint(kind, content)
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


def submission_claim_counted(
    *,
    kind: str,
    content: Iterable[str],
    limits: Sequence[tuple[Sequence[RateLimit], str]],
    window: int = WINDOW,
) -> tuple[Submission, Sequence[RateLimit] | None]:
    """:func:`submission_claim`, then, for a first submission only, each group of
    ``limits`` (``(limits, key)``, as :func:`core.ratelimit.hit_all` counts them) in turn,
    until one refuses: that group is returned and the claim marked (:func:`submission_limited`).

    On Redis it is one round trip (``ResilientRedisCache.claim_and_count``, a script: the
    claim and the counts cannot be told apart from the three calls). Without it, or while
    it is away, the three calls, each with its own fallback."""
    content = list(content)
    claim_and_count = getattr(cache, "claim_and_count", None)
    if claim_and_count is not None:
        now = time.time()
        fingerprint, cache_key, key = _fingerprint(kind, content)
        groups = [
            [(limit.cache_key(hit, now), limit.limit, limit.window + 5) for limit in group]
            for group, hit in limits
        ]
        try:
            outcome, detail = claim_and_count(cache_key, key, window, LIMITED, groups)
        except CacheUnavailable:
            pass
        else:
            if outcome == "claimed":
                return Submission(key=key, repeat=False, limited=False, cache_key=cache_key), None
            if outcome == "refused":
                submission = Submission(key=key, repeat=False, limited=False, cache_key=cache_key)
                return submission, limits[detail][0]
            if detail is not None:
                repeat = Submission(
                    key=detail, repeat=True, limited=detail == LIMITED, cache_key=cache_key
                )
                return repeat, None
    submission = submission_claim(kind=kind, content=content, window=window)
    if submission.repeat:
        return submission, None
    for group, hit in limits:
        if not hit_all(group, hit):
            submission_limited(submission, window=window)
            return submission, group
    return submission, None
