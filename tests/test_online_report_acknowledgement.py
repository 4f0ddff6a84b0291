"""The acknowledgement e-mail: the reference only, sent once, never lost to a broker outage."""

from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from cases.models import OnlineReport
from cases.online import tasks as online_tasks
from cases.services.online import ACKNOWLEDGEMENT, online_report_submit
from outbox import tasks
from outbox.models import OutgoingEmail
from outbox.services import outbox_sweep
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
    row = OutgoingEmail.objects.get(kind=ACKNOWLEDGEMENT)
    assert row.params == {"report": report.pk} and row.to == []  # the address stays put
    # A duplicate delivery of the task, an old-name task and later sweeps do nothing.
    assert tasks.send_emails([row.pk]) == 0
    online_tasks.online_report_acknowledge(report.pk)
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=5)):
        assert outbox_sweep().requeued == 0
    assert len(mail.outbox) == 1
    assert OutgoingEmail.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_report_is_saved_and_acknowledged_later_when_the_broker_is_down(organisation):
    with mock.patch.object(tasks.send_emails, "apply_async", side_effect=OSError("broker down")):
        report = online_report_submit(
            organisation=organisation, answers=ANSWERS, received_at=timezone.now()
        )
    report.refresh_from_db()  # saved first: the outage lost nothing
    assert report.acknowledgement_sent_at is None
    assert mail.outbox == []
    # The broker is back: the outbox sweep hands it over, and it is sent once.
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=1)):
        assert tasks.sweep_outbox() == {"requeued": 1, "may_have_gone": 0}
        assert outbox_sweep().requeued == 0
    assert [m.to for m in mail.outbox] == [["rita@example.test"]]
    report.refresh_from_db()
    assert report.acknowledgement_sent_at is not None


@pytest.mark.django_db(transaction=True)
def test_an_acknowledgement_queued_before_the_outbox_is_sent_once_by_its_old_task(organisation):
    with mock.patch.object(tasks.send_emails, "apply_async"):
        report = online_report_submit(
            organisation=organisation, answers=ANSWERS, received_at=timezone.now()
        )
    OutgoingEmail.objects.all().delete()  # as if written by the code before the outbox
    online_tasks.online_report_acknowledge(report.pk)
    assert len(mail.outbox) == 1
    online_tasks.online_report_acknowledge(report.pk)  # redelivered: already acknowledged
    assert len(mail.outbox) == 1
