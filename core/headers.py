"""The security headers every answer carries, static files included.

- ``Content-Security-Policy`` (django-csp 4, policy in ``CONTENT_SECURITY_POLICY``): files
  from our own origin only, no inline script or style, no nonce (public pages are cached
  whole, so a page holds nothing per request). The admin gets the same policy plus the
  hashes of the inline pieces Django's admin templates still carry, computed from those
  templates at start, so a Django upgrade that changes them changes the hashes too.
- ``Permissions-Policy`` denying the powerful browser features the site never uses.

Both middlewares sit right after ``SecurityMiddleware`` and before WhiteNoise, so static
files and pages replayed by the full-page cache get the same headers.
"""

import base64
import hashlib
import re
from functools import cache
from pathlib import Path

import django.contrib.admin
from csp.constants import HEADER
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpResponse

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "ambient-light-sensor",
        "autoplay",
        "bluetooth",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)

# The admin templates whose inline <style> cannot go (Django's own).
ADMIN_INLINE_STYLES = ("admin/change_list.html",)
_STYLE = re.compile(r"<style>(.*?)</style>", re.S)


def csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


@cache
def admin_style_hashes() -> tuple[str, ...]:
    """The CSP hash of each inline ``<style>`` in the admin templates we rely on."""
    templates = Path(django.contrib.admin.__file__).parent / "templates"
    hashes = []
    for name in ADMIN_INLINE_STYLES:
        hashes += [csp_hash(block) for block in _STYLE.findall((templates / name).read_text())]
    return tuple(hashes)


def is_admin(request) -> bool:
    return request.path_info.startswith("/" + settings.ADMIN_URL)


# What a view or a template can set to make one answer's policy differ (django-csp's
# decorators and the nonce).
PER_RESPONSE_ATTRIBUTES = tuple(
    f"_csp_{name}{suffix}"
    for name in ("config", "update", "replace", "exempt")
    for suffix in ("", "_ro")
)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's few hashed inline styles added.

    The policy holds nothing per request (no nonce), so the headers of an ordinary answer
    are built once per process and set as they are: django-csp rebuilt them on every
    answer, a fifth of the time of a page served from the full-page cache. An answer
    that could differ (the admin, a nonce used, a view's own policy) goes through
    django-csp as before.
    """

    def __init__(self, get_response):
        super().__init__(get_response)
        self._headers = None

    def process_response(self, request, response):
        if HEADER in response:  # never overwritten (as django-csp)
            return response
        if settings.DEBUG or not self._ordinary(request, response):
            return super().process_response(request, response)
        if self._headers is None:
            built = super().process_response(request, HttpResponse())
            self._headers = [
                (k, v) for k, v in built.items() if k.lower().startswith("content-security")
            ]
        for name, value in self._headers:
            response.headers.setdefault(name, value)
        # As django-csp: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    @staticmethod
    def _ordinary(request, response) -> bool:
        return (
            getattr(request, "_csp_nonce", None) is None
            and not is_admin(request)
            and not any(hasattr(response, name) for name in PER_RESPONSE_ATTRIBUTES)
        )

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if is_admin(request) and not report_only:
            update = dict(parts.update or {})
            update["style-src"] = list(admin_style_hashes())
            parts.update = update
        return parts


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
