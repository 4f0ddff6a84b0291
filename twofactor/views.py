"""Signing in with a second factor: the password step, the code step, setting up an
authenticator, backup codes, and an organisation admin's reset of a member's factor."""

from __future__ import annotations

import base64
from binascii import unhexlify
from urllib.parse import quote

import segno
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts import permissions
from accounts.lockout import lockout_failure, lockout_is_locked, lockout_reset, lockout_response
from accounts.selectors import member_get
from accounts.views import LoginView

from .forms import CodeForm, EnrolForm, ResetForm
from .services.devices import (
    authenticator_enrol,
    authenticator_key_new,
    authenticator_of,
    backup_codes_left,
    backup_codes_renew,
    has_second_factor,
    remember_days_for,
    second_factor_required_for,
    second_factor_verify,
)
from .services.reset import second_factor_reset
from .services.sessions import (
    BACKUP_CODES_KEY,
    ENROL_KEY,
    NEXT_KEY,
    remember_cookie_set,
    remembered,
    session_state,
    session_verified,
)


class SignInView(LoginView):
    """The password step. Where a second factor is required and this browser is not a
    remembered device, the person is signed in but sent to give a code (or to set up an
    authenticator first); the middleware keeps every other page from them until then."""

    def form_valid(self, form):
        user = form.get_user()
        request = self.request
        if not second_factor_required_for(user=user):
            return super().form_valid(form)
        days = remember_days_for(user=user)
        if has_second_factor(user=user) and remembered(request, user, days=days):
            response = super().form_valid(form)
            session_verified(request, device=None)
            return response
        # Axes must not clear this account's failures for a password alone.
        request.haven_second_factor_pending = True  # type: ignore[attr-defined]
        auth_login(request, user)
        request.session[NEXT_KEY] = self.get_success_url()
        step = "twofactor:verify" if has_second_factor(user=user) else "twofactor:enrol"
        return HttpResponseRedirect(reverse(step))


def _next_url(request) -> str:
    target = request.session.pop(NEXT_KEY, None) or reverse("home")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return reverse("home")
    return target


@login_required
def verify(request):
    """The code step: an authenticator code or a backup code. A wrong code counts toward the
    same lockout as a wrong password."""
    user = request.user
    if session_state(request) == "verified":
        return HttpResponseRedirect(_next_url(request))
    if not has_second_factor(user=user):
        return HttpResponseRedirect(reverse("twofactor:enrol"))
    if lockout_is_locked(request, username=user.email):
        logout(request)
        return lockout_response(request, username=user.email)
    days = remember_days_for(user=user)
    form = CodeForm(request.POST or None, remember_days=days)
    if request.method == "POST" and form.is_valid():
        verified = second_factor_verify(user=user, code=form.cleaned_data["code"])
        if verified is None:
            lockout_failure(request, username=user.email)
            if lockout_is_locked(request, username=user.email):
                logout(request)
                return lockout_response(request, username=user.email)
            form.add_error(
                "code",
                "That code is not right, or has been used already. Wait for the next code "
                "from your app, or enter one of your backup codes.",
            )
        else:
            request.session.cycle_key()
            session_verified(request, device=verified.device)
            lockout_reset(request, username=user.email)
            if verified.backup_code:
                left = backup_codes_left(user=user)
                messages.warning(
                    request,
                    f"You signed in with a backup code; it cannot be used again and you have "
                    f"{left} left. If you have lost your authenticator, set up a new one on "
                    "your two-factor sign-in page now.",
                )
            response = HttpResponseRedirect(_next_url(request))
            if days and form.cleaned_data.get("remember"):
                remember_cookie_set(response, user, days=days)
            return response
    return render(request, "twofactor/verify.html", {"form": form})


@login_required
def enrol(request):
    """Set up an authenticator app: a QR code, the secret as text for anyone who cannot scan
    it, and a code from the app to confirm. Someone who already has a factor must have given
    it in this session first: a password alone never replaces a factor."""
    user = request.user
    if has_second_factor(user=user) and session_state(request) != "verified":
        return HttpResponseRedirect(reverse("twofactor:verify"))
    key = request.session.get(ENROL_KEY)
    if not key:
        key = authenticator_key_new()
        request.session[ENROL_KEY] = key
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            enrolment = authenticator_enrol(user=user, key=key, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            del request.session[ENROL_KEY]
            first_time = session_state(request) != "verified"
            session_verified(request, device=enrolment.device)
            if first_time:
                lockout_reset(request, username=user.email)
            request.session[BACKUP_CODES_KEY] = enrolment.backup_codes
            return HttpResponseRedirect(reverse("twofactor:backup_codes"))
    secret = base64.b32encode(unhexlify(key)).decode()
    uri = (
        f"otpauth://totp/{quote('Haven:' + user.email)}?secret={secret}"
        "&issuer=Haven&algorithm=SHA1&digits=6&period=30"
    )
    return render(
        request,
        "twofactor/enrol.html",
        {
            "form": form,
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
            "qr_svg": segno.make(uri, error="m").svg_inline(scale=5, light="#fff"),
            "replacing": authenticator_of(user) is not None,
        },
    )


@login_required
def backup_codes(request):
    """The ten backup codes, shown once: they leave the session as this page is made."""
    codes = request.session.pop(BACKUP_CODES_KEY, None)
    if not codes:
        return HttpResponseRedirect(reverse("twofactor:overview"))
    return render(
        request, "twofactor/backup_codes.html", {"codes": codes, "next": _next_url(request)}
    )


@login_required
def overview(request):
    user = request.user
    return render(
        request,
        "twofactor/overview.html",
        {
            "authenticator": authenticator_of(user),
            "backup_codes_left": backup_codes_left(user=user),
        },
    )


@require_POST
@login_required
def backup_codes_new(request):
    request.session[BACKUP_CODES_KEY] = backup_codes_renew(user=request.user)
    request.session[NEXT_KEY] = reverse("twofactor:overview")
    return HttpResponseRedirect(reverse("twofactor:backup_codes"))


@require_POST
@permissions.role_required(permissions.ADMINISTER)
def member_reset(request, user_id: int):
    """An organisation admin resets a member's second factor, with a reason."""
    organisation = request.access.organisation
    member = member_get(organisation=organisation, user_id=user_id)
    form = ResetForm(request.POST)
    if form.is_valid():
        try:
            second_factor_reset(
                user=member,
                by=request.user,
                reason=form.cleaned_data["reason"],
                organisation=organisation,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(
                request,
                f"{member.full_name}'s two-factor sign-in is reset: they have been signed out "
                "and will set up a new authenticator at their next sign-in. They have been "
                "e-mailed.",
            )
            return HttpResponseRedirect(reverse("accounts:member", args=[member.pk]))
    return render(
        request, "twofactor/member_reset.html", {"member": member, "form": form}, status=400
    )
