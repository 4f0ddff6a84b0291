"""Rate limits for the public form, kept in the shared cache so every web process agrees.

Two limits: one per sender (an IPv4 address or an IPv6 /64, read through
``accounts.network.client_address``) and a ceiling per organisation. A sender's attempt is
counted against their own limit first; only an attempt within it is counted against the
organisation's ceiling, so one sender refused for sending too much cannot use up the
ceiling and shut the form for everyone else.

If the cache cannot be reached (Redis stopped, a timeout), the report is accepted and
flagged for review (``OnlineReport.limit_unchecked``), with a warning in the log naming only
the organisation's code: refusing every resident while Redis is down would lose reports,
which matters more than a burst of spam, and triage can reject a burst in a few clicks.
"""

import logging
from dataclasses import dataclass

from django.conf import settings

from accounts.network import address_group, client_address
from accounts.ratelimit import counter_add, counter_key

logger = logging.getLogger(__name__)


SENDER_REFUSAL = (
    "You have sent several reports from this connection in the last hour. To protect "
    "this service from misuse, please wait an hour before sending another, or phone us."
)
ORGANISATION_REFUSAL = (
    "We are receiving an unusually high number of reports. Please try again in an hour, "
    "or phone us."
)


def _key(scope: str, value: str) -> str:
    return counter_key("online-report", scope, value)


@dataclass(frozen=True)
class Verdict:
    refusal: str | None = None
    # The limits could not be checked (the cache failed): accept, and flag for review.
    unchecked: bool = False


def verdict(request, organisation) -> Verdict:
    """Whether this submission is refused. Every attempt counts against the sender; only
    those within the sender's limit count against the organisation."""
    sender_key = _key("address", address_group(client_address(request)))
    organisation_key = _key("organisation", organisation.code)
    try:
        if counter_add(sender_key) > settings.HAVEN_REPORT_LIMIT_PER_ADDRESS:
            return Verdict(refusal=SENDER_REFUSAL)
        if counter_add(organisation_key) > settings.HAVEN_REPORT_LIMIT_PER_ORGANISATION:
            return Verdict(refusal=ORGANISATION_REFUSAL)
    except Exception as error:  # noqa: BLE001 - any cache failure: keep the report
        logger.warning(
            "rate-limit cache unavailable (%s); online report to %s accepted and flagged "
            "for review",
            type(error).__name__,
            organisation.code,
        )
        return Verdict(unchecked=True)
    return Verdict()
