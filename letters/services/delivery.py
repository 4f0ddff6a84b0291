"""Rendering and sending letters exactly once, and the sweep that loses none.

Each step claims the row with a conditional UPDATE and only the worker whose UPDATE changed
a row goes on: a retried task, or two workers given the same letter, produce one PDF and
one e-mail. A claim is a lease (``CLAIM_LEASE``): it outlives the task's hard time limit by a
margin, so once it has expired its holder is certainly dead (killed, or stopped by the limit)
and the sweep hands the letter to another worker (rendering is safe to repeat: the file is
written under a fixed name). The sender stamps ``send_handed_over_at`` just before it gives
the message to the mail server: a sender that died before that stamp never sent, so once its
lease expires the letter is sent again; one that died after it may have sent, so the letter
is never re-sent automatically but marked failed for an officer to check, which is the only
way to be sure nobody receives it twice. History rows are written in the same transaction as
the change they record, so a worker killed between the two cannot lose one.

A document store that refuses the PDF (a full or read-only disk) leaves no file behind and
the letter queued, saying why; the sweep tries again with a growing pause until it is stored.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import User

from ..models import Delivery, Letter, LetterStatus
from ..rendering import html_to_pdf, letter_html

logger = logging.getLogger(__name__)

# The letter task's time limits (letters/tasks.py): the soft limit fails the letter cleanly,
# the hard limit kills the pool child. No holder of a claim runs longer than the hard limit.
TASK_HARD_LIMIT = settings.HAVEN_LETTER_TASK_SECONDS
TASK_SOFT_LIMIT = TASK_HARD_LIMIT - min(15, TASK_HARD_LIMIT // 3)
# A claim older than this is dead: its holder was killed or stopped by the hard limit. The
# margin covers clocks that differ between worker hosts. With the sweep every minute, a
# worker's death is recovered from within lease + one sweep (2.5 minutes by default).
CLAIM_LEASE = timedelta(seconds=TASK_HARD_LIMIT + 30)
# A queued letter nobody claimed for this long is handed to the worker again by the sweep
# (the broker was down, or the message was lost with a worker before it was claimed).
REQUEUE_AFTER = timedelta(minutes=2)
# The document store refused the PDF: try again after 30 s, doubling to at most 5 minutes.
STORAGE_RETRY_FIRST = timedelta(seconds=30)
STORAGE_RETRY_MAX = timedelta(minutes=5)
STORAGE_WAITING = {
    errno.ENOSPC: "Waiting: the document store is full — will retry.",
    errno.EDQUOT: "Waiting: the document store is full — will retry.",
    errno.EROFS: "Waiting: the document store is read-only — will retry.",
}
STORAGE_WAITING_OTHER = "Waiting: the document store could not be written — will retry."


def pdf_name(letter: Letter) -> str:
    return f"letters/{letter.case.organisation_id}/{letter.case_id}/letter-{letter.pk}.pdf"


def _claim_render(letter_id: int, token: str) -> bool:
    now = timezone.now()
    unclaimed = Q(render_claim="") | Q(render_claimed_at__lt=now - CLAIM_LEASE)
    return bool(
        Letter.objects.filter(unclaimed, pk=letter_id, status=LetterStatus.QUEUED).update(
            render_claim=token, render_claimed_at=now
        )
    )


def letter_render(*, letter_id: int) -> bool:
    """Render a queued letter to PDF. True if this call rendered it."""
    token = uuid.uuid4().hex
    if not _claim_render(letter_id, token):
        return False
    letter = Letter.objects.select_related("case", "template").get(pk=letter_id)
    try:
        html = letter_html(
            subject=letter.template.subject,
            body=letter.template.body,
            values=letter.merge_values,
            large_print=letter.large_print,
        )
        pdf = html_to_pdf(html)
    except Exception as error:
        # SoftTimeLimitExceeded lands here too: the letter is failed, never half-written.
        Letter.objects.filter(pk=letter_id, render_claim=token).update(
            status=LetterStatus.FAILED,
            failure=f"Rendering failed: {type(error).__name__}"[:200],
            attempts=letter.attempts + 1,
        )
        logger.exception("Letter %s failed to render", letter_id)
        _history(letter_id, "Rendering failed")
        return False
    name = pdf_name(letter)
    try:
        # Nobody else writes this name while our lease lives (see CLAIM_LEASE).
        if default_storage.exists(name):
            default_storage.delete(name)
        saved = default_storage.save(name, ContentFile(pdf))
    except OSError as error:
        _discard(name)
        _wait_for_storage(letter, token, error)
        return False
    except Exception as error:
        _discard(name)
        Letter.objects.filter(pk=letter_id, render_claim=token).update(
            status=LetterStatus.FAILED,
            failure=f"Storing the PDF failed: {type(error).__name__}"[:200],
            attempts=letter.attempts + 1,
            retry_at=None,
        )
        logger.exception("Letter %s: storing the PDF failed", letter_id)
        _history(letter_id, "Storing the PDF failed")
        return False
    with transaction.atomic():
        done = Letter.objects.filter(
            pk=letter_id, render_claim=token, status=LetterStatus.QUEUED
        ).update(
            status=LetterStatus.RENDERED,
            pdf=saved,
            pdf_sha256=hashlib.sha256(pdf).hexdigest(),
            rendered_at=timezone.now(),
            attempts=letter.attempts + 1,
            failure="",
            retry_at=None,
        )
        if done:
            _history(letter_id, "Rendered to PDF")
    return bool(done)


def _discard(name: str) -> None:
    """Remove a partly written PDF (a full disk leaves one); a read-only disk has none."""
    try:
        if default_storage.exists(name):
            default_storage.delete(name)
    except OSError as error:
        logger.error("Could not remove the partly written file %s (%s)", name, error)


def _wait_for_storage(letter: Letter, token: str, error: OSError) -> None:
    """Keep the letter queued with the reason shown, release the claim, retry later."""
    pause = min(STORAGE_RETRY_FIRST * 2 ** min(letter.attempts, 10), STORAGE_RETRY_MAX)
    reason = STORAGE_WAITING.get(error.errno, STORAGE_WAITING_OTHER)
    released = Letter.objects.filter(pk=letter.pk, render_claim=token).update(
        render_claim="",
        render_claimed_at=None,
        failure=reason,
        retry_at=timezone.now() + pause,
        attempts=F("attempts") + 1,
    )
    logger.warning(
        "Letter %s: the document store refused the PDF (%s); retrying in %ss",
        letter.pk,
        errno.errorcode.get(error.errno, "unknown") if error.errno else type(error).__name__,
        int(pause.total_seconds()),
    )
    if released and letter.failure != reason:
        _history(letter.pk, "Waiting for the document store")


def letter_send(*, letter_id: int) -> bool:
    """E-mail a rendered letter with its PDF attached. True if this call sent it."""
    token = uuid.uuid4().hex
    claimed = Letter.objects.filter(
        pk=letter_id, status=LetterStatus.RENDERED, delivery=Delivery.EMAIL, send_claim=""
    ).update(send_claim=token, send_claimed_at=timezone.now())
    if not claimed:
        return False
    letter = Letter.objects.select_related("case__organisation", "template").get(pk=letter_id)
    organisation = letter.case.organisation.name
    message = EmailMessage(
        subject=f"A letter from {organisation}",
        body=(
            f"Please find attached a letter from {organisation} about your case "
            f"{letter.case.reference}.\n\nIf you would like it in another format or "
            "language, reply to this e-mail or call us."
        ),
        to=[letter.email_to],
    )
    with letter.pdf.open("rb") as handle:
        message.attach(
            f"{letter.case.reference}-letter-{letter.pk}.pdf", handle.read(), "application/pdf"
        )
    handed_over = Letter.objects.filter(pk=letter_id, send_claim=token).update(
        send_handed_over_at=timezone.now()
    )
    if not handed_over:
        return False
    try:
        message.send()
    except Exception as error:
        # Refused by the mail server, so not sent: the officer checks the address, then
        # tries again or posts it.
        Letter.objects.filter(pk=letter_id, send_claim=token).update(
            status=LetterStatus.FAILED,
            failure=f"The e-mail was not accepted ({type(error).__name__}): check the address."[
                :200
            ],
        )
        logger.warning("Letter %s: e-mail not accepted (%s)", letter_id, type(error).__name__)
        _history(letter_id, "E-mail not accepted")
        return False
    with transaction.atomic():
        Letter.objects.filter(pk=letter_id, send_claim=token).update(
            status=LetterStatus.SENT, sent_at=timezone.now()
        )
        _history(letter_id, "Sent by e-mail")
    return True


def letter_process(*, letter_id: int) -> None:
    letter_render(letter_id=letter_id)
    letter_send(letter_id=letter_id)


def letter_mark_posted(*, letter: Letter, by: User) -> Letter:
    if letter.delivery != Delivery.POST or letter.status != LetterStatus.RENDERED:
        raise ValidationError("Only a rendered letter for posting can be marked as posted.")
    now = timezone.now()
    updated = Letter.objects.filter(pk=letter.pk, status=LetterStatus.RENDERED).update(
        status=LetterStatus.SENT, sent_at=now, posted_by=by
    )
    if not updated:
        raise ValidationError("Someone else has already marked this letter.")
    _history(letter.pk, "Marked as posted", by=by)
    letter.refresh_from_db()
    return letter


def letter_retry(*, letter: Letter, by: User) -> Letter:
    """An officer sends a failed letter round again (after checking it was not received)."""
    if letter.status != LetterStatus.FAILED:
        raise ValidationError("Only a failed letter can be tried again.")
    target = LetterStatus.RENDERED if letter.pdf else LetterStatus.QUEUED
    with transaction.atomic():
        Letter.objects.filter(pk=letter.pk, status=LetterStatus.FAILED).update(
            status=target,
            render_claim="",
            send_claim="",
            send_handed_over_at=None,
            failure="",
            retry_at=None,
        )
        _history(letter.pk, "Tried again", by=by)
        letter_id = letter.pk
        from .issue import letter_enqueue

        transaction.on_commit(lambda: letter_enqueue(letter_id))
    letter.refresh_from_db()
    return letter


@dataclass
class SweepResult:
    requeued: int = 0
    rendered_unsent: int = 0
    send_unknown: int = 0


def letters_sweep() -> SweepResult:
    """Beat, every minute: nothing lost, nothing twice."""
    now = timezone.now()
    result = SweepResult()
    from .issue import letter_enqueue

    # Queued and not rendered: the broker was down or the message was lost (nobody claimed
    # it for a while), a worker died holding it (its lease is over), or the document store
    # refused its PDF and its next try is due.
    due = Q(retry_at__lte=now) | Q(retry_at__isnull=True, created_at__lt=now - REQUEUE_AFTER)
    dead_holder = ~Q(render_claim="") & Q(render_claimed_at__lt=now - CLAIM_LEASE)
    stuck = Letter.objects.filter(
        (Q(render_claim="") & due) | dead_holder, status=LetterStatus.QUEUED
    )
    for letter_id in stuck.values_list("pk", flat=True)[:500]:
        result.requeued += letter_enqueue(letter_id)
    # A sender that died before handing the message to the mail server never sent it: once
    # its lease is over, the letter is free to be sent again (below).
    Letter.objects.filter(
        status=LetterStatus.RENDERED,
        delivery=Delivery.EMAIL,
        send_claimed_at__lt=now - CLAIM_LEASE,
        send_handed_over_at__isnull=True,
    ).exclude(send_claim="").update(send_claim="", send_claimed_at=None)
    # Rendered for e-mail but never claimed for sending, longer than the task that rendered
    # it could have lived: hand it over again.
    unsent = Letter.objects.filter(
        status=LetterStatus.RENDERED,
        delivery=Delivery.EMAIL,
        send_claim="",
        rendered_at__lt=now - CLAIM_LEASE,
    )
    for letter_id in unsent.values_list("pk", flat=True)[:500]:
        result.rendered_unsent += letter_enqueue(letter_id)
    # Handed to the mail server long ago and not stamped sent: it may have gone. Never
    # resend blindly.
    result.send_unknown = Letter.objects.filter(
        status=LetterStatus.RENDERED,
        delivery=Delivery.EMAIL,
        send_claimed_at__lt=now - CLAIM_LEASE,
        send_handed_over_at__isnull=False,
    ).update(
        status=LetterStatus.FAILED,
        failure="Sending was interrupted: check with the recipient before trying again.",
    )
    return result


def _history(letter_id: int, reason: str, by: User | None = None) -> None:
    """Record a claim-based change in the letter's history (``update()`` skips signals)."""
    letter = Letter.objects.get(pk=letter_id)
    Letter.history.bulk_history_create(
        [letter], update=True, default_user=by, default_change_reason=reason
    )
