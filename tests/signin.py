"""Signing in, second factor included, for tests (see conftest's note).

``client.force_login(user)`` completes the second factor (conftest wraps it);
``force_login_password_only(client, user)`` does not, for tests of the gate itself.
Browser tests sign in through the pages with ``browser_sign_in``: the password, then a
code computed from the user's authenticator secret, as a person reads it off their phone.
"""

from __future__ import annotations

import time
from binascii import unhexlify

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from twofactor.services.devices import demo_authenticator_set

_original_force_login = Client.force_login  # replaced by conftest with the unwrapped one


def authenticator_for(user) -> TOTPDevice:
    """The user's confirmed authenticator, set up now if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = demo_authenticator_set(user=user, key=default_key())
    return device


def client_session_verify(client: Client, user) -> None:
    """Mark the test client's session as having given its second factor with a real device
    of the signed-in user, the way the code step does (``twofactor.services.sessions``)."""
    from accounts.models import User
    from twofactor.services.sessions import VERIFIED_AT

    session = client.session
    if user is None:
        user = User.objects.get(pk=session[SESSION_KEY])
    device = authenticator_for(user)
    session["otp_device_id"] = device.persistent_id
    session[VERIFIED_AT] = time.time()
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key


def force_login_password_only(client: Client, user) -> None:
    """Signed in with a password and nothing more: every case page must refuse this."""
    _original_force_login(client, user)


def totp_code(key: str, *, at: float | None = None) -> str:
    totp = TOTP(unhexlify(key.encode()), step=30, t0=0, digits=6, drift=0)
    totp.time = at if at is not None else time.time()
    return f"{totp.token():06d}"


def next_code(user) -> str:
    """A code the user's authenticator would show that Haven has not accepted yet: the
    current window's, or the next one's (accepted as a phone a little fast) when the current
    one was used by an earlier sign-in; waits for a fresh window if both were."""
    device = authenticator_for(user)
    device.refresh_from_db()
    now = time.time()
    window = int(now) // 30
    if device.last_t < window:
        return totp_code(device.key, at=now)
    if device.last_t == window:
        return totp_code(device.key, at=now + 30)
    time.sleep((window + 1) * 30 - now + 0.5)
    return next_code(user)


def second_factor_step(page, email: str) -> None:
    """After "Sign in" was pressed: give the second factor as the person would. With an
    authenticator, the code it shows now (computed from its secret); without one, set one
    up from the secret written on the set-up page, then go on past the backup codes."""
    import re
    from base64 import b32decode

    from accounts.models import User

    page.wait_for_url(re.compile(r"/two-factor/(code|set-up)/"))
    if "/two-factor/code/" in page.url:
        page.get_by_label("Code").fill(next_code(User.objects.get(email__iexact=email)))
        page.get_by_role("button", name="Verify").click()
        page.wait_for_load_state()
        return
    secret = page.get_by_test_id("secret").inner_text().replace(" ", "")
    page.get_by_label("Code from your app").fill(totp_code(b32decode(secret).hex()))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    page.get_by_role("link", name="I have kept them: continue").click()
    page.wait_for_load_state()


def browser_sign_in(page, base_url: str, user, password: str | None = None) -> None:
    """Sign in through the pages: e-mail and password, then the second factor."""
    from tests.conftest import PASSWORD

    page.goto(f"{base_url}/login/")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill(password or PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    second_factor_step(page, user.email)


def client_sign_in(client: Client, email: str, password: str | None = None):
    """Sign in through the sign-in page as a person does: the password, then (when Haven
    asks for it) the code from the user's authenticator. Returns the last response: the
    sign-in page again for a wrong password, else the redirect to where they were going."""
    from django.urls import reverse

    from accounts.models import User
    from tests.conftest import PASSWORD

    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        authenticator_for(user)
    response = client.post(reverse("login"), {"username": email, "password": password or PASSWORD})
    if response.status_code == 302 and response["Location"] == reverse("twofactor:verify"):
        response = client.post(reverse("twofactor:verify"), {"code": next_code(user)})
    return response
