"""Versioned cache keys: bump a namespace's version and every key built from it is stale.

``cache.incr`` is atomic on Redis; a missing version starts from the clock, so a version
lost to eviction never comes back to an old value still in the cache.
"""

import time

from django.core.cache import cache

from core.redis_cache import CacheUnavailable


def _version_key(namespace: str) -> str:
    return f"version:{namespace}"


def namespace_version(namespace: str) -> int:
    key = _version_key(namespace)
    version = cache.get(key)
    if version is None:
        cache.add(key, time.time_ns() // 1000, timeout=None)
        version = cache.get(key)
    return int(version or 0)


def namespace_bump(namespace: str) -> None:
    """Make every key of ``namespace`` stale at once."""
    key = _version_key(namespace)
    try:
        cache.incr(key)
    except ValueError:
        cache.add(key, time.time_ns() // 1000, timeout=None)
    except CacheUnavailable:
        pass  # kept by the cache backend and sent again once Redis answers


def versioned_key(namespace: str, *parts) -> str:
    return ":".join([namespace, str(namespace_version(namespace)), *map(str, parts)])
