"""Fixed-window rate limits kept in the shared cache, so every web process sees them.

A limit counts hits of one key (a client network, an email address) in windows of
``window`` seconds: ``cache.add`` opens the window's counter, ``cache.incr`` counts
atomically (Redis ``INCR``). Keys are HMACs with the site's secret: the cache never holds
an address or an email in clear.
"""

import time
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.crypto import salted_hmac


@dataclass(frozen=True)
class RateLimit:
    name: str  # e.g. "petitions.sign.ip.minute"
    limit: int  # hits allowed per window
    window: int  # seconds

    def cache_key(self, key: str, now: float) -> str:
        digest = salted_hmac("core.ratelimit", f"{self.name}\x00{key}").hexdigest()[:32]
        return f"rl:{self.name}:{int(now // self.window)}:{digest}"

    def hit(self, key: str, *, now: float | None = None) -> bool:
        """Count one hit of ``key``; True while it stays within the limit."""
        now = time.time() if now is None else now
        cache_key = self.cache_key(key, now)
        # The counter lives a little longer than its window: a late incr still finds it.
        cache.add(cache_key, 0, timeout=self.window + 5)
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.add(cache_key, 1, timeout=self.window + 5)
            count = 1
        return count <= self.limit


def hit_all(limits, key: str, *, now: float | None = None) -> bool:
    """Count one hit against each limit (all of them, always); True if none is exceeded."""
    results = [limit.hit(key, now=now) for limit in limits]
    return all(results)
