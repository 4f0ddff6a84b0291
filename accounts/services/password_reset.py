"""“Forgotten your password?”: the request, its limits, and the e-mail the worker sends.

The page answers the same way, in the same time, whether or not the address has an
account: the request only looks the address up and, for an account, queues a task with the
account's id after commit (no address or name in the broker). The worker makes the link and
sends the e-mail. Requests are limited per e-mail address and per client address (an IPv4
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
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

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
    for pk, password in pks:
        if is_password_usable(password):  # as Django's own form: no reset without a password
            _queue(user_pk=pk)


def _queue(*, user_pk: int) -> None:
    def hand_over() -> None:
        from ..tasks import password_reset_email

        try:
            password_reset_email.delay(user_pk)
        except Exception:  # noqa: BLE001 - any broker failure; the user can ask again
            logger.warning("broker unavailable; password reset for user %s not sent", user_pk)

    transaction.on_commit(hand_over)


def password_reset_send(*, user_pk: int) -> bool:
    """Called by the worker: the e-mail with a one-time link. True if sent."""
    user = User.objects.filter(pk=user_pk, is_active=True).first()
    if user is None or not user.has_usable_password():
        return False
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
    send_mail(
        subject="".join(subject.splitlines()),
        message=render_to_string("registration/password_reset_email.html", context),
        from_email=None,
        recipient_list=[user.email],
    )
    return True
