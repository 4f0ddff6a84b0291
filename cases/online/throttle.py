"""Rate limits for the public form, kept in the shared cache so every web process agrees.

Two limits: one per sender (an IPv4 address or an IPv6 /64, read through
``accounts.network.client_address``) and a ceiling per organisation. A sender's attempt is
counted against their own limit first; only an attempt within it is counted against the
organisation's ceiling, so one sender refused for sending too much cannot use up the
ceiling and shut the form for everyone else. If the cache cannot be reached, the report is
let through with a warning in the log: refusing every resident while Redis is down would
lose reports, which matters more than a burst of spam.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache

from accounts.network import address_group, client_address

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 60 * 60

SENDER_REFUSAL = (
    "You have sent several reports from this connection in the last hour. To protect "
    "this service from misuse, please wait an hour before sending another, or phone us."
)
ORGANISATION_REFUSAL = (
    "We are receiving an unusually high number of reports. Please try again in an hour, "
    "or phone us."
)


def _key(scope: str, value: str) -> str:
    # Addresses are personal data: the cache holds a keyed hash, never the address.
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{value}".encode()).hexdigest()[:32]
    return f"online-report:{scope}:{digest}"


def _count(key: str) -> int:
    """Add one to the counter and return the new count, in one step where the cache can:
    two requests at the same moment get different counts."""
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        return 1


def refusal(request, organisation) -> str | None:
    """Why this submission is refused, or None. Every attempt counts against the sender;
    only those within the sender's limit count against the organisation."""
    sender_key = _key("address", address_group(client_address(request)))
    organisation_key = _key("organisation", organisation.code)
    try:
        if _count(sender_key) > settings.HAVEN_REPORT_LIMIT_PER_ADDRESS:
            return SENDER_REFUSAL
        if _count(organisation_key) > settings.HAVEN_REPORT_LIMIT_PER_ORGANISATION:
            return ORGANISATION_REFUSAL
    except Exception:  # noqa: BLE001 - any cache failure: let the report through
        logger.warning(
            "rate-limit cache unavailable; online report to %s let through", organisation.code
        )
    return None
