from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
import time_machine
from django.db.utils import OperationalError
from django.utils import timezone

from system.models import SchedulerHeartbeat
from system.tasks import heartbeat


@pytest.mark.django_db
def test_healthz_reports_database_broker_and_scheduler(client):
    heartbeat.delay()
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is True
    assert body["scheduler"]["ok"] is True
    assert body["scheduler"]["last_beat"] is not None


@pytest.mark.django_db
def test_healthz_says_the_scheduler_is_stale_when_beat_stopped(client):
    SchedulerHeartbeat.objects.create(beat_at=timezone.now() - timedelta(minutes=10))
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["scheduler"]["ok"] is False
    assert response.json()["scheduler"]["seconds_since_last_beat"] >= 600


@pytest.mark.django_db
def test_healthz_without_any_beat_yet(client):
    body = client.get("/healthz").json()
    assert body["scheduler"] == {"ok": False, "last_beat": None}


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_does_not_answer(client):
    with mock.patch(
        "system.selectors.connection.cursor", side_effect=OperationalError("connection refused")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"] == {"ok": False, "error": "OperationalError"}
    assert "connection refused" not in response.content.decode()


@pytest.mark.django_db
def test_healthz_reports_a_broker_that_is_down(client, settings):
    with mock.patch(
        "kombu.connection.Connection.ensure_connection", side_effect=ConnectionError("down")
    ):
        body = client.get("/healthz").json()
    assert body["broker"] == {"ok": False, "error": "ConnectionError"}
    assert body["database"]["ok"] is True


# Readiness: /readyz is 503 when any part the work needs is missing (database, broker,
# a scheduler heartbeat younger than HAVEN_SCHEDULER_STALE_AFTER_SECONDS); /healthz stays
# liveness, so beat being down does not restart the web container.

BEAT_AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _beat_then_ask(client, settings, *, seconds_later):
    settings.HAVEN_SCHEDULER_STALE_AFTER_SECONDS = 180
    SchedulerHeartbeat.objects.create(beat_at=BEAT_AT)
    with time_machine.travel(BEAT_AT + timedelta(seconds=seconds_later), tick=False):
        return client.get("/readyz")


@pytest.mark.django_db
def test_readyz_is_ready_one_second_inside_the_scheduler_staleness_limit(client, settings):
    response = _beat_then_ask(client, settings, seconds_later=179)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["failing"] == []
    assert body["scheduler"]["ok"] is True


@pytest.mark.django_db
@pytest.mark.parametrize("seconds_later", [180, 181, 600])
def test_readyz_is_503_once_the_scheduler_heartbeat_reaches_the_limit(
    client, settings, seconds_later
):
    response = _beat_then_ask(client, settings, seconds_later=seconds_later)
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["failing"] == ["scheduler"]
    assert body["scheduler"]["seconds_since_last_beat"] == seconds_later
    assert body["database"]["ok"] is True and body["broker"]["ok"] is True


@pytest.mark.django_db
def test_healthz_stays_200_for_liveness_while_readyz_says_beat_is_stale(client, settings):
    settings.HAVEN_SCHEDULER_STALE_AFTER_SECONDS = 180
    SchedulerHeartbeat.objects.create(beat_at=BEAT_AT)
    with time_machine.travel(BEAT_AT + timedelta(minutes=10), tick=False):
        assert client.get("/healthz").status_code == 200
        assert client.get("/readyz").status_code == 503


@pytest.mark.django_db
def test_readyz_is_503_before_any_heartbeat(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["scheduler"]


@pytest.mark.django_db
def test_readyz_is_503_when_the_broker_is_unreachable(client):
    heartbeat.delay()
    with mock.patch(
        "kombu.connection.Connection.ensure_connection", side_effect=ConnectionError("down")
    ):
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["broker"]
    assert body["broker"] == {"ok": False, "error": "ConnectionError"}


@pytest.mark.django_db
def test_readyz_is_503_when_the_database_does_not_answer(client):
    heartbeat.delay()
    with mock.patch(
        "system.selectors.connection.cursor", side_effect=OperationalError("connection refused")
    ):
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["database", "scheduler"]
    assert "connection refused" not in response.content.decode()


@pytest.mark.django_db
def test_readyz_needs_no_sign_in_and_reveals_nothing_personal(client, cast):
    SchedulerHeartbeat.objects.create(
        beat_at=timezone.now(), worker_hostname="celery@beat-host.internal"
    )
    response = client.get("/readyz")
    assert response.status_code == 200  # not a redirect to the sign-in page
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    text = response.content.decode()
    assert set(response.json()) == {"status", "failing", "database", "broker", "scheduler"}
    for private in (
        "beat-host",
        cast.officer.email,
        cast.manager.email,
        cast.organisation.name,
    ):
        assert private not in text
