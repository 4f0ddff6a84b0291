"""A real worker: an acknowledgement the broker never took is sent by the sweep."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from cases.models import OnlineReport
from cases.services.online import online_report_submit
from outbox import tasks
from outbox.models import OutgoingEmail
from tests.workers import celery_processes, wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_sweep_on_a_real_worker_sends_the_acknowledgement_missed_in_an_outage(
    organisation, tmp_path
):
    answers = {"description": "x", "contact_choice": "contact", "email": "r@example.test"}
    with mock.patch.object(tasks.send_emails, "apply_async", side_effect=OSError):
        report = online_report_submit(
            organisation=organisation, answers=answers, received_at=timezone.now()
        )
    assert OnlineReport.objects.get(pk=report.pk).acknowledgement_sent_at is None
    # Written a minute ago: past the grace a just-committed row gets before the sweep.
    OutgoingEmail.objects.update(created_at=timezone.now() - timedelta(minutes=1))
    with celery_processes(broker_url="filesystem://", tmp_path=tmp_path) as (app, queue):
        app.send_task("outbox.tasks.sweep_outbox", queue=queue)
        wait_for(
            lambda: OnlineReport.objects.get(pk=report.pk).acknowledgement_sent_at is not None,
            logs=tmp_path,
        )
