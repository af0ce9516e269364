from django.test import RequestFactory

from core.http import client_ip, ip_bucket


def request_from(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = 0
    assert client_ip(request_from("10.0.0.1", "6.6.6.6")) == "10.0.0.1"


def test_with_one_trusted_proxy_the_last_forwarded_address_is_the_client(settings):
    settings.TRUSTED_PROXIES = 1
    request = request_from("10.0.0.1", "6.6.6.6, 203.0.113.7")
    assert client_ip(request) == "203.0.113.7"


def test_ipv6_is_counted_per_64_and_ipv4_per_address():
    assert ip_bucket("2001:db8:1:2:aaaa::1") == ip_bucket("2001:db8:1:2:bbbb::9")
    assert ip_bucket("2001:db8:1:2::1") != ip_bucket("2001:db8:1:3::1")
    assert ip_bucket("203.0.113.7") == "203.0.113.7"
