"""“Forgotten your password?”: the request, its limits, and the e-mail the worker sends.

The page answers the same way, in the same time, whether or not the address has an
account: the request only looks the address up and, for an account, writes an e-mail with
the account's id to the outbox (kind ``accounts.password_reset``); the worker makes the link
as it sends, so no token is stored and only ids reach the broker. With the broker down the
outbox sweep sends it later. Requests are limited per e-mail address and per client (an IPv4
address or IPv6 /64, ``accounts.network``), counted the same way for known and unknown
addresses so a refusal reveals nothing. The counters live in the shared cache; if it cannot
be reached the request goes through with a warning in the log rather than a server error.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.hashers import is_password_usable
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from outbox.services import outbox_email_add

from ..models import User
from ..ratelimit import counter_add, counter_key

logger = logging.getLogger(__name__)

REFUSAL = (
    "Too many password reset requests have been made for this address or from this "
    "connection. Please wait an hour and try again, or ask your organisation admin."
)


def _key(scope: str, value: str) -> str:
    return counter_key("password-reset", scope, value)


def _within_limits(*, email: str, client: str) -> bool:
    try:
        # Both counted every time, so one limit being reached does not hide the other.
        for_email = counter_add(_key("email", email))
        from_client = counter_add(_key("client", client))
    except Exception:  # noqa: BLE001 - any cache failure: let the request through
        logger.warning("rate-limit cache unavailable; password reset request let through")
        return True
    return (
        for_email <= settings.HAVEN_PASSWORD_RESET_LIMIT_PER_EMAIL
        and from_client <= settings.HAVEN_PASSWORD_RESET_LIMIT_PER_CLIENT
    )


def password_reset_request(*, email: str, client: str) -> None:
    """Queue a reset e-mail for each active account with this address and a password.
    Raises ``ValidationError`` (the same for every address) when a limit is reached."""
    email = (email or "").strip().lower()
    if not _within_limits(email=email, client=client):
        raise ValidationError(REFUSAL, code="throttled")
    pks = list(
        User.objects.filter(email__iexact=email, is_active=True).values_list("pk", "password")
    )
    with transaction.atomic():
        for pk, password in pks:
            if is_password_usable(password):  # as Django's: no reset without a password
                _queue(user_pk=pk)


PASSWORD_RESET = "accounts.password_reset"


def _queue(*, user_pk: int) -> None:
    outbox_email_add(kind=PASSWORD_RESET, key=str(user_pk), params={"user": user_pk})


def password_reset_render(params: dict) -> EmailMessage | None:
    """Called by the outbox worker as it sends: the e-mail with a one-time link."""
    user = User.objects.filter(pk=params["user"], is_active=True).first()
    if user is None or not user.has_usable_password():
        return None
    site = urlsplit(settings.HAVEN_SITE_URL)
    context = {
        "email": user.email,
        "user": user,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "protocol": site.scheme or "https",
        "domain": site.netloc,
        "site_name": "Haven",
    }
    subject = render_to_string("registration/password_reset_subject.txt", context)
    return EmailMessage(
        subject="".join(subject.splitlines()),
        body=render_to_string("registration/password_reset_email.html", context),
        to=[user.email],
    )
