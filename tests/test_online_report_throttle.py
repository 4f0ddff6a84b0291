"""The public form's limits: per sender, a per-organisation ceiling one sender cannot use up,
the address read from the trusted proxy's entry, and no server error when the cache fails."""

import logging

import pytest
from django.core.cache import cache
from django.test import Client

from cases.models import OnlineReport
from tests.online_reports import step_url, walk

SPOOFED = "HTTP_X_FORWARDED_FOR"


@pytest.mark.django_db
def test_spoofed_x_forwarded_for_cannot_get_past_the_per_address_limit(organisation, settings):
    settings.HAVEN_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.HAVEN_REPORT_LIMIT_PER_ADDRESS = 2
    for n in range(2):
        client = Client(REMOTE_ADDR="10.0.0.2", **{SPOOFED: f"198.51.100.{n}, 203.0.113.9"})
        assert walk(client, "WCH").status_code == 302
    # A fresh made-up left-most address each time: still the same sender to the proxy.
    client = Client(REMOTE_ADDR="10.0.0.2", **{SPOOFED: "198.51.100.99, 203.0.113.9"})
    response = walk(client, "WCH")
    assert response.status_code == 429
    assert b"several reports from this connection" in response.content
    assert OnlineReport.objects.count() == 2


@pytest.mark.django_db
def test_one_sender_of_100_reports_is_refused_and_another_address_can_still_report(
    organisation, settings
):
    settings.HAVEN_REPORT_LIMIT_PER_ADDRESS = 5
    settings.HAVEN_REPORT_LIMIT_PER_ORGANISATION = 10
    sender = Client(REMOTE_ADDR="203.0.113.9")
    outcomes = [walk(sender, "WCH").status_code for _ in range(6)]
    # Refused with the answers kept: pressing Send again is another attempt.
    outcomes += [sender.post(step_url("WCH", "send")).status_code for _ in range(94)]
    assert outcomes[:5] == [302] * 5
    assert set(outcomes[5:]) == {429}
    assert OnlineReport.objects.count() == 5
    assert walk(Client(REMOTE_ADDR="198.51.100.4"), "WCH").status_code == 302
    assert OnlineReport.objects.count() == 6


@pytest.mark.django_db
def test_one_ipv6_sender_cannot_rotate_addresses_within_their_64(organisation, settings):
    settings.HAVEN_REPORT_LIMIT_PER_ADDRESS = 2
    for n in range(1, 3):
        assert walk(Client(REMOTE_ADDR=f"2001:db8:1:2::{n}"), "WCH").status_code == 302
    response = walk(Client(REMOTE_ADDR="2001:db8:1:2::ff"), "WCH")
    assert response.status_code == 429
    assert walk(Client(REMOTE_ADDR="2001:db8:1:3::1"), "WCH").status_code == 302


@pytest.mark.django_db
def test_a_failing_cache_lets_the_report_through_with_a_warning(
    client, organisation, monkeypatch, caplog
):
    def broken(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(cache, "add", broken)
    monkeypatch.setattr(cache, "incr", broken)
    with caplog.at_level(logging.WARNING, logger="cases.online.throttle"):
        response = walk(client, "WCH")
    assert response.status_code == 302
    assert OnlineReport.objects.count() == 1
    assert "rate-limit cache unavailable" in caplog.text
