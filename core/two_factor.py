"""A second factor for every staff account: TOTP (django-otp) and single-use recovery codes.

- After the password (locked by django-axes after 5 failures per account and address), a
  staff member types the 6-digit code of their authenticator app, or one recovery code.
  A staff member without a device enrols first: a QR code and its secret, confirmed by a code.
- The check is made on every admin request (``core.admin_site.AdminSite.has_permission``),
  not only at login: a session whose second factor was not given reaches no admin page.
- The second step is throttled: a few codes per account in 15 minutes (``core.ratelimit``),
  on top of django-otp's own growing delay after each wrong code.
- ``OTP_SKIP_DEMO_ACCOUNTS`` lets the demo accounts (``@demo.invalid``) skip it in
  development only; ``check --deploy`` refuses it, and it does nothing with debug off.
"""

import logging
from base64 import b32encode

import segno
from django.conf import settings
from django.core.checks import Error, Tags, register
from django.db import transaction
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.ratelimit import RateLimit

logger = logging.getLogger(__name__)

RECOVERY_CODES = 10
RECOVERY_DEVICE_NAME = "recovery"
TOTP_DEVICE_NAME = "authenticator"
DEMO_EMAIL_DOMAIN = "@demo.invalid"
SECOND_STEP = RateLimit("staff.otp.account", limit=5, window=15 * 60)


def demo_account_skips(user) -> bool:
    """A demo account in development, with ``OTP_SKIP_DEMO_ACCOUNTS`` on: no second factor."""
    return bool(
        settings.OTP_SKIP_DEMO_ACCOUNTS
        and settings.DEBUG
        and (user.email or "").lower().endswith(DEMO_EMAIL_DOMAIN)
    )


def second_factor_done(request) -> bool:
    user = request.user
    if not user.is_active or not user.is_staff:
        return False
    # OTPMiddleware gives the request's user ``is_verified``; a user just logged in by the
    # password step has not been through it yet: not verified.
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified()) or demo_account_skips(user)


def has_device(user) -> bool:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def enrolment_device(user) -> TOTPDevice:
    """The unconfirmed TOTP device being enrolled (the same one until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def device_secret(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it by hand (base32, no padding)."""
    return b32encode(device.bin_key).decode().rstrip("=")


def device_qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// address as a QR code (an SVG data: URI, allowed by the policy)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def second_step_allowed(user) -> bool:
    """Count one attempt at the second step; False once the account has used its share."""
    return SECOND_STEP.hit(str(user.pk))


def code_verify(request, code: str) -> bool:
    """Check a TOTP code or a recovery code; on success the session is verified."""
    code = "".join(code.split()).lower()
    if not code or len(code) > 16:
        return False
    device = match_token(request.user, code)
    if device is None:
        logger.warning("Second factor refused for staff account %s", request.user.pk)
        return False
    otp_login(request, device)
    return True


@transaction.atomic
def device_confirm(request, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm an enrolling device with a code it shows; return fresh recovery codes."""
    code = "".join(code.split())
    if not code.isdigit() or not device.verify_token(code):
        return None
    TOTPDevice.objects.filter(user=device.user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    return recovery_codes_new(device.user)


@transaction.atomic
def recovery_codes_new(user) -> list[str]:
    """Replace the account's recovery codes with ten new single-use ones."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def devices_reset(user) -> None:
    """A lost phone: remove every device, so the next login enrols a new one."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


@register(Tags.security, deploy=True)
def check_no_demo_skip_in_production(app_configs, **kwargs):
    if settings.OTP_SKIP_DEMO_ACCOUNTS:
        return [
            Error(
                "OTP_SKIP_DEMO_ACCOUNTS is on: demo accounts would reach the admin without "
                "a second factor.",
                hint="Unset OTP_SKIP_DEMO_ACCOUNTS (it is for development with demo data only).",
                id="core.E010",
            )
        ]
    return []
