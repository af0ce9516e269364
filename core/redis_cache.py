"""The shared Redis cache, made safe to lose: every ``cache.*`` call of the site goes here.

Settings name :class:`ResilientRedisCache` for any ``redis://`` ``CACHE_URL``, so the whole
site gets, without any caller knowing:

- **a short timeout**: connecting, reading and writing give up after
  :data:`SOCKET_TIMEOUT` seconds (100 ms), so a hung Redis (it accepts and never answers)
  costs a request at most that per call, never a worker;
- **a per-process circuit breaker**: after :data:`FAILURES_TO_OPEN` failures in a row the
  process stops calling Redis for :data:`OPEN_SECONDS`, then lets one call through to
  probe it; while open, every call answers at once;
- **degraded answers** instead of errors: a read is a miss (``get`` gives the default, so
  the page is built from the database), a write is dropped, and ``incr`` raises
  :class:`CacheUnavailable` so a caller that needs a shared count (the rate limits) can
  fall back on its own;
- **invalidations replayed**: a ``delete`` or a version bump (``incr`` of ``version:*``)
  that could not reach Redis is kept (bounded) and sent again on the first call that
  reaches it, so a page changed during an outage is not served stale once Redis is back.
"""

import logging
import threading
import time
from collections import deque

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

SOCKET_TIMEOUT = 0.1  # seconds, for connecting and for each reply
FAILURES_TO_OPEN = 3
OPEN_SECONDS = 5.0
REPLAY_LIMIT = 1000

# What "Redis is not there" looks like: refused, reset, unreachable, or too slow.
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)


class CacheUnavailable(Exception):
    """The shared cache could not be reached (or the circuit is open)."""


class CircuitBreaker:
    """Failures in a row open the circuit for a while; one probe closes it again."""

    def __init__(self, *, failures_to_open=FAILURES_TO_OPEN, open_seconds=OPEN_SECONDS):
        self.failures_to_open = failures_to_open
        self.open_seconds = open_seconds
        self.failures = 0
        self.opened_at = None  # monotonic time, while open
        self.probing = False
        self.lock = threading.Lock()
        self.missed = deque(maxlen=REPLAY_LIMIT)  # invalidations to send again

    @property
    def is_open(self) -> bool:
        return self.opened_at is not None

    def allow(self) -> bool:
        """May a call go to Redis now? While open, only one probe after the pause."""
        with self.lock:
            if self.opened_at is None:
                return True
            if self.probing or time.monotonic() - self.opened_at < self.open_seconds:
                return False
            self.probing = True
            return True

    def succeeded(self) -> bool:
        """Record a success; True when this closed the circuit or followed failures."""
        with self.lock:
            recovered = self.failures > 0 or self.opened_at is not None
            self.failures = 0
            self.opened_at = None
            self.probing = False
            return recovered

    def failed(self) -> None:
        with self.lock:
            self.failures += 1
            self.probing = False
            if self.opened_at is not None or self.failures >= self.failures_to_open:
                if self.opened_at is None:
                    logger.warning("Cache unreachable: circuit open for %ss", self.open_seconds)
                self.opened_at = time.monotonic()


# One breaker per Redis location and per process (Django makes a backend per thread).
_breakers: dict[str, CircuitBreaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(location: str) -> CircuitBreaker:
    with _breakers_lock:
        return _breakers.setdefault(location, CircuitBreaker())


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client makes a new ``redis.Redis`` object for every call, which builds its
    table of ~200 reply callbacks each time (measurable on every cached page). A client is
    thread-safe over its connection pool, so one per pool serves every call."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._client(connection_pool=self._get_connection_pool(write))
            self._clients[index] = client
        return client


# KEYS[1]: the claim; KEYS[2..]: the counters, group after group. ARGV: the claim's value,
# its seconds, the refused marker, the number of groups, each group's size, then each
# counter's limit and seconds.
CLAIM_AND_COUNT = """
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[2]) then
  return {'repeat', redis.call('GET', KEYS[1])}
end
local groups = tonumber(ARGV[4])
local arg = 5 + groups
local key = 2
for group = 1, groups do
  local over = false
  for _ = 1, tonumber(ARGV[4 + group]) do
    local count = redis.call('INCR', KEYS[key])
    redis.call('EXPIRE', KEYS[key], ARGV[arg + 1], 'NX')
    if count > tonumber(ARGV[arg]) then over = true end
    key = key + 1
    arg = arg + 2
  end
  if over then
    redis.call('SET', KEYS[1], ARGV[3], 'EX', ARGV[2])
    return {'refused', group}
  end
end
return {'claimed'}
"""


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        params = {**params, "OPTIONS": dict(params.get("OPTIONS") or {})}
        options = params["OPTIONS"]
        options.setdefault("socket_connect_timeout", SOCKET_TIMEOUT)
        options.setdefault("socket_timeout", SOCKET_TIMEOUT)
        options.setdefault("retry_on_timeout", False)
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        self.breaker = breaker_for(str(server))
        self._claim_script = None

    def _call(self, name, *args, fallback, remember=False, **kwargs):
        method = getattr(super(), name)
        missed = (name, args, kwargs) if remember else None
        return self._call_function(
            lambda: method(*args, **kwargs), fallback=fallback, missed=missed
        )

    def _call_function(self, function, *, fallback, missed=None):
        """Call Redis through the breaker; ``missed`` is an invalidation to send again."""
        if not self.breaker.allow():
            if missed:
                self.breaker.missed.append(missed)
            return fallback()
        try:
            result = function()
        except UNAVAILABLE as exc:
            self.breaker.failed()
            if missed:
                self.breaker.missed.append(missed)
            logger.info("Cache call failed: %s", type(exc).__name__)
            return fallback()
        if self.breaker.succeeded():
            self._replay()
        return result

    def _replay(self):
        """Send again the invalidations missed while Redis was away."""
        missed = self.breaker.missed
        while missed:
            name, args, kwargs = missed.popleft()
            try:
                getattr(super(), name)(*args, **kwargs)
            except ValueError:  # incr of a version that no longer exists: nothing stale
                continue
            except UNAVAILABLE:
                missed.appendleft((name, args, kwargs))
                self.breaker.failed()
                return

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version, fallback=lambda: default)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version, fallback=dict)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version, fallback=lambda: False)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout, version, fallback=lambda: False)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout, version, fallback=lambda: None)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout, version, fallback=lambda: list(data))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout, version, fallback=lambda: False)

    def delete(self, key, version=None):
        return self._call("delete", key, version, fallback=lambda: False, remember=True)

    def delete_many(self, keys, version=None):
        keys = list(keys)
        return self._call("delete_many", keys, version, fallback=lambda: None, remember=True)

    def clear(self):
        return self._call("clear", fallback=lambda: False)

    def count_hits(self, windows):
        """Count one hit on each ``(key, seconds)`` counter in one round trip: ``INCR``,
        then ``EXPIRE … NX`` so a counter lives ``seconds`` from its first hit. Returns the
        counts; raises :class:`CacheUnavailable` when Redis cannot count."""
        windows = [(self.make_and_validate_key(key), seconds) for key, seconds in windows]

        def unavailable():
            raise CacheUnavailable(windows[0][0] if windows else "")

        def send():
            pipe = self._cache.get_client(write=True).pipeline(transaction=False)
            for key, seconds in windows:
                pipe.incr(key)
                pipe.expire(key, seconds, nx=True)
            return pipe.execute()[::2]

        return self._call_function(send, fallback=unavailable)

    def claim_and_count(self, claim, value, seconds, refused, groups):
        """``core.submissions.submission_claim_counted`` in one round trip (a Lua script,
        atomic): claim ``claim`` (``SET NX``, ``seconds``); if it was taken, return
        ``("repeat", stored value)``; else count each group of ``(key, limit, seconds)``
        counters in turn as ``count_hits`` does, and at the first group with a counter past
        its limit store ``refused`` in the claim and return ``("refused", group index)``;
        else ``("claimed", None)``. Raises :class:`CacheUnavailable` when Redis cannot."""
        serializer = self._cache._serializer
        keys = [self.make_and_validate_key(claim)]
        args = [serializer.dumps(value), seconds, serializer.dumps(refused), len(groups)]
        args += [len(group) for group in groups]
        for group in groups:
            for key, limit, counter_seconds in group:
                keys.append(self.make_and_validate_key(key))
                args += [limit, counter_seconds]

        def unavailable():
            raise CacheUnavailable(keys[0])

        def send():
            client = self._cache.get_client(write=True)
            if self._claim_script is None:  # EVALSHA, loaded by the first call (EVAL)
                self._claim_script = client.register_script(CLAIM_AND_COUNT)
            return self._claim_script(keys=keys, args=args, client=client)

        answer = self._call_function(send, fallback=unavailable)
        outcome = answer[0].decode()
        if outcome == "repeat":
            return outcome, serializer.loads(answer[1]) if len(answer) > 1 else None
        if outcome == "refused":
            return outcome, int(answer[1]) - 1
        return outcome, None

    def incr(self, key, delta=1, version=None):
        def unavailable():
            raise CacheUnavailable(key)

        remember = str(key).startswith("version:")
        return self._call("incr", key, delta, version, fallback=unavailable, remember=remember)
