"""Nothing lost, nothing twice: one PDF and one e-mail per letter whatever happens."""

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from kombu.exceptions import OperationalError

from letters import tasks
from letters.models import Delivery, Letter, LetterKind, LetterStatus
from letters.services import delivery
from letters.services.issue import letter_issue

pytestmark = pytest.mark.django_db


def issue(letter_case, cast, **kwargs):
    return letter_issue(
        case=letter_case.case,
        kind=kwargs.pop("kind", LetterKind.ACKNOWLEDGEMENT),
        recipient=kwargs.pop("recipient", letter_case.victim),
        by=cast.officer,
        reason="",
        extra={"next_contact_date": "Monday 4 May 2026"},
        delivery=kwargs.pop("delivery", Delivery.EMAIL),
    )


def pdf_files(private_storage):
    return sorted(p for p in private_storage.rglob("*.pdf"))


def test_the_letter_row_is_saved_with_the_event_and_handed_over_on_commit(
    letter_case, cast, django_capture_on_commit_callbacks
):
    with mock.patch.object(tasks.letter_process, "apply_async") as send:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            letter = issue(letter_case, cast)
            assert not send.called  # nothing reaches the broker before the commit
        for callback in callbacks:
            callback()
    send.assert_called_once_with(args=[letter.pk], retry=False)
    letter.refresh_from_db()
    assert letter.status == LetterStatus.QUEUED and letter.enqueued_at is not None


def test_a_rendering_task_run_twice_gives_one_pdf_and_one_email(
    letter_case, cast, private_storage, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        letter = issue(letter_case, cast)
    tasks.letter_process.apply(args=[letter.pk])
    tasks.letter_process.apply(args=[letter.pk])
    letter.refresh_from_db()
    assert letter.status == LetterStatus.SENT
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["victim@example.org"]
    assert mail.outbox[0].attachments[0][2] == "application/pdf"
    assert len(pdf_files(private_storage)) == 1
    # The e-mail's own text names nobody: the letter is in the attachment.
    assert "CANARY" not in mail.outbox[0].body


def test_two_workers_on_the_same_letter_give_one_pdf_and_one_email(
    letter_case, cast, private_storage
):
    with mock.patch.object(tasks.letter_process, "apply_async"):
        letter = issue(letter_case, cast)
    real_render = delivery.html_to_pdf
    second_worker = {}

    def render_while_another_worker_runs(html):
        # Worker B starts on the same letter while worker A is still rendering it.
        second_worker["rendered"] = delivery.letter_render(letter_id=letter.pk)
        delivery.letter_send(letter_id=letter.pk)
        return real_render(html)

    with mock.patch.object(delivery, "html_to_pdf", side_effect=render_while_another_worker_runs):
        tasks.letter_process.apply(args=[letter.pk])
    assert second_worker["rendered"] is False
    letter.refresh_from_db()
    assert letter.status == LetterStatus.SENT
    assert len(mail.outbox) == 1
    assert len(pdf_files(private_storage)) == 1


def test_two_senders_of_one_rendered_letter_send_one_email(letter_case, cast):
    with mock.patch.object(tasks.letter_process, "apply_async"):
        letter = issue(letter_case, cast)
    assert delivery.letter_render(letter_id=letter.pk)
    original_send = mail.EmailMessage.send

    def send_and_race(self, *args, **kwargs):
        assert delivery.letter_send(letter_id=letter.pk) is False  # the other worker
        return original_send(self, *args, **kwargs)

    with mock.patch.object(mail.EmailMessage, "send", send_and_race):
        assert delivery.letter_send(letter_id=letter.pk) is True
    assert len(mail.outbox) == 1


def test_with_the_broker_down_the_event_saves_and_the_letter_goes_once_it_is_back(
    letter_case, cast, private_storage, django_capture_on_commit_callbacks
):
    with mock.patch.object(
        tasks.letter_process, "apply_async", side_effect=OperationalError("broker down")
    ):
        with django_capture_on_commit_callbacks(execute=True):
            letter = issue(letter_case, cast)
        letter.refresh_from_db()
        assert letter.status == LetterStatus.QUEUED and letter.enqueued_at is None
        # The beat sweep runs while the broker is still down: nothing is lost.
        with time_machine.travel(timezone.now() + timedelta(minutes=5)):
            tasks.letters_requeue.apply()
        assert Letter.objects.get(pk=letter.pk).status == LetterStatus.QUEUED
    # The broker is back: the next sweep hands it over and it goes, once.
    with time_machine.travel(timezone.now() + timedelta(minutes=10)):
        tasks.letters_requeue.apply()
        tasks.letters_requeue.apply()
    letter.refresh_from_db()
    assert letter.status == LetterStatus.SENT
    assert len(mail.outbox) == 1
    assert len(pdf_files(private_storage)) == 1


def test_a_fresh_queued_letter_is_left_to_its_own_task(letter_case, cast):
    with mock.patch.object(tasks.letter_process, "apply_async"):
        issue(letter_case, cast)
    with mock.patch.object(tasks.letter_process, "apply_async") as send:
        tasks.letters_requeue.apply()
    assert not send.called


def test_a_send_interrupted_after_the_mail_server_had_it_is_never_resent_blindly(letter_case, cast):
    with mock.patch.object(tasks.letter_process, "apply_async"):
        letter = issue(letter_case, cast)
    delivery.letter_render(letter_id=letter.pk)
    # A worker claimed the e-mail, handed it to the mail server and died before recording
    # that it was sent.
    Letter.objects.filter(pk=letter.pk).update(
        send_claim="dead", send_claimed_at=timezone.now(), send_handed_over_at=timezone.now()
    )
    with time_machine.travel(timezone.now() + timedelta(minutes=30)):
        tasks.letters_requeue.apply()
    letter.refresh_from_db()
    assert letter.status == LetterStatus.FAILED
    assert "check with the recipient" in letter.failure
    assert mail.outbox == []


def test_a_letter_for_posting_is_rendered_then_marked_posted(letter_case, cast):
    with mock.patch.object(tasks.letter_process, "apply_async"):
        letter = issue(letter_case, cast, recipient=letter_case.victim, delivery=Delivery.POST)
    tasks.letter_process.apply(args=[letter.pk])
    letter.refresh_from_db()
    assert letter.status == LetterStatus.RENDERED and mail.outbox == []
    delivery.letter_mark_posted(letter=letter, by=cast.officer)
    letter.refresh_from_db()
    assert letter.status == LetterStatus.SENT and letter.posted_by == cast.officer
    assert letter.history.filter(history_change_reason="Marked as posted").exists()


def test_a_rendering_failure_is_recorded_and_can_be_tried_again(
    letter_case, cast, django_capture_on_commit_callbacks
):
    with mock.patch.object(tasks.letter_process, "apply_async"):
        letter = issue(letter_case, cast)
    with mock.patch.object(delivery, "html_to_pdf", side_effect=RuntimeError("boom")):
        tasks.letter_process.apply(args=[letter.pk])
    letter.refresh_from_db()
    assert letter.status == LetterStatus.FAILED and "RuntimeError" in letter.failure
    with django_capture_on_commit_callbacks(execute=True):
        delivery.letter_retry(letter=letter, by=cast.officer)
    letter.refresh_from_db()
    assert letter.status == LetterStatus.SENT and len(mail.outbox) == 1


def test_the_rendering_task_has_a_time_limit():
    assert tasks.letter_process.soft_time_limit == tasks.RENDER_SOFT_LIMIT
    assert tasks.letter_process.time_limit == tasks.RENDER_HARD_LIMIT


def test_a_soft_time_limit_fails_the_letter_without_a_pdf(letter_case, cast, private_storage):
    from celery.exceptions import SoftTimeLimitExceeded

    with mock.patch.object(tasks.letter_process, "apply_async"):
        letter = issue(letter_case, cast)
    with mock.patch.object(delivery, "html_to_pdf", side_effect=SoftTimeLimitExceeded()):
        tasks.letter_process.apply(args=[letter.pk])
    letter.refresh_from_db()
    assert letter.status == LetterStatus.FAILED
    assert pdf_files(private_storage) == []


def test_an_email_the_server_refuses_is_failed_for_the_officer_not_retried_blindly(
    letter_case, cast
):
    import smtplib

    with mock.patch.object(tasks.letter_process, "apply_async"):
        letter = issue(letter_case, cast)
    with mock.patch.object(
        mail.EmailMessage, "send", side_effect=smtplib.SMTPRecipientsRefused({})
    ):
        tasks.letter_process.apply(args=[letter.pk])
    letter.refresh_from_db()
    assert letter.status == LetterStatus.FAILED and "check the address" in letter.failure
    assert letter.pdf  # the PDF is kept; trying again only re-sends


def test_the_requeue_sweep_is_on_the_one_beat_schedule():
    from config.celery import app

    tasks_scheduled = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "letters.tasks.letters_requeue" in tasks_scheduled
