"""The client's address, as far as we can trust it."""

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    """``REMOTE_ADDR``, unless ``TRUSTED_PROXIES`` says how many proxies of ours to trust.

    With N trusted proxies the client is the N-th address from the right of
    ``X-Forwarded-For`` (each proxy appends the address it received from). A header
    anyone can forge is never read when ``TRUSTED_PROXIES`` is 0.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXIES
    if hops:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= hops:
            remote = forwarded[-hops]
    return remote


def ip_bucket(address: str) -> str:
    """The unit limits count: the address for IPv4, its /64 network for IPv6."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "invalid"
    if ip.version == 6:
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)
