"""Fixed-window rate limits kept in the shared cache, so every web process sees them.

A limit counts hits of one key (a client network, an email address) in windows of
``window`` seconds: ``cache.add`` opens the window's counter, ``cache.incr`` counts
atomically (Redis ``INCR``). Keys are HMACs with the site's secret: the cache never holds
an address or an email in clear.

When the shared cache cannot count (Redis down, hung, or its circuit open), each process
counts alone, in memory, with the same limits: the site keeps taking signatures and gifts
during an outage (failing closed would turn every visitor away on 10 December), while a
flood from one network or one address is still stopped, at worst after the limit times
the number of worker processes. It "fails open" only by that factor.
"""

import threading
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.crypto import salted_hmac

from core.redis_cache import CacheUnavailable

_local_counts: dict[str, tuple[int, float]] = {}  # cache key -> (hits, expires at)
_local_lock = threading.Lock()
LOCAL_KEYS_MAX = 100_000


def _local_incr(cache_key: str, timeout: int, now: float) -> int:
    """Count a hit in this process only (the fallback while the shared cache is away)."""
    with _local_lock:
        if len(_local_counts) >= LOCAL_KEYS_MAX:
            for key in [k for k, (_n, expires) in _local_counts.items() if expires <= now]:
                del _local_counts[key]
            if len(_local_counts) >= LOCAL_KEYS_MAX:
                _local_counts.clear()
        count, expires = _local_counts.get(cache_key, (0, now + timeout))
        if expires <= now:
            count, expires = 0, now + timeout
        _local_counts[cache_key] = (count + 1, expires)
        return count + 1


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
        return hit_all((self,), key, now=now)


def _count_one(cache_key: str, timeout: int) -> int:
    """One counter through the plain cache API (caches other than Redis: tests, SQLite)."""
    cache.add(cache_key, 0, timeout=timeout)
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=timeout)
        return 1


def hit_all(limits, key: str, *, now: float | None = None) -> bool:
    """Count one hit against each limit (all of them, always); True if none is exceeded.

    On Redis the counters of every limit go in one round trip (``count_hits``). A counter
    lives a little longer than its window, so a late hit still finds it."""
    now = time.time() if now is None else now
    windows = [(limit.cache_key(key, now), limit.window + 5) for limit in limits]
    count_hits = getattr(cache, "count_hits", None)
    try:
        if count_hits is not None:
            counts = count_hits(windows)
        else:
            counts = [_count_one(cache_key, timeout) for cache_key, timeout in windows]
    except CacheUnavailable:
        counts = [_local_incr(cache_key, timeout, now) for cache_key, timeout in windows]
    return all(count <= limit.limit for count, limit in zip(counts, limits, strict=True))
