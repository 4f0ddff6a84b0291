"""Setting up, checking and renewing a person's second factor.

An authenticator app is a django-otp ``TOTPDevice``: a six-digit code from a 30-second
window, accepted one window either side for a phone's clock, and never twice: the device
keeps the last window it accepted (``last_t``) and refuses that one and any before it. The
device row is locked while a code is checked, so two requests carrying the same code cannot
both pass. Backup codes are a ``StaticDevice`` with ten single-use tokens: a used one is
deleted in the same locked transaction.
"""

from __future__ import annotations

import time
from binascii import unhexlify
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from accounts.models import Membership, User

from ..models import SecondFactorEvent

BACKUP_CODE_COUNT = 10
AUTHENTICATOR_NAME = "Authenticator app"
BACKUP_CODES_NAME = "Backup codes"
# A phone's clock may be a window out either way.
TOLERANCE = 1


def second_factor_required_for(*, user: User) -> bool:
    """Platform staff always; anyone else when any organisation they hold a role in requires
    it (the default: an organisation without settings yet requires it too)."""
    if user.is_staff or user.is_superuser:
        return True
    return (
        Membership.objects.filter(user=user)
        .filter(
            Q(organisation__policy_settings__isnull=True)
            | Q(organisation__policy_settings__second_factor_required=True)
        )
        .exists()
    )


def remember_days_for(*, user: User) -> int:
    """How long a device may be remembered: the shortest among the person's organisations,
    so the strictest one decides (0, the default, means a code at every sign-in)."""
    days = list(
        Membership.objects.filter(user=user).values_list(
            "organisation__policy_settings__remember_device_days", flat=True
        )
    )
    if not days or any(d is None for d in days):
        return 0
    return min(days)


def has_second_factor(*, user: User) -> bool:
    return (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or StaticToken.objects.filter(device__user=user, device__confirmed=True).exists()
    )


def authenticator_key_new() -> str:
    """A new secret (hex, 20 bytes) for an authenticator being set up; kept in the session
    until a code from it is confirmed, so an abandoned setup leaves no row."""
    return default_key()


def authenticator_code_matches(*, key: str, code: str, at: float | None = None) -> int | None:
    """The time window ``code`` belongs to for the secret ``key``, or None."""
    code = (code or "").strip().replace(" ", "")
    if not code.isdigit() or len(code) != 6:
        return None
    totp = TOTP(unhexlify(key.encode()), step=30, t0=0, digits=6, drift=0)
    totp.time = at if at is not None else time.time()
    if totp.verify(int(code), tolerance=TOLERANCE):
        return totp.t()
    return None


def authenticator_code_at(*, key: str, at: float) -> str:
    """The code an authenticator with secret ``key`` shows at ``at`` (the demo's helper)."""
    totp = TOTP(unhexlify(key.encode()), step=30, t0=0, digits=6, drift=0)
    totp.time = at
    return f"{totp.token():06d}"


@dataclass(frozen=True)
class Enrolment:
    device: TOTPDevice
    backup_codes: list[str]


def authenticator_enrol(*, user: User, key: str, code: str) -> Enrolment:
    """Make ``key`` the person's authenticator once a code from it is right, replacing any
    earlier one, and give them ten new backup codes (shown once by the caller)."""
    window = authenticator_code_matches(key=key, code=code)
    if window is None:
        raise ValidationError(
            {"code": "That code does not match. Enter the 6-digit code your app shows now."}
        )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(
            user=user,
            name=AUTHENTICATOR_NAME,
            key=key,
            tolerance=TOLERANCE,
            confirmed=True,
            # The confirming code is used: it cannot sign anyone in afterwards.
            last_t=window,
        )
        codes = _backup_codes_replace(user=user)
        SecondFactorEvent.objects.create(user=user, kind=SecondFactorEvent.Kind.ENROLLED, by=user)
    return Enrolment(device=device, backup_codes=codes)


def backup_codes_renew(*, user: User) -> list[str]:
    """Ten new backup codes; every earlier one stops working."""
    with transaction.atomic():
        codes = _backup_codes_replace(user=user)
        SecondFactorEvent.objects.create(
            user=user, kind=SecondFactorEvent.Kind.BACKUP_CODES_RENEWED, by=user
        )
    return codes


def _backup_codes_replace(*, user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_CODES_NAME, confirmed=True)
    codes = []
    while len(codes) < BACKUP_CODE_COUNT:
        token = StaticToken.random_token()
        if token not in codes:
            codes.append(token)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=t) for t in codes)
    return codes


def backup_codes_left(*, user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@dataclass(frozen=True)
class Verified:
    device: TOTPDevice | StaticDevice
    backup_code: bool


def second_factor_verify(*, user: User, code: str) -> Verified | None:
    """The device ``code`` is right for (an authenticator code, or an unused backup code,
    which is then spent), or None. A code already used, from its window or before, is
    refused. Each device row is locked while its code is checked."""
    code = (code or "").strip().replace(" ", "").replace("-", "").lower()
    if not code:
        return None
    with transaction.atomic():
        if code.isdigit() and len(code) == 6:  # backup codes are 8 characters
            for device in TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True):
                if device.verify_token(code):
                    return Verified(device=device, backup_code=False)
            return None
        for device in StaticDevice.objects.select_for_update().filter(user=user, confirmed=True):
            if device.verify_token(code):
                SecondFactorEvent.objects.create(
                    user=user, kind=SecondFactorEvent.Kind.BACKUP_CODE_USED, by=user
                )
                return Verified(device=device, backup_code=True)
    return None


def authenticator_of(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def demo_authenticator_set(*, user: User, key: str) -> TOTPDevice:
    """seed_demo: a known secret for a demonstration user (printed with DEBUG on)."""
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(
        user=user, name=AUTHENTICATOR_NAME, key=key, tolerance=TOLERANCE, confirmed=True
    )
