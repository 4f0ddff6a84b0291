"""Letters on a full or read-only document store: no 0-byte PDF kept, the letter waits with
the reason shown to the officer, and the sweep tries again (backing off) until space returns,
when it is rendered and sent exactly once."""

import errno
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from letters import tasks
from letters.models import Delivery, Letter, LetterKind, LetterStatus
from letters.services import delivery
from letters.services.issue import letter_issue
from tests.storage_faults import files_under, remount, small_tmpfs, use_storage

pytestmark = pytest.mark.django_db

MICROSECOND = timedelta(microseconds=1)
FULL = "Waiting: the document store is full — will retry."


def issue(letter_case, cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return letter_issue(
            case=letter_case.case,
            kind=LetterKind.ACKNOWLEDGEMENT,
            recipient=letter_case.victim,
            by=cast.officer,
            reason="",
            extra={"next_contact_date": "Monday 4 May 2026"},
            delivery=Delivery.EMAIL,
        )


def sweep_hands_over() -> bool:
    with mock.patch.object(tasks.letter_process, "apply_async") as send:
        tasks.letters_requeue.apply()
    return send.called


def test_a_full_store_keeps_the_letter_waiting_with_the_reason_and_no_pdf(
    client, letter_case, cast, settings, tmp_path, django_capture_on_commit_callbacks
):
    use_storage(settings, tmp_path / "private", refuse=errno.ENOSPC)
    with time_machine.travel(timezone.now(), tick=False):
        letter = issue(letter_case, cast, django_capture_on_commit_callbacks)
        letter.refresh_from_db()
        assert letter.status == LetterStatus.QUEUED and letter.waiting
        assert letter.failure == FULL
        assert letter.retry_at == timezone.now() + delivery.STORAGE_RETRY_FIRST
        assert letter.render_claim == ""  # released: nobody has to wait for a lease
    assert files_under(tmp_path / "private") == []  # the partial PDF was removed
    assert mail.outbox == []
    client.force_login(cast.officer)
    page = client.get(reverse("cases:detail", args=[letter_case.case.pk])).content.decode()
    assert "Waiting: the document store is full — will retry." in page
    assert letter.history.filter(history_change_reason="Waiting for the document store").exists()


def test_a_read_only_store_says_so(
    letter_case, cast, settings, tmp_path, django_capture_on_commit_callbacks
):
    use_storage(settings, tmp_path / "private", refuse=errno.EROFS)
    letter = issue(letter_case, cast, django_capture_on_commit_callbacks)
    letter.refresh_from_db()
    assert letter.failure == "Waiting: the document store is read-only — will retry."
    assert files_under(tmp_path / "private") == []


def test_the_sweep_retries_with_backoff_and_sends_once_when_space_returns(
    letter_case, cast, settings, tmp_path, django_capture_on_commit_callbacks
):
    private = tmp_path / "private"
    use_storage(settings, private, refuse=errno.ENOSPC)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        letter = issue(letter_case, cast, django_capture_on_commit_callbacks)
        first_retry = Letter.objects.get(pk=letter.pk).retry_at
        clock.move_to(first_retry - MICROSECOND)
        assert not sweep_hands_over()  # not before its time
        clock.move_to(first_retry)
        tasks.letters_requeue.apply()  # tried again: still full, the pause doubles
        letter.refresh_from_db()
        assert letter.waiting
        assert letter.retry_at == first_retry + 2 * delivery.STORAGE_RETRY_FIRST
        use_storage(settings, private)  # space returns
        clock.move_to(letter.retry_at)
        tasks.letters_requeue.apply()
        clock.move_to(letter.retry_at + timedelta(minutes=10))
        tasks.letters_requeue.apply()
        tasks.letter_process.apply(args=[letter.pk])  # a late redelivery changes nothing
    letter.refresh_from_db()
    assert letter.status == LetterStatus.SENT and not letter.waiting and letter.failure == ""
    assert len(mail.outbox) == 1
    (pdf,) = files_under(private)
    assert pdf.stat().st_size > 0 and pdf == private / letter.pdf.name


def test_the_pause_between_tries_stops_growing_at_five_minutes(
    letter_case, cast, settings, tmp_path, django_capture_on_commit_callbacks
):
    use_storage(settings, tmp_path / "private", refuse=errno.ENOSPC)
    with mock.patch.object(tasks.letter_process, "apply_async"):
        letter = issue(letter_case, cast, django_capture_on_commit_callbacks)
    Letter.objects.filter(pk=letter.pk).update(attempts=9)
    with time_machine.travel(timezone.now(), tick=False):
        delivery.letter_render(letter_id=letter.pk)
        assert Letter.objects.get(pk=letter.pk).retry_at == timezone.now() + timedelta(minutes=5)


def test_on_a_real_full_disk_no_empty_pdf_is_kept_and_the_letter_goes_once_space_returns(
    letter_case, cast, settings, tmp_path, django_capture_on_commit_callbacks
):
    with small_tmpfs(tmp_path / "private", size="8k") as disk:
        use_storage(settings, disk)
        with time_machine.travel(timezone.now(), tick=False) as clock:
            letter = issue(letter_case, cast, django_capture_on_commit_callbacks)
            letter.refresh_from_db()
            assert letter.failure == FULL
            assert files_under(disk) == []
            remount(disk, "size=4m")  # space returns
            clock.move_to(letter.retry_at)
            tasks.letters_requeue.apply()
        letter.refresh_from_db()
        assert letter.status == LetterStatus.SENT and len(mail.outbox) == 1
        assert len(files_under(disk)) == 1
