"""Where a request comes from: the one answer every per-address limit uses.

Sign-in lockout (django-axes' ``AXES_CLIENT_IP_CALLABLE``), the public report form's limits
and the password-reset limits all call ``client_address``. Behind Haven's reverse proxy,
``REMOTE_ADDR`` is the proxy for everyone, so the client's address is read from the header
the proxy adds (``HAVEN_CLIENT_IP_HEADER``, e.g. ``HTTP_X_FORWARDED_FOR``). Each proxy
appends the address it received the request from, so only the right-hand entries were written
by proxies Haven trusts: the right-most, or ``HAVEN_TRUSTED_PROXY_HOPS`` further left when
more trusted proxies sit in front. Everything to the left of that was sent by the client and
is never used.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_address(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    header = settings.HAVEN_CLIENT_IP_HEADER
    if not header:
        return remote
    entries = [entry.strip() for entry in request.META.get(header, "").split(",")]
    entries = [entry for entry in entries if entry]
    hops = max(settings.HAVEN_TRUSTED_PROXY_HOPS, 0)
    if len(entries) <= hops:
        # Fewer entries than trusted proxies: the request did not come through them all.
        return remote
    candidate = entries[-1 - hops]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def address_group(address: str) -> str:
    """What counts as one sender for a rate limit: an IPv4 address, or an IPv6 /64.

    One IPv6 connection is usually given a whole /64, so counting single IPv6 addresses
    would let one sender use as many addresses as they like.
    """
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6 and parsed.ipv4_mapped is None:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    if parsed.version == 6 and parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    return str(parsed)
