"""Test clients and helpers for staff logins with their second factor."""

from django.test import Client


def verified_device_for(user):
    """A confirmed TOTP device for ``user`` (created once)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="tests", confirmed=True)


def totp_now(device) -> str:
    """The code the device's authenticator app shows now (computed from its secret)."""
    from django_otp.oath import totp

    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


class SecondFactorClient(Client):
    """Django's test client whose ``force_login`` of a staff member also gives the second
    factor, as the two-step login would: the session holds a confirmed device. Tests of the
    second step itself use ``django.test.Client`` (or ``unverified_client``)."""

    def force_login(self, user, backend=None):
        from django_otp import DEVICE_ID_SESSION_KEY

        super().force_login(user, backend)
        if user.is_staff:
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = verified_device_for(user).persistent_id
            session.save()
