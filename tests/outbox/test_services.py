"""The outbox: a promised e-mail is sent once, retried when it was not, never sent twice."""

from datetime import timedelta
from smtplib import SMTPServerDisconnected
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from outbox import registry, tasks
from outbox.models import EmailStatus, OutgoingEmail
from outbox.services import (
    HAND_OVER_GRACE,
    LEASE,
    MAX_ATTEMPTS,
    MAY_HAVE_GONE,
    REQUEUE_AFTER,
    TASK_TIME_LIMIT,
    outbox_email_add,
    outbox_email_retry,
    outbox_emails_send,
    outbox_sweep,
)

pytestmark = pytest.mark.django_db


def note(**fields) -> OutgoingEmail:
    """A stored-content e-mail, written but (inside the test's transaction) not handed over."""
    return outbox_email_add(
        kind="test.note", subject="Hello", body="A note.", to=["ann@example.test"], **fields
    )


def refresh(email: OutgoingEmail) -> OutgoingEmail:
    email.refresh_from_db()
    return email


def test_a_sent_email_is_never_sent_again():
    email = note()
    assert outbox_emails_send(email_ids=[email.pk]) == 1
    assert outbox_emails_send(email_ids=[email.pk]) == 0  # a redelivered task
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        assert outbox_sweep().requeued == 0
    assert len(mail.outbox) == 1
    assert refresh(email).status == EmailStatus.SENT and email.sent_at is not None
    assert mail.outbox[0].extra_headers["Message-ID"] == f"<outbox-{email.pk}@haven.invalid>"


def test_the_sweep_leaves_a_just_written_email_to_its_hand_over_then_takes_it_at_the_boundary():
    email = note()
    written = email.created_at
    with time_machine.travel(written + HAND_OVER_GRACE, tick=False):
        assert outbox_sweep().requeued == 0
    with time_machine.travel(written + HAND_OVER_GRACE + timedelta(microseconds=1), tick=False):
        assert outbox_sweep().requeued == 1
    assert len(mail.outbox) == 1


def test_a_handed_over_email_no_worker_took_is_handed_over_again_after_requeue_after():
    email = note()
    handed = timezone.now()
    OutgoingEmail.objects.filter(pk=email.pk).update(enqueued_at=handed)  # the broker lost it
    with time_machine.travel(handed + REQUEUE_AFTER, tick=False):
        assert outbox_sweep().requeued == 0
    with time_machine.travel(handed + REQUEUE_AFTER + timedelta(seconds=1), tick=False):
        assert outbox_sweep().requeued == 1
    assert len(mail.outbox) == 1


def test_a_claim_whose_lease_expired_is_retried_and_sent_once():
    """A worker claimed the e-mail and died before it spoke to the mail server."""
    email = note()
    claimed = timezone.now()
    OutgoingEmail.objects.filter(pk=email.pk).update(
        claim="dead-worker", lease_expires_at=claimed + LEASE, attempts=1
    )
    assert timedelta(seconds=TASK_TIME_LIMIT) < LEASE  # it outlives the task that holds it
    assert outbox_emails_send(email_ids=[email.pk]) == 0  # still held
    with time_machine.travel(claimed + LEASE, tick=False):
        assert outbox_sweep().requeued == 0
    with time_machine.travel(claimed + LEASE + timedelta(seconds=1), tick=False):
        assert outbox_sweep().requeued == 1
        assert outbox_sweep().requeued == 0  # the new claim holds it now (it was sent)
    assert len(mail.outbox) == 1
    assert refresh(email).status == EmailStatus.SENT and email.attempts == 2


def test_an_email_interrupted_after_reaching_the_mail_server_is_flagged_not_resent():
    email = note()
    claimed = timezone.now()
    OutgoingEmail.objects.filter(pk=email.pk).update(
        claim="dead-worker",
        lease_expires_at=claimed + LEASE,
        handed_over_at=claimed,
        attempts=1,
    )
    with time_machine.travel(claimed + LEASE + timedelta(seconds=1), tick=False):
        result = outbox_sweep()
        assert (result.may_have_gone, result.requeued) == (1, 0)
        assert outbox_emails_send(email_ids=[email.pk]) == 0
    assert mail.outbox == []
    assert refresh(email).status == EmailStatus.FAILED and email.failure == MAY_HAVE_GONE
    # Someone checked with the recipient and sends it again: same Message-ID, sent once.
    outbox_email_retry(email=email)
    assert outbox_emails_send(email_ids=[email.pk]) == 1
    assert mail.outbox[0].extra_headers["Message-ID"] == f"<outbox-{email.pk}@haven.invalid>"


def test_a_slow_worker_that_lost_its_lease_still_records_the_send():
    """Flagged as interrupted while the worker was only slow: its stamp wins, no resend."""
    email = note()
    sweep_at = timezone.now() + LEASE + timedelta(seconds=1)

    def slow_send(message, *args, **kwargs):
        with time_machine.travel(sweep_at, tick=False):
            assert outbox_sweep().may_have_gone == 1
        return 1

    with mock.patch("django.core.mail.EmailMessage.send", slow_send):
        assert outbox_emails_send(email_ids=[email.pk]) == 1
    assert refresh(email).status == EmailStatus.SENT and email.failure == ""


def test_a_refused_send_backs_off_is_retried_and_fails_visibly_after_max_attempts():
    email = note()
    refused = mock.patch(
        "django.core.mail.EmailMessage.send", side_effect=SMTPServerDisconnected("bye")
    )
    now = timezone.now()
    with refused:
        for attempt in range(1, MAX_ATTEMPTS + 1):
            with time_machine.travel(now, tick=False):
                assert outbox_emails_send(email_ids=[email.pk]) == 0
            refresh(email)
            assert email.attempts == attempt
            assert email.handed_over_at is None  # refused: it did not go
            if attempt < MAX_ATTEMPTS:
                assert email.status == EmailStatus.QUEUED
                assert email.not_before == now + timedelta(minutes=2 ** (attempt - 1))
                with time_machine.travel(email.not_before - timedelta(seconds=1), tick=False):
                    assert outbox_sweep().requeued == 0  # backing off
                now = email.not_before
    assert email.status == EmailStatus.FAILED
    assert email.failure == "Not accepted by the mail server (SMTPServerDisconnected)"
    assert mail.outbox == []


def test_an_email_with_nothing_to_send_any_more_is_dropped():
    registry.register("test.gone", render=lambda params: None)
    email = outbox_email_add(kind="test.gone", key="1", params={"id": 1})
    assert outbox_emails_send(email_ids=[email.pk]) == 0
    assert refresh(email).status == EmailStatus.DROPPED
    assert mail.outbox == []


def test_a_kind_that_cannot_be_rendered_backs_off_with_the_reason():
    email = outbox_email_add(kind="test.unregistered", key="1", params={"id": 1})
    assert outbox_emails_send(email_ids=[email.pk]) == 0
    assert refresh(email).status == EmailStatus.QUEUED
    assert email.failure == "Could not be prepared (LookupError)"


def test_rendered_kinds_are_rendered_when_sent_and_their_owner_is_told():
    told = []
    registry.register(
        "test.rendered",
        render=lambda params: mail.EmailMessage("Hi", f"id {params['id']}", to=["b@example.test"]),
        sent=lambda params, at: told.append((params, at)),
    )
    email = outbox_email_add(kind="test.rendered", key="7", params={"id": 7})
    assert (email.subject, email.body, email.to) == ("", "", [])  # nothing stored but ids
    assert outbox_emails_send(email_ids=[email.pk]) == 1
    assert mail.outbox[0].body == "id 7"
    assert told == [({"id": 7}, refresh(email).sent_at)]


def test_the_sweep_is_on_the_beat_schedule_every_minute_and_registered():
    from config.celery import app

    entry = app.conf.beat_schedule["outbox-sweep"]
    assert entry["task"] == tasks.sweep_outbox.name == "outbox.tasks.sweep_outbox"
    assert entry["schedule"] == 60.0
    assert tasks.send_emails.name in app.tasks


def test_the_admin_lists_each_email_state_and_failure_without_addresses(client, django_user_model):
    sent = note()
    outbox_emails_send(email_ids=[sent.pk])
    failed = note()
    OutgoingEmail.objects.filter(pk=failed.pk).update(
        status=EmailStatus.FAILED, failure=MAY_HAVE_GONE
    )
    admin = django_user_model.objects.create_superuser(
        email="root@example.test", password="x-long-password-1", full_name="Root"
    )
    client.force_login(admin)
    page = client.get(reverse("admin:outbox_outgoingemail_changelist") + "?status=failed")
    body = page.content.decode()
    assert page.status_code == 200
    assert MAY_HAVE_GONE in body and "ann@example.test" not in body
    response = client.post(
        reverse("admin:outbox_outgoingemail_changelist"),
        {"action": "send_again", "_selected_action": [failed.pk]},
    )
    assert response.status_code == 302
    assert refresh(failed).status == EmailStatus.QUEUED


def test_a_lapsed_claim_is_handed_over_once_per_round_and_again_if_lost_again():
    email = note()
    claimed = timezone.now()
    OutgoingEmail.objects.filter(pk=email.pk).update(
        claim="dead-worker", lease_expires_at=claimed + LEASE, enqueued_at=claimed, attempts=1
    )
    swept = claimed + LEASE + timedelta(seconds=1)
    with mock.patch.object(tasks.send_emails, "apply_async") as broker:  # taken, then lost
        with time_machine.travel(swept, tick=False):
            assert outbox_sweep().requeued == 1
        with time_machine.travel(swept + timedelta(minutes=1), tick=False):
            assert outbox_sweep().requeued == 0  # handed over since it lapsed
        with time_machine.travel(swept + REQUEUE_AFTER + timedelta(seconds=1), tick=False):
            assert outbox_sweep().requeued == 1  # lost again: handed over again
    assert [c.kwargs["args"] for c in broker.call_args_list] == [[[email.pk]], [[email.pk]]]
