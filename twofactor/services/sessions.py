"""A session's second factor, and remembered devices.

A session is verified when it carries the time its second factor was given
(``VERIFIED_AT``, with django-otp's device id beside it). The middleware reads only the
session and the user row it already has, so a verified request costs no query: a session
verified before an admin reset the person's factor (``User.second_factor_reset_at``) is
signed out.

"Remember this device" is a signed cookie naming the person, bound to their password and to
their last reset: changing the password (or a reset) makes every remembered device ask for a
code again. It lasts the organisation's ``remember_device_days``, and a shorter setting made
later is honoured at the next sign-in because the cookie's age is checked against it.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login

VERIFIED_AT = "haven_second_factor_at"
NEXT_KEY = "haven_second_factor_next"
ENROL_KEY = "haven_second_factor_enrol_key"
BACKUP_CODES_KEY = "haven_second_factor_backup_codes"
REMEMBERED = "remembered-device"
_SALT = "haven.twofactor.remember"


def session_verified(request, *, device=None) -> None:
    """Mark the signed-in session as having passed its second factor."""
    if device is not None:
        otp_login(request, device)
    else:
        request.session[DEVICE_ID_SESSION_KEY] = REMEMBERED
    request.session[VERIFIED_AT] = time.time()


def session_store_verified(session, *, device) -> None:
    """The same marks on a session made outside a request (the benchmark's load run plants
    sessions the way ``Client.force_login`` writes them)."""
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[VERIFIED_AT] = time.time()


def session_state(request) -> str:
    """``verified``, ``revoked`` (verified before the person's factor was reset) or
    ``unverified``. Reads the session and the already-loaded user only."""
    verified_at = request.session.get(VERIFIED_AT)
    if verified_at is None:
        return "unverified"
    reset_at = request.user.second_factor_reset_at
    if reset_at is not None and verified_at < reset_at.timestamp():
        return "revoked"
    return "verified"


def _binding(user) -> str:
    reset = user.second_factor_reset_at.timestamp() if user.second_factor_reset_at else 0
    return salted_hmac(_SALT, f"{user.pk}:{user.password}:{reset}").hexdigest()


def remember_cookie_value(user) -> str:
    return signing.dumps({"u": user.pk, "b": _binding(user)}, salt=_SALT)


def remembered(request, user, *, days: int) -> bool:
    """Whether this browser carries a remembered-device cookie for ``user`` that is younger
    than ``days`` and still bound to their password and factor."""
    value = request.COOKIES.get(settings.HAVEN_REMEMBER_DEVICE_COOKIE)
    if not value or days <= 0:
        return False
    try:
        # Good for ``days`` to the second: refused from the moment they are up.
        data = signing.loads(value, salt=_SALT, max_age=days * 24 * 60 * 60 - 1)
    except signing.BadSignature:
        return False
    return data.get("u") == user.pk and constant_time_compare(data.get("b", ""), _binding(user))


def remember_cookie_set(response, user, *, days: int) -> None:
    response.set_cookie(
        settings.HAVEN_REMEMBER_DEVICE_COOKIE,
        remember_cookie_value(user),
        max_age=days * 24 * 60 * 60,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
