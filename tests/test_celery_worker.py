"""A real Celery round trip: a worker process runs the heartbeat and the database shows it."""

import os

import pytest

from system.models import SchedulerHeartbeat
from tests.workers import celery_processes, wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def redis_url() -> str:
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis"):
        pytest.skip("CELERY_BROKER_URL does not name a Redis broker (CI sets it).")
    return url


@pytest.mark.parametrize("broker", ["redis", "filesystem"])
def test_worker_runs_the_heartbeat_task(broker, tmp_path):
    url = redis_url() if broker == "redis" else "filesystem://"
    with celery_processes(broker_url=url, tmp_path=tmp_path) as (app, queue):
        app.send_task("system.tasks.heartbeat", queue=queue)
        wait_for(lambda: SchedulerHeartbeat.objects.exists(), logs=tmp_path)
    beat = SchedulerHeartbeat.objects.get()
    assert beat.worker_hostname.startswith("test-")


def test_beat_schedules_the_heartbeat_on_its_own(tmp_path):
    url = os.environ.get("CELERY_BROKER_URL") or "filesystem://"
    with celery_processes(
        broker_url=url, tmp_path=tmp_path, beat=True, extra_env={"HAVEN_HEARTBEAT_SECONDS": "2"}
    ):
        wait_for(lambda: SchedulerHeartbeat.objects.exists(), timeout=60, logs=tmp_path)
