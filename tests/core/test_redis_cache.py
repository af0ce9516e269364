"""The cache backend every ``cache.*`` call goes through: short timeouts, a circuit breaker,
degraded answers, and the invalidations it missed sent again."""

import time

import pytest
from django.conf import settings

from core.redis_cache import CacheUnavailable, ResilientRedisCache, breaker_for


def backend(port):
    return ResilientRedisCache(f"redis://127.0.0.1:{port}/0", {})


@pytest.mark.parametrize("port_fixture", ["closed_port", "silent_port"])
def test_a_missing_redis_reads_as_a_miss_and_writes_nothing(request, port_fixture):
    cache = backend(request.getfixturevalue(port_fixture))

    started = time.monotonic()
    assert cache.get("key", "default") == "default"
    assert cache.set("key", 1) is None
    assert cache.add("key", 1) is False
    assert cache.get_many(["a", "b"]) == {}
    assert cache.delete("key") is False
    with pytest.raises(CacheUnavailable):
        cache.incr("counter")
    # A hung server costs each call its 100 ms timeout at most, never a worker.
    assert time.monotonic() - started < 3


def test_three_failures_open_the_circuit_and_calls_stop_reaching_redis(silent_port):
    cache = backend(silent_port)
    breaker = cache.breaker
    for _ in range(3):
        cache.get("key")
    assert breaker.is_open

    started = time.monotonic()
    for _ in range(100):
        assert cache.get("key") is None
    assert time.monotonic() - started < 0.5  # no call waited for the hung server


def test_the_circuit_lets_one_probe_through_after_the_pause(closed_port):
    cache = backend(closed_port)
    breaker = cache.breaker
    for _ in range(3):
        cache.get("key")
    assert not breaker.allow()
    breaker.opened_at -= breaker.open_seconds + 1
    assert breaker.allow()  # the probe
    assert not breaker.allow()  # and only one at a time
    breaker.failed()
    assert breaker.is_open and not breaker.allow()


def test_the_site_cache_uses_the_resilient_backend_with_redis():
    if "redis" not in settings.CACHES["default"]["BACKEND"].lower():
        pytest.skip("needs Redis as the cache: set CACHE_URL=redis://127.0.0.1:6379/1")
    assert settings.CACHES["default"]["BACKEND"] == "core.redis_cache.ResilientRedisCache"
    pool_options = ResilientRedisCache(
        settings.CACHES["default"]["LOCATION"], {}
    )._cache._pool_options
    assert pool_options["socket_timeout"] <= 0.1
    assert pool_options["socket_connect_timeout"] <= 0.1


@pytest.mark.redis
def test_an_invalidation_missed_while_redis_was_away_is_sent_again():
    location = settings.CACHES["default"]["LOCATION"]
    cache = ResilientRedisCache(location, {})
    cache.set("page", "old")
    cache.set("version:cases", 10)
    breaker = breaker_for(location)
    try:
        for _ in range(3):
            breaker.failed()  # as if three calls had timed out
        cache.delete("page")
        with pytest.raises(CacheUnavailable):
            cache.incr("version:cases")
        assert breaker.is_open

        breaker.opened_at -= breaker.open_seconds + 1
        assert cache.get("other") is None  # the probe reaches Redis, which answers
        assert not breaker.is_open
        assert cache.get("page") is None
        assert cache.get("version:cases") == 11
    finally:
        breaker.succeeded()
        breaker.missed.clear()


@pytest.mark.redis
def test_one_redis_client_serves_every_call_of_a_process():
    cache = ResilientRedisCache(settings.CACHES["default"]["LOCATION"], {})
    cache.set("a", 1)
    client = cache._cache.get_client(write=True)
    cache.get("a")
    cache.delete("a")
    assert cache._cache.get_client(write=True) is client


@pytest.mark.redis
def test_hits_on_several_counters_are_counted_in_one_call_and_expire():
    cache = ResilientRedisCache(settings.CACHES["default"]["LOCATION"], {})
    cache.delete_many(["rl:a", "rl:b"])
    assert cache.count_hits([("rl:a", 60), ("rl:b", 3600)]) == [1, 1]
    assert cache.count_hits([("rl:a", 60), ("rl:b", 3600)]) == [2, 2]
    client = cache._cache.get_client(write=True)
    # The lifetime is set by the first hit, never pushed back by the next ones.
    assert 0 < client.ttl(cache.make_key("rl:a")) <= 60
    assert 3500 < client.ttl(cache.make_key("rl:b")) <= 3600
    assert cache.get("rl:a") == 2


def test_counting_hits_without_redis_says_the_cache_is_unavailable(closed_port):
    with pytest.raises(CacheUnavailable):
        backend(closed_port).count_hits([("rl:a", 60)])
