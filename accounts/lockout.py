"""Sign-in lockout that cannot be used to lock someone else out.

django-axes counts failures per account *and* client address together: five wrong passwords
for an officer from one address lock that address out of that account, while the officer
can still sign in from their own. A guesser spreading attempts over many addresses is
stopped by a higher ceiling per account across every address
(``HAVEN_LOGIN_ACCOUNT_FAILURE_CEILING`` in the cool-off window), which does lock the account
everywhere until the window passes.
"""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_failure_limit, get_lockout_response
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db.models import Sum


class AccountAndAddressHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        from_this_address = super().get_failures(request, credentials)
        username = get_client_username(request, credentials)
        if not username:
            return from_this_address
        attempts = AccessAttempt.objects.filter(username=username)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        everywhere = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
        if everywhere >= settings.HAVEN_LOGIN_ACCOUNT_FAILURE_CEILING:
            # Report at least the limit, so axes treats the account as locked everywhere.
            return max(from_this_address, get_failure_limit(request, credentials))
        return from_this_address

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A password alone is not a successful sign-in while a second factor is still to
        come: the failures (wrong codes among them) are cleared only once it is given
        (``lockout_reset``), so signing in again with the password cannot wipe them."""
        if getattr(request, "haven_second_factor_pending", False):
            return 0
        return super().reset_user_attempts(request, credentials)


def lockout_failure(request, *, username: str) -> None:
    """Count a wrong second-factor code exactly as a wrong password is counted."""
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)


def lockout_is_locked(request, *, username: str) -> bool:
    return AxesProxyHandler.is_locked(request, {"username": username})


def lockout_response(request, *, username: str):
    return get_lockout_response(request, None, {"username": username})


def lockout_reset(request, *, username: str) -> None:
    """The sign-in is complete (password and second factor): clear its failures, as a
    password alone clears them where no second factor is needed."""
    request.haven_second_factor_pending = False
    AxesProxyHandler.update_request(request)
    AxesProxyHandler.get_implementation().reset_user_attempts(request, {"username": username})
