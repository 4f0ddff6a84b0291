from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse

from .services.devices import has_second_factor, second_factor_required_for
from .services.sessions import NEXT_KEY, session_state

# Pages a signed-in person may reach before their second factor: signing in and out, setting
# a password from an e-mailed link, the public report form and letters' feedback form (no
# case data), the health checks, and the two-factor steps themselves.
OPEN_URL_NAMES = frozenset(
    {
        "login",
        "logout",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
        "healthz",
        "readyz",
        "feedback",
        "online_report_start",
        "online_report_privacy",
        "online_report_sent",
        "online_report_leave",
        "online_report_step",
        "twofactor:verify",
        "twofactor:enrol",
    }
)


class SecondFactorMiddleware:
    """No page but the open ones for a signed-in person whose second factor is required and
    not yet given in this session: they are sent to give a code, or to set up an
    authenticator if they have none. A verified session costs no query here (the session
    and the user already loaded); only an unverified one asks whether a factor is needed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated:
            return None
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_URL_NAMES:
            return None
        state = session_state(request)
        if state == "verified":
            return None
        if state == "revoked":
            logout(request)
            messages.info(
                request,
                "Your two-factor sign-in was reset by an organisation admin, so you have been "
                "signed out. Sign in again to set up a new authenticator.",
            )
            return redirect_to_login(request.get_full_path())
        if not second_factor_required_for(user=user):
            return None
        if request.method == "GET" and not request.headers.get("HX-Request"):
            request.session[NEXT_KEY] = request.get_full_path()
        step = reverse("twofactor:verify" if has_second_factor(user=user) else "twofactor:enrol")
        if request.headers.get("HX-Request"):
            # A partial update would swap the code page into a panel: load the whole page.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = step
            return response
        return HttpResponseRedirect(step)
