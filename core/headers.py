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
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings

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


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's few hashed inline styles added."""

    def process_response(self, request, response):
        # A page replayed by the full-page cache carries the policy it was stored with
        # (django-csp never overwrites a header): no need to build it again.
        if HEADER in response:
            return response
        return super().process_response(request, response)

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
