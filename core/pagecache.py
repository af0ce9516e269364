"""The full-page cache for anonymous visitors.

:class:`PageCacheMiddleware` runs early, right after ``SecurityMiddleware`` and WhiteNoise
(so the HTTPS redirect and the security headers still apply to a cached page) and before
sessions, locale, CSRF and authentication: a page served from here costs at most one Redis
round trip and no database query.

- **What.** Only the URL names of ``PAGE_CACHE_URL_NAMES``, for ``GET``/``HEAD``, without a
  session cookie. A response is stored only when it is a 200, sets no cookie, carries no
  message, and does not say ``private``/``no-cache``/``no-store`` (``never_cache`` views,
  staff previews, confirmation and personal pages never are).
- **Key.** The validated host, the path (which holds the language) and the allow-listed,
  normalised query parameters (:data:`QUERY_RULES`); a request with any other parameter,
  a repeated one or a value out of shape bypasses the cache.
- **Lifetime.** Every entry carries the version of the ``pages`` namespace
  (:func:`pages_purge`, called by each app whenever what it shows changes: publication,
  banner, tiers, petitions); an entry of an older version is a miss. It lives at most
  ``PAGE_CACHE_SECONDS`` and never past the next moment a page changes without a save
  (a scheduled publication, a banner's start or end, a petition's opening or deadline),
  as told by the functions named in ``PAGE_CACHE_BOUNDARIES``. Past its lifetime it is
  served ``PAGE_CACHE_STALE_SECONDS`` more while the one process that claims it renders it
  again (never after a purge, never past a boundary).
- **Memory.** Each process keeps the pages it served (:class:`LocalPages`) and reads the
  ``pages`` version from Redis at most every ``PAGE_CACHE_LOCAL_SECONDS``: most hits cost
  no round trip at all.
- **Headers.** ``Cache-Control: public, max-age=0, s-maxage=<≤60>,
  stale-while-revalidate=<≤30>``: a CDN in front may keep it that long, browsers revalidate.
- **Fresh values.** A cached page cannot hold a per-visitor value. A template writes
  :func:`fresh_marker` instead (the time a form was shown, say), and every HTML response
  leaving here gets the marker replaced by a new value from the function named in
  ``PAGE_CACHE_FRESH_VALUES`` (a small uncached fragment, without JavaScript).
"""

import functools
import gzip
import hashlib
import logging
import math
import re
import struct
import time
import zlib

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import urlencode
from django.utils.module_loading import import_string
from django.utils.regex_helper import _lazy_re_compile
from django.utils.text import compress_string

from core.cache import namespace_bump, namespace_version

logger = logging.getLogger(__name__)

NAMESPACE = "pages"
VERSION_KEY = f"version:{NAMESPACE}"  # core.cache's key for the namespace's version
ENTRY_PREFIX = "page2:"  # changes with the entry's shape: an old entry is never read

# The query parameters a cacheable page may take, each with the shape its value must have.
QUERY_RULES = {
    "pays": re.compile(r"[A-Za-z]{2}"),
    "issue": re.compile(r"[a-z_]{1,32}"),
    "page": re.compile(r"[0-9]{1,6}"),
    "amount": re.compile(r"[0-9]{1,6}(?:[.,][0-9]{1,2})?"),
}
FRESH_PREFIX = "__fresh_value__"
ACCEPTS_GZIP = _lazy_re_compile(r"\bgzip\b")  # as django.middleware.gzip reads the header


# A gzip member is a header, raw deflate data, and the CRC-32 and size of what it holds.
# Pieces deflated apart join into one stream when each ends on a byte boundary without the
# final bit (Z_SYNC_FLUSH) and a final empty block closes it: a cached page's text is
# compressed once, and only the few bytes of its fresh values on each answer.
GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # no name, no time, any OS


def deflate_piece(data: bytes) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)


DEFLATE_END = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS).flush()


def gzip_join(pieces) -> bytes:
    """One gzip member from ``(raw, deflated)`` pieces, in order."""
    crc, size = 0, 0
    for raw, _deflated in pieces:
        crc, size = zlib.crc32(raw, crc), size + len(raw)
    body = b"".join(deflated for _raw, deflated in pieces)
    return GZIP_HEADER + body + DEFLATE_END + struct.pack("<II", crc, size & 0xFFFFFFFF)


def fresh_marker(name: str) -> str:
    """What a template writes where a value must be new on every response (see module)."""
    return f"{FRESH_PREFIX}{name}__"


def normalised_query(querydict, *, strict=True) -> str | None:
    """The allow-listed parameters, validated, sorted and encoded. When ``strict``, None if
    any other parameter, a repeated one, or a value out of shape is present; otherwise
    those are left out (for links that keep a page's filters)."""
    params = []
    for name, values in querydict.lists():
        rule = QUERY_RULES.get(name)
        if rule is None or len(values) != 1 or not rule.fullmatch(values[0]):
            if strict:
                return None
            continue
        value = values[0].upper() if name == "pays" else values[0].replace(",", ".")
        params.append((name, value))
    return urlencode(sorted(params))


class LocalPages:
    """The pages this process served lately, and the ``pages`` version it last read.

    A hit then costs no Redis round trip: the version is read again at most every
    ``PAGE_CACHE_LOCAL_SECONDS``, so a purge made by another process reaches this one
    within that time (and at once in the process that purged).
    """

    SIZE = 256  # entries; a page is ~5 to 15 KB compressed

    def __init__(self):
        self.forget()

    def forget(self) -> None:
        self.entries = {}
        self.version = None
        self.read_at = -math.inf

    def recent_version(self, seconds: float):
        """The version read less than ``seconds`` ago, or None."""
        if self.version is None or time.monotonic() - self.read_at >= seconds:
            return None
        return self.version

    def get(self, entry_key, seconds: float):
        """A live entry of the version read less than ``seconds`` ago, or None."""
        version = self.recent_version(seconds)
        if version is None:
            return None
        entry = self.entries.get(entry_key)
        if entry is None or entry[0] != version or entry[1] <= time.time():
            return None  # an expired one is looked up in Redis, where a new one may be
        return entry

    def version_read(self, version) -> None:
        if version != self.version:
            self.entries.clear()
            self.version = version
        self.read_at = time.monotonic()

    def remember(self, entry_key, entry) -> None:
        if entry[0] != self.version:
            return
        if len(self.entries) >= self.SIZE:
            self.entries.pop(next(iter(self.entries)))  # the oldest stored
        self.entries[entry_key] = entry


local_pages = LocalPages()


def pages_version_recent():
    """The ``pages`` version as this process read it less than ``PAGE_CACHE_LOCAL_SECONDS``
    ago, else read again from Redis; ``None`` when there is none to trust (the local
    memory off, Redis away or the version not made yet). A value a process keeps beside
    this version is as fresh as a page it serves from its own memory."""
    seconds = settings.PAGE_CACHE_LOCAL_SECONDS
    if not seconds:
        return None
    version = local_pages.recent_version(seconds)
    if version is not None:
        return version
    version = namespace_version(NAMESPACE) or None  # 0 while Redis is away
    if version is not None:
        local_pages.version_read(version)
    return version


def pages_purge() -> None:
    """Make every cached page stale now, and again when the current transaction commits."""
    local_pages.forget()
    namespace_bump(NAMESPACE)
    transaction.on_commit(lambda: (local_pages.forget(), namespace_bump(NAMESPACE)))


def next_boundary(now=None):
    """The next moment a page changes without a save (None when nothing is scheduled)."""
    now = now or timezone.now()
    moments = []
    for path in settings.PAGE_CACHE_BOUNDARIES:
        moment = import_string(path)(now)
        if moment is not None and moment > now:
            moments.append(moment)
    return min(moments, default=None)


def page_lifetimes(now=None) -> tuple[int, int]:
    """(lifetime, stale): the page lives min(PAGE_CACHE_SECONDS, seconds until the next
    boundary), 0 meaning do not store, and may then be served ``stale`` seconds more while
    it is rendered again, never past the boundary."""
    now = now or timezone.now()
    boundary = next_boundary(now)
    to_boundary = math.inf if boundary is None else math.floor((boundary - now).total_seconds())
    lifetime = max(0, int(min(settings.PAGE_CACHE_SECONDS, to_boundary)))
    stale = max(0, int(min(settings.PAGE_CACHE_STALE_SECONDS, to_boundary - lifetime)))
    return lifetime, stale


def page_lifetime(now=None) -> int:
    return page_lifetimes(now)[0]


def _url_name(path: str, language: str) -> str | None:
    with translation.override(language):
        try:
            match = resolve(path)
        except Resolver404:
            return None
    return match.view_name


def _storable(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in ("private", "no-cache", "no-store")):
        return False
    messages = getattr(request, "_messages", None)
    if messages is not None and (
        getattr(messages, "_queued_messages", None) or getattr(messages, "_loaded_data", None)
    ):
        return False
    return response.get("Content-Type", "").startswith("text/html")


def _cache_control(response, lifetime: int) -> None:
    patch_cache_control(
        response,
        public=True,
        max_age=0,
        s_maxage=min(60, lifetime),
        stale_while_revalidate=min(30, lifetime),
    )


@functools.lru_cache(maxsize=256)
def _cache_control_left(stored: str, left: int) -> str:
    """The stored ``Cache-Control`` with ``left`` seconds to live: worked out once per value
    (a page replayed a thousand times a second has at most 60 of them)."""
    response = HttpResponse()
    response["Cache-Control"] = stored
    _cache_control(response, left)
    return response["Cache-Control"]


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.fresh = {
            fresh_marker(name).encode(): path
            for name, path in settings.PAGE_CACHE_FRESH_VALUES.items()
        }
        # Splits a page into its texts and, at odd indexes, its fresh markers.
        self.markers = re.compile(b"(" + b"|".join(map(re.escape, self.fresh)) + b")")

    def __call__(self, request):
        key = self._key(request)
        if key is None:
            return self._fresh(self.get_response(request))
        entry_key = ENTRY_PREFIX + hashlib.sha256(key.encode()).hexdigest()
        entry, version = self._lookup(entry_key)
        if entry is not None:
            _version, expires, stale_until, headers, content, compressed = entry
            now = time.time()
            # Past its lifetime, the page is served as it was while one process (the one
            # that claims it) renders it again: no pile of renders when a busy page expires.
            if now < expires or (now < stale_until and not cache.add(entry_key + ":render", 1, 10)):
                return self._replay(request, headers, content, compressed, expires)
        response = self.get_response(request)
        if request.method == "GET" and _storable(request, response):
            self._store(request, response, entry_key, version)
        return self._fresh(response)

    def _lookup(self, entry_key):
        """(entry of the current version or None, version): from this process's memory
        when it read the version lately, else one Redis round trip."""
        seconds = settings.PAGE_CACHE_LOCAL_SECONDS
        if seconds and (entry := local_pages.get(entry_key, seconds)) is not None:
            return entry, entry[0]
        found = cache.get_many([VERSION_KEY, entry_key])
        version = found.get(VERSION_KEY)
        entry = found.get(entry_key)
        if version is None or entry is None or entry[0] != version:
            entry = None
        if seconds and version is not None:
            local_pages.version_read(version)
            if entry is not None:
                local_pages.remember(entry_key, entry)
        return entry, version

    def _key(self, request) -> str | None:
        if request.method not in ("GET", "HEAD") or len(request.path) > 300:
            return None
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return None
        query = normalised_query(request.GET)
        if query is None:
            return None
        try:
            host = request.get_host()
        except DisallowedHost:
            return None
        return f"{host}:{request.path}?{query}"

    def _store(self, request, response, entry_key, version) -> None:
        language = translation.get_language_from_path(request.path_info) or (settings.LANGUAGE_CODE)
        if _url_name(request.path_info, language) not in settings.PAGE_CACHE_URL_NAMES:
            return
        lifetime, stale = page_lifetimes()
        if lifetime < 1:
            return
        if version is None:
            version = namespace_version(NAMESPACE)
        _cache_control(response, lifetime)
        patch_vary_headers(response, ("Accept-Encoding",))  # stored with it
        headers = [
            (k, v) for k, v in response.items() if k.lower() not in ("set-cookie", "content-length")
        ]
        content = response.content
        # Stored compressed once, not on every hit: a cached page holds no secret (no CSRF
        # token, nothing per visitor), so it needs none of the random padding Django's
        # GZipMiddleware adds against BREACH. A page with fresh values keeps its texts
        # deflated apart, joined on each answer around the new values (gzip_join).
        # A page without fresh values is stored compressed only (a fifth of the bytes to
        # read from Redis on every hit), and decompressed for the rare client without gzip.
        if self.fresh and FRESH_PREFIX.encode() in content:
            compressed = [deflate_piece(text) for text in self.markers.split(content)[0::2]]
        else:
            content, compressed = None, compress_string(content)
        expires = time.time() + lifetime
        entry = (version, expires, expires + stale, headers, content, compressed)
        cache.set(entry_key, entry, lifetime + stale)
        cache.delete(entry_key + ":render")
        if settings.PAGE_CACHE_LOCAL_SECONDS:
            local_pages.remember(entry_key, entry)

    def _replay(self, request, headers, content, compressed, expires):
        gzipped = bool(ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))
        if gzipped and isinstance(compressed, bytes):
            body = compressed
        elif gzipped and isinstance(compressed, list):
            body = self._gzip_fresh(content, compressed)
        else:
            gzipped, body = False, content if content is not None else gzip.decompress(compressed)
        response = HttpResponse(b"" if request.method == "HEAD" else body)
        for name, value in headers:
            response[name] = value
        response["Content-Length"] = str(len(body))
        if gzipped:
            response["Content-Encoding"] = "gzip"
        left = max(1, math.floor(expires - time.time()))
        response["Cache-Control"] = _cache_control_left(response.get("Cache-Control", ""), left)
        response["X-Page-Cache"] = "hit"
        return response if gzipped else self._fresh(response)

    def _gzip_fresh(self, content, deflated_texts):
        """The page compressed with new fresh values: only the values are deflated now."""
        parts = self.markers.split(content)
        pieces = []
        for index, part in enumerate(parts):
            if index % 2:
                value = import_string(self.fresh[part])().encode()
                pieces.append((value, deflate_piece(value)))
            else:
                pieces.append((part, deflated_texts[index // 2]))
        return gzip_join(pieces)

    def _fresh(self, response):
        """Put new values where the page holds fresh markers."""
        if response.streaming or not self.fresh:
            return response
        content = response.content
        if FRESH_PREFIX.encode() not in content:
            return response
        for marker, path in self.fresh.items():
            if marker in content:
                content = content.replace(marker, import_string(path)().encode())
        response.content = content
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(content))
        return response
