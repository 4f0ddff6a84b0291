"""The absolute session lifetime: signed out 12 hours after signing in, however active."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.signin import client_sign_in

TWELVE_HOURS = timedelta(hours=12)
# Well inside the 30-minute idle timeout: the user is active all day.
EVERY = timedelta(minutes=25)


def stay_active_until(client, clock, start, until):
    """A request every 25 minutes from ``start`` up to ``until``; all must be served."""
    moment = start
    while moment + EVERY < until:
        moment += EVERY
        clock.move_to(moment)
        response = client.get(reverse("home"))
        assert response.status_code == 200, moment - start


@pytest.mark.django_db
def test_session_ends_12_hours_after_sign_in_even_when_active(client, cast):
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False) as clock:
        client_sign_in(client, cast.officer.email)
        stay_active_until(client, clock, start, start + TWELVE_HOURS)
        clock.move_to(start + TWELVE_HOURS - timedelta(seconds=1))
        assert client.get(reverse("home")).status_code == 200
        clock.move_to(start + TWELVE_HOURS)
        response = client.get(reverse("home"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        page = client.get(response["Location"])
    assert "signed in for 12 hours" in page.content.decode()
    assert not page.wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_absolute_lifetime_comes_from_the_environment_setting(client, cast, settings):
    settings.HAVEN_SESSION_ABSOLUTE_SECONDS = 60 * 60
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False) as clock:
        client_sign_in(client, cast.officer.email)
        stay_active_until(client, clock, start, start + timedelta(hours=1))
        clock.move_to(start + timedelta(minutes=59, seconds=59))
        assert client.get(reverse("home")).status_code == 200
        clock.move_to(start + timedelta(hours=1))
        response = client.get(reverse("home"))
    assert response.status_code == 302
    assert "signed in for 1 hour," in client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_signing_in_again_starts_a_new_lifetime(client, cast, settings):
    settings.HAVEN_SESSION_ABSOLUTE_SECONDS = 60 * 60
    start = timezone.now().replace(microsecond=0)
    again = start + timedelta(hours=1)
    with time_machine.travel(start, tick=False) as clock:
        client_sign_in(client, cast.officer.email)
        stay_active_until(client, clock, start, again)
        clock.move_to(again)
        assert client.get(reverse("home")).status_code == 302
        client_sign_in(client, cast.officer.email)
        stay_active_until(client, clock, again, again + timedelta(hours=1))
        clock.move_to(again + timedelta(minutes=59, seconds=59))
        assert client.get(reverse("home")).status_code == 200
        clock.move_to(again + timedelta(hours=1))
        assert client.get(reverse("home")).status_code == 302
