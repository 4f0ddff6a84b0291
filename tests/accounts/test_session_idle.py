"""The 30-minute idle timeout, with the session written at most once a minute."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.middleware import TOUCHED_AT_KEY
from tests.signin import client_sign_in

IDLE = timedelta(minutes=30)
SECOND = timedelta(seconds=1)


def sign_in(client, cast):
    response = client_sign_in(client, cast.officer.email)
    assert response.status_code == 302


def signed_in(client) -> bool:
    response = client.get(reverse("home"))
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))
        return False
    assert response.status_code == 200
    return True


def session_writes(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert signed_in(client)
    return sum(1 for q in queries if q["sql"].startswith("UPDATE") and "django_session" in q["sql"])


@pytest.mark.django_db
def test_session_lives_29_59_after_the_last_write_and_ends_at_30_00(client, cast):
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False) as clock:
        sign_in(client, cast)
        clock.move_to(start + IDLE - SECOND)
        assert signed_in(client)  # 29:59: still signed in, and the session is written
        clock.move_to(start + IDLE - SECOND + IDLE)
        assert not signed_in(client)  # 30:00 after that write: signed out


@pytest.mark.django_db
def test_a_request_every_50_seconds_keeps_the_session_alive(client, cast):
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False) as clock:
        sign_in(client, cast)
        writes = []
        for step in range(1, 50):  # 40 minutes 50 seconds, longer than the idle timeout
            clock.move_to(start + step * timedelta(seconds=50))
            writes.append(session_writes(client))
    # Written when the last write is a minute old: every other request, not every one.
    assert writes == [0, 1] * 24 + [0]


@pytest.mark.django_db
def test_the_idle_time_counts_from_the_last_write_not_an_unwritten_request(client, cast):
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False) as clock:
        sign_in(client, cast)
        clock.move_to(start + timedelta(seconds=59))
        assert session_writes(client) == 0  # under a minute since the write: not written
        clock.move_to(start + IDLE)
        # 29:01 after the last request but 30:00 after the last write: exact to the minute.
        assert not signed_in(client)


@pytest.mark.django_db
def test_the_idle_timeout_is_checked_on_every_request_not_only_by_the_store(client, cast):
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False) as clock:
        sign_in(client, cast)
        clock.move_to(start + IDLE)
        # The stored session is written afresh (the store would keep it 30 more minutes),
        # but the last touch it records is 30 minutes old.
        session = client.session
        session[TOUCHED_AT_KEY] = (start).timestamp()
        session.save()
        assert not signed_in(client)
