"""Claims are leases: a dead worker's claim is taken over just after its lease, never before."""

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from config.celery import app
from letters import tasks
from letters.models import Delivery, Letter, LetterKind, LetterStatus
from letters.services import delivery
from letters.services.issue import letter_issue

pytestmark = pytest.mark.django_db

MICROSECOND = timedelta(microseconds=1)


def issue(letter_case, cast):
    with mock.patch.object(tasks.letter_process, "apply_async"):
        return letter_issue(
            case=letter_case.case,
            kind=LetterKind.ACKNOWLEDGEMENT,
            recipient=letter_case.victim,
            by=cast.officer,
            reason="",
            extra={"next_contact_date": "Monday 4 May 2026"},
            delivery=Delivery.EMAIL,
        )


def sweep_hands_over() -> list[int]:
    with mock.patch.object(tasks.letter_process, "apply_async") as send:
        tasks.letters_requeue.apply()
    return [c.kwargs["args"][0] for c in send.call_args_list]


def test_the_lease_outlives_the_tasks_hard_limit_and_recovery_fits_in_three_minutes():
    assert tasks.letter_process.time_limit == delivery.TASK_HARD_LIMIT
    assert tasks.letter_process.soft_time_limit < tasks.letter_process.time_limit
    assert timedelta(seconds=delivery.TASK_HARD_LIMIT) < delivery.CLAIM_LEASE
    sweep_every = timedelta(seconds=app.conf.beat_schedule["letters-requeue"]["schedule"])
    assert delivery.CLAIM_LEASE + sweep_every <= timedelta(minutes=3)


def test_a_dead_workers_render_claim_holds_to_the_end_of_its_lease(letter_case, cast):
    letter = issue(letter_case, cast)
    claimed_at = timezone.now()
    # A worker claimed the letter for rendering and was killed.
    Letter.objects.filter(pk=letter.pk).update(render_claim="dead", render_claimed_at=claimed_at)
    with time_machine.travel(claimed_at + delivery.CLAIM_LEASE, tick=False):
        assert sweep_hands_over() == []
        assert delivery.letter_render(letter_id=letter.pk) is False
    assert Letter.objects.get(pk=letter.pk).render_claim == "dead"


def test_a_dead_workers_render_claim_is_taken_over_just_after_its_lease(letter_case, cast):
    letter = issue(letter_case, cast)
    claimed_at = timezone.now()
    Letter.objects.filter(pk=letter.pk).update(render_claim="dead", render_claimed_at=claimed_at)
    with time_machine.travel(claimed_at + delivery.CLAIM_LEASE + MICROSECOND, tick=False):
        assert sweep_hands_over() == [letter.pk]
        tasks.letter_process.apply(args=[letter.pk])
        tasks.letter_process.apply(args=[letter.pk])  # the broker's own redelivery, too
    letter.refresh_from_db()
    assert letter.status == LetterStatus.SENT
    assert len(mail.outbox) == 1


def test_a_letter_rendered_by_a_worker_that_died_before_sending_goes_after_the_lease(
    letter_case, cast
):
    letter = issue(letter_case, cast)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert delivery.letter_render(letter_id=letter.pk)
        rendered_at = timezone.now()
        clock.move_to(rendered_at + delivery.CLAIM_LEASE)
        assert sweep_hands_over() == []
        clock.move_to(rendered_at + delivery.CLAIM_LEASE + MICROSECOND)
        assert sweep_hands_over() == [letter.pk]


def test_an_interrupted_send_is_failed_for_the_officer_just_after_its_lease(letter_case, cast):
    letter = issue(letter_case, cast)
    delivery.letter_render(letter_id=letter.pk)
    claimed_at = timezone.now()
    Letter.objects.filter(pk=letter.pk).update(
        send_claim="dead", send_claimed_at=claimed_at, send_handed_over_at=claimed_at
    )
    with time_machine.travel(claimed_at + delivery.CLAIM_LEASE, tick=False):
        tasks.letters_requeue.apply()
    assert Letter.objects.get(pk=letter.pk).status == LetterStatus.RENDERED
    with time_machine.travel(claimed_at + delivery.CLAIM_LEASE + MICROSECOND, tick=False):
        tasks.letters_requeue.apply()
    letter.refresh_from_db()
    assert letter.status == LetterStatus.FAILED
    assert "check with the recipient" in letter.failure
    assert mail.outbox == []


def test_a_sender_that_died_before_the_mail_server_had_it_is_replaced_once_after_its_lease(
    letter_case, cast
):
    """Killed after claiming the send but before handing the message over: it never went,
    so just after the lease the letter is sent again, once, and never failed."""
    letter = issue(letter_case, cast)
    delivery.letter_render(letter_id=letter.pk)
    claimed_at = timezone.now()
    Letter.objects.filter(pk=letter.pk).update(send_claim="dead", send_claimed_at=claimed_at)
    with time_machine.travel(claimed_at + delivery.CLAIM_LEASE, tick=False):
        assert sweep_hands_over() == []
        assert delivery.letter_send(letter_id=letter.pk) is False  # the claim still holds
    with time_machine.travel(claimed_at + delivery.CLAIM_LEASE + MICROSECOND, tick=False):
        assert sweep_hands_over() == [letter.pk]
        assert delivery.letter_send(letter_id=letter.pk) is True
        assert delivery.letter_send(letter_id=letter.pk) is False
    letter.refresh_from_db()
    assert letter.status == LetterStatus.SENT and letter.failure == ""
    assert len(mail.outbox) == 1


def test_the_render_and_its_history_row_are_one_transaction(letter_case, cast):
    """A worker killed between the status change and its history row cannot leave a rendered
    letter without "Rendered to PDF" in its history: both commit together or neither."""
    letter = issue(letter_case, cast)
    with (
        mock.patch.object(delivery, "_history", side_effect=RuntimeError("killed")),
        pytest.raises(RuntimeError),
    ):
        delivery.letter_render(letter_id=letter.pk)
    assert Letter.objects.get(pk=letter.pk).status == LetterStatus.QUEUED
