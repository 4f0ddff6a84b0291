"""Rate limits for the public form, kept in the shared cache so every web process agrees."""

import hashlib

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 60 * 60


def client_address(request) -> str:
    header = settings.HAVEN_CLIENT_IP_HEADER
    if header and request.META.get(header):
        # Behind a trusted proxy: the left-most address is the client's.
        return request.META[header].split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def _key(scope: str, value: str) -> str:
    # Addresses are personal data: the cache holds a keyed hash, never the address.
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{value}".encode()).hexdigest()[:32]
    return f"online-report:{scope}:{digest}"


def _used(key: str) -> int:
    return cache.get(key, 0)


def _count(key: str) -> None:
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)


def refusal(request, organisation) -> str | None:
    """Why this submission is refused, or None. Counts it when it is allowed."""
    address_key = _key("address", client_address(request))
    organisation_key = _key("organisation", organisation.code)
    if _used(address_key) >= settings.HAVEN_REPORT_LIMIT_PER_ADDRESS:
        return (
            "You have sent several reports from this connection in the last hour. To protect "
            "this service from misuse, please wait an hour before sending another, or phone us."
        )
    if _used(organisation_key) >= settings.HAVEN_REPORT_LIMIT_PER_ORGANISATION:
        return (
            "We are receiving an unusually high number of reports. Please try again in an hour, "
            "or phone us."
        )
    _count(address_key)
    _count(organisation_key)
    return None
