"""In CI, for real: Celery beat and a worker turn a deadline overdue; its e-mail arrives once."""

import os
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from deadlines.models import DeadlineRule, DeadlineState
from policy.settings import Preset
from tests.deadline_helpers import apply_preset, open_case
from tests.workers import celery_processes, wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def broker(kind: str) -> str:
    url = os.environ.get("CELERY_BROKER_URL", "")
    if kind == "redis":
        if not url.startswith("redis"):
            pytest.skip("CELERY_BROKER_URL does not name a Redis broker (CI sets it).")
        return url
    return "filesystem://"


def overdue_notices(mail_dir, reference: str) -> int:
    text = "".join(p.read_text() for p in mail_dir.glob("*.log"))
    return text.count(f"Subject: Haven: OVERDUE {reference} ")


@pytest.mark.parametrize("kind", ["redis", "filesystem"])
def test_beat_and_worker_mark_a_deadline_overdue_and_email_once(cast, tmp_path, kind):
    url = broker(kind)
    apply_preset(cast.organisation, Preset.WCH_2022)
    case = open_case(cast, received_at=timezone.now() - timedelta(hours=24, seconds=5))
    deadline = case.deadlines.get(rule=DeadlineRule.W08_FIRST_CONTACT)
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {
        "HAVEN_SWEEP_SECONDS": "1",
        "HAVEN_HEARTBEAT_SECONDS": "3600",
        "HAVEN_TEST_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "HAVEN_TEST_EMAIL_FILE_PATH": str(mail_dir),
    }
    with celery_processes(broker_url=url, tmp_path=tmp_path, beat=True, extra_env=env):

        def notified() -> bool:
            deadline.refresh_from_db()
            return deadline.overdue_notified_at is not None

        wait_for(notified, timeout=60, logs=tmp_path)
        wait_for(lambda: overdue_notices(mail_dir, case.reference) >= 1, logs=tmp_path)
        time.sleep(4)  # several more sweeps run: none may send it again
    assert deadline.state == DeadlineState.OVERDUE
    assert overdue_notices(mail_dir, case.reference) == 1
    text = "".join(p.read_text() for p in mail_dir.glob("*.log"))
    assert f"To: {cast.officer.email}" in text
    assert f"Cc: {cast.manager.email}" in text
