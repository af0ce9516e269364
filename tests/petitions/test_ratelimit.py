"""core.ratelimit: a fixed window per key in the shared cache, with no key in clear."""

from django.core.cache import cache

from core.ratelimit import RateLimit, hit_all


def test_a_key_is_allowed_up_to_the_limit_within_one_window():
    limit = RateLimit("t", limit=3, window=60)
    assert [limit.hit("k", now=120.0) for _ in range(4)] == [True, True, True, False]


def test_the_next_window_starts_again_from_zero():
    limit = RateLimit("t", limit=1, window=60)
    assert limit.hit("k", now=100.0)
    assert not limit.hit("k", now=110.0)
    assert limit.hit("k", now=180.0)


def test_keys_and_limits_are_counted_apart():
    minute = RateLimit("minute", limit=1, window=60)
    assert minute.hit("a", now=0.0)
    assert minute.hit("b", now=0.0)
    assert RateLimit("other", limit=1, window=60).hit("a", now=0.0)


def test_every_limit_counts_the_hit_even_when_one_refuses():
    short = RateLimit("short", limit=1, window=60)
    long = RateLimit("long", limit=5, window=3600)
    assert hit_all([short, long], "k", now=0.0)
    assert not hit_all([short, long], "k", now=1.0)
    assert cache.get(long.cache_key("k", 1.0)) == 2


def test_the_cache_key_never_holds_the_address_in_clear():
    key = RateLimit("petitions.sign.ip.minute", limit=1, window=60).cache_key("203.0.113.7", 0.0)
    assert "203.0.113.7" not in key
    assert key.startswith("rl:petitions.sign.ip.minute:0:")
