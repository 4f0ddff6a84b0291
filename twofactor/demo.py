"""The demo's second factor: one known authenticator secret for every demo user, printed by
``seed_demo`` (only with DEBUG on) so ``make run`` stays a one-command demo. Add it to any
authenticator app, or read the current code from ``manage.py demo_code``."""

from __future__ import annotations

import base64
import time

from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User

from .services.devices import authenticator_code_at, demo_authenticator_set

DEMO_SECRET = "HAVENDEMOHAVENDEMOHAVENDEMOHAVEN"  # base32, 20 bytes
DEMO_KEY = base64.b32decode(DEMO_SECRET).hex()


def seed_demo_authenticators(*, domains: list[str]) -> int:
    """Give each demo user (an address at a demo organisation's domain) without an
    authenticator the demo one; a user who set up their own keeps it. Returns how many."""
    given = 0
    users = User.objects.none()
    for domain in domains:
        users = users | User.objects.filter(email__iendswith=f"@{domain}")
    for user in users:
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            demo_authenticator_set(user=user, key=DEMO_KEY)
            given += 1
    return given


def demo_code(at: float | None = None) -> str:
    return authenticator_code_at(key=DEMO_KEY, at=time.time() if at is None else at)


def demo_secret_grouped() -> str:
    return " ".join(DEMO_SECRET[i : i + 4] for i in range(0, len(DEMO_SECRET), 4))
