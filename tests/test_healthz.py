from datetime import timedelta
from unittest import mock

import pytest
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
