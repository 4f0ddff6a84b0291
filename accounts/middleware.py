import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from .permissions import access_for

SESSION_KEY = "haven_organisation_id"
SIGNED_IN_AT_KEY = "haven_signed_in_at"
TOUCHED_AT_KEY = "haven_touched_at"


class CurrentOrganisationMiddleware:
    """Puts ``request.access``: the organisation the user works in and their roles there."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.access = SimpleLazyObject(
            lambda: access_for(request.user, request.session.get(SESSION_KEY))
        )
        return self.get_response(request)


def session_signed_in_now(request) -> None:
    """Called when someone signs in: the absolute lifetime and the idle time count from here."""
    now = time.time()
    request.session[SIGNED_IN_AT_KEY] = now
    request.session[TOUCHED_AT_KEY] = now


def session_signed_in(sender, request, user, **kwargs) -> None:
    """``user_logged_in`` receiver: every way of signing in (the sign-in page, a password
    reset, ``force_login``) starts both clocks in the session it is about to save."""
    if request is not None and hasattr(request, "session"):
        session_signed_in_now(request)


class SessionIdleMiddleware:
    """The 30-minute idle timeout without writing the session on every request.

    The session keeps the time it was last written (``TOUCHED_AT_KEY``) and is written again
    only when that is ``HAVEN_SESSION_TOUCH_SECONDS`` old or more, or when something else
    changed it; each write also moves the stored expiry to ``SESSION_COOKIE_AGE`` from then.
    So the idle timeout counts from the last write, at most a minute before the last request,
    and every request checks it here (the database would refuse the session at the same
    second, but cache or cookie session engines might not)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        now = time.time()
        touched_at = session.get(TOUCHED_AT_KEY)
        if touched_at is not None and now - touched_at >= settings.SESSION_COOKIE_AGE:
            logout(request)
        elif session.keys() and (
            touched_at is None or now - touched_at >= settings.HAVEN_SESSION_TOUCH_SECONDS
        ):
            session[TOUCHED_AT_KEY] = now
        response = self.get_response(request)
        if session.modified and session.keys():
            # Written anyway (a sign-in, a message): the idle time counts from this write.
            session[TOUCHED_AT_KEY] = now
        return response


class SessionLifetimeMiddleware:
    """Signs the user out once ``HAVEN_SESSION_ABSOLUTE_SECONDS`` have passed since they
    signed in, however active they have been: the idle timeout alone would let a session that
    is used every few minutes (or a stolen cookie kept warm) live for ever."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            signed_in_at = request.session.get(SIGNED_IN_AT_KEY)
            if signed_in_at is None:
                # A session from before this rule (or made without the sign-in page).
                session_signed_in_now(request)
            elif time.time() - signed_in_at >= settings.HAVEN_SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(
                    request,
                    f"You have been signed in for {_lifetime()}, so you have been signed out "
                    "to keep cases safe. Please sign in again.",
                )
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


def _lifetime() -> str:
    seconds = settings.HAVEN_SESSION_ABSOLUTE_SECONDS
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return "1 hour" if hours == 1 else f"{hours} hours"
    minutes = max(seconds // 60, 1)
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


class AdminForPlatformStaffMiddleware:
    """The admin site exists only for platform staff (``is_staff``): anyone else, signed in
    or not, gets the ordinary 404, so its sign-in page does not advertise it. Platform staff
    sign in through Haven's own sign-in page first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(_admin_prefix()):
            user = request.user
            if not (user.is_authenticated and user.is_active and user.is_staff):
                raise Http404
        return self.get_response(request)


def _admin_prefix() -> str:
    return reverse("admin:index")


class PermissionsPolicyMiddleware:
    """Sends ``Permissions-Policy`` on every response: Haven uses no camera, microphone,
    location, payment or USB device (a photo for the public form is chosen with a plain file
    input, which this does not block)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.HAVEN_PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.HAVEN_PERMISSIONS_POLICY)
        return response
