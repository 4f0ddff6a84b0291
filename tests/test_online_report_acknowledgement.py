"""The acknowledgement e-mail: the reference only, sent once, never lost to a broker outage."""

from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from cases.models import OnlineReport
from cases.online import tasks
from cases.services.online import (
    ACK_CLAIM_EXPIRES,
    acknowledgements_requeue,
    online_report_acknowledgement_send,
    online_report_submit,
)
from tests.online_reports import walk

ANSWERS = {
    "danger": "no",
    "reporter_type": "victim",
    "description": "My landlord's tenant at number 14 shouted racist abuse and spat at me.",
    "location": "Oak House stairwell",
    "perpetrator_name": "Derek Dunn",
    "contact_choice": "contact",
    "full_name": "Rita Resident",
    "email": "rita@example.test",
}


@pytest.mark.django_db(transaction=True)
def test_acknowledgement_email_has_the_reference_and_no_incident_details(client, organisation):
    walk(client, "WCH")
    report = OnlineReport.objects.get()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["rita@example.test"]
    assert message.subject == f"Your reference {report.reference}"
    assert report.reference in message.body
    text = (message.subject + message.body).lower()
    for detail in ("racist", "shouted", "oak house", "derek", "dunn", "rita", "14"):
        assert detail not in text
    for word in ("harassment", "hate", "incident", "abuse", "complaint", "landlord"):
        assert word not in message.subject.lower()
        assert word not in message.body.lower()
    report.refresh_from_db()
    assert report.acknowledgement_sent_at is not None


@pytest.mark.django_db(transaction=True)
def test_anonymous_report_sends_no_email(client, organisation):
    walk(client, "WCH", overrides={"contact": {"contact_choice": "anonymous"}})
    assert OnlineReport.objects.count() == 1
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_acknowledgement_is_sent_exactly_once(organisation):
    report = online_report_submit(
        organisation=organisation, answers=ANSWERS, received_at=timezone.now()
    )
    assert len(mail.outbox) == 1
    # A duplicate delivery of the task and a sweep both find nothing to do.
    assert tasks.online_report_acknowledge(report.pk) is False
    assert acknowledgements_requeue() == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_report_is_saved_and_acknowledged_later_when_the_broker_is_down(organisation):
    with mock.patch.object(
        tasks.online_report_acknowledge, "delay", side_effect=OSError("broker down")
    ):
        report = online_report_submit(
            organisation=organisation, answers=ANSWERS, received_at=timezone.now()
        )
    report.refresh_from_db()  # saved first: the outage lost nothing
    assert report.acknowledgement_sent_at is None
    assert mail.outbox == []
    # The broker is back: the periodic sweep re-queues it, and it is sent once.
    assert tasks.online_report_acknowledgements_sweep() == 1
    assert len(mail.outbox) == 1
    assert acknowledgements_requeue() == 0


@pytest.mark.django_db(transaction=True)
def test_failed_send_is_released_for_the_sweep(organisation):
    with mock.patch.object(tasks.online_report_acknowledge, "delay"):
        report = online_report_submit(
            organisation=organisation, answers=ANSWERS, received_at=timezone.now()
        )
    with (
        mock.patch("cases.services.online.send_mail", side_effect=OSError("smtp down")),
        pytest.raises(OSError),
    ):
        online_report_acknowledgement_send(report_pk=report.pk)
    report.refresh_from_db()
    assert report.acknowledgement_claimed_at is None
    assert online_report_acknowledgement_send(report_pk=report.pk) is True
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_a_claim_by_a_worker_that_died_expires(organisation):
    with mock.patch.object(tasks.online_report_acknowledge, "delay"):
        report = online_report_submit(
            organisation=organisation, answers=ANSWERS, received_at=timezone.now()
        )
    claimed_at = timezone.now()
    OnlineReport.objects.filter(pk=report.pk).update(acknowledgement_claimed_at=claimed_at)
    assert online_report_acknowledgement_send(report_pk=report.pk) is False
    with time_machine.travel(claimed_at + ACK_CLAIM_EXPIRES + timezone.timedelta(seconds=1)):
        assert online_report_acknowledgement_send(report_pk=report.pk) is True
    assert len(mail.outbox) == 1


def test_sweep_is_on_the_beat_schedule():
    from config.celery import app

    entry = app.conf.beat_schedule["online-report-acknowledgements-sweep"]
    assert entry["task"] == tasks.online_report_acknowledgements_sweep.name
