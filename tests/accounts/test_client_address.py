"""The one client address every per-address limit uses (accounts/network.py)."""

from django.test import RequestFactory

from accounts.network import address_group, client_address


def request_with(**meta):
    return RequestFactory().get("/", **meta)


def test_without_a_configured_header_the_address_is_remote_addr(settings):
    settings.HAVEN_CLIENT_IP_HEADER = ""
    request = request_with(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert client_address(request) == "10.0.0.2"


def test_behind_the_proxy_the_right_most_entry_is_the_client_not_the_left_most(settings):
    settings.HAVEN_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.HAVEN_TRUSTED_PROXY_HOPS = 0
    # The client sent "1.2.3.4"; the proxy appended the address it saw.
    request = request_with(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    assert client_address(request) == "203.0.113.9"


def test_trusted_hops_skip_that_many_proxies_from_the_right(settings):
    settings.HAVEN_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.HAVEN_TRUSTED_PROXY_HOPS = 1
    request = request_with(
        REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9, 192.0.2.50"
    )
    assert client_address(request) == "203.0.113.9"


def test_too_few_entries_or_garbage_fall_back_to_remote_addr(settings):
    settings.HAVEN_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.HAVEN_TRUSTED_PROXY_HOPS = 1
    assert client_address(request_with(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4"))
    assert (
        client_address(request_with(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4"))
        == "10.0.0.2"
    )
    settings.HAVEN_TRUSTED_PROXY_HOPS = 0
    assert (
        client_address(request_with(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="not-an-ip"))
        == "10.0.0.2"
    )
    assert client_address(request_with(REMOTE_ADDR="10.0.0.2")) == "10.0.0.2"


def test_ipv6_senders_are_grouped_by_their_64_prefix():
    assert address_group("2001:db8:1:2::1") == address_group("2001:db8:1:2:ffff::9")
    assert address_group("2001:db8:1:2::1") != address_group("2001:db8:1:3::1")
    assert address_group("203.0.113.9") == "203.0.113.9"
    assert address_group("::ffff:203.0.113.9") == "203.0.113.9"


def test_axes_counts_sign_in_failures_against_the_same_address(settings, rf):
    from axes.helpers import get_client_ip_address

    settings.HAVEN_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    request = rf.post(
        "/login/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9"
    )
    assert get_client_ip_address(request) == "203.0.113.9"
