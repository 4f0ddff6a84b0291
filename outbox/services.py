"""Writing, sending and sweeping the outbox: every promised e-mail sent exactly once.

- ``outbox_email_add`` / ``outbox_emails_add`` write the row(s) in the caller's transaction
  and hand their ids to the worker once it commits. A broker that is down is logged and
  nothing else: the row stays queued and ``outbox_sweep`` hands it over later.
- ``outbox_emails_send`` (the worker) claims each row with a conditional UPDATE and a short
  lease (``LEASE``, a little longer than the send task's hard time limit), so a claim left
  by a worker that died lapses within minutes and the sweep hands the row over again.
- A row stamped sent is never claimed again. Before speaking to the mail server the worker
  stamps ``handed_over_at``; a claim that lapses after that may have been delivered, so the
  row is marked failed for someone to check instead of being sent twice (the letters' rule).
  A refusal by the mail server is not a send: the row backs off and is tried again, up to
  ``MAX_ATTEMPTS``, then marked failed, visibly.

Each message carries ``Message-ID: <outbox-<pk>@...>``, the same on every attempt, so a copy
re-sent by hand after an interruption is recognised as the same message by mail clients.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import EmailStatus, OutgoingEmail
from .registry import kind_for

logger = logging.getLogger(__name__)

# The send task's limits (outbox.tasks) and the lease that outlives them by a little.
TASK_SOFT_TIME_LIMIT = 50
TASK_TIME_LIMIT = 60
LEASE = timedelta(seconds=TASK_TIME_LIMIT + 15)
# Ids handed to one task: one connection to the mail server for a batch.
TASK_BATCH = 10
# A row handed to the broker but not claimed this long after is handed over again (the
# worker that had it died before starting, or the broker lost it).
REQUEUE_AFTER = timedelta(minutes=2)
# A row written but not yet handed over (its on-commit hand-over may still be running).
HAND_OVER_GRACE = timedelta(seconds=30)
MAX_ATTEMPTS = 5
SWEEP_LIMIT = 1000
MAY_HAVE_GONE = "Sending was interrupted after it reached the mail server: it may have gone."


def outbox_email_add(
    *,
    kind: str,
    key: str = "",
    params: dict | None = None,
    subject: str = "",
    body: str = "",
    to: Iterable[str] = (),
    cc: Iterable[str] = (),
) -> OutgoingEmail:
    """Write one e-mail in the current transaction; it goes to the worker on commit."""
    return outbox_emails_add(
        [
            OutgoingEmail(
                kind=kind,
                key=key,
                params=params or {},
                subject=subject,
                body=body,
                to=list(to),
                cc=list(cc),
            )
        ]
    )[0]


def outbox_emails_add(
    emails: list[OutgoingEmail], *, hand_over_on_commit: bool = True
) -> list[OutgoingEmail]:
    """Write many in one INSERT (a sweep's batch); handed over on commit in small batches.

    A caller that runs outside any transaction (a beat sweep) may pass
    ``hand_over_on_commit=False`` and call ``outbox_enqueue`` itself once its block is done."""
    now = timezone.now()
    for email in emails:
        email.created_at = email.not_before = now
    created = OutgoingEmail.objects.bulk_create(emails)  # ids returned (PostgreSQL, SQLite)
    ids = [email.pk for email in created]
    if ids and hand_over_on_commit:
        transaction.on_commit(lambda: outbox_enqueue(ids))
    return created


def outbox_enqueue(email_ids: list[int]) -> int:
    """Hand ids to the worker, ``TASK_BATCH`` per task. Returns how many were taken."""
    from .tasks import send_emails

    taken = 0
    for start in range(0, len(email_ids), TASK_BATCH):
        batch = email_ids[start : start + TASK_BATCH]
        try:
            send_emails.apply_async(args=[batch], retry=False)
        except Exception:  # noqa: BLE001 - any broker failure leaves the rows for the sweep
            logger.warning(
                "Outgoing e-mails %s not handed to the worker; the outbox sweep will retry", batch
            )
            # Not handed over: the next sweep takes them (not REQUEUE_AFTER later).
            OutgoingEmail.objects.filter(pk__in=batch, status=EmailStatus.QUEUED).update(
                enqueued_at=None
            )
            continue
        OutgoingEmail.objects.filter(pk__in=batch, status=EmailStatus.QUEUED).update(
            enqueued_at=timezone.now()
        )
        taken += len(batch)
    return taken


def outbox_emails_send(*, email_ids: list[int]) -> int:
    """Called by the worker: send each row this call can claim. Returns how many it sent."""
    sent = 0
    connection = get_connection()
    try:
        for email_id in email_ids:
            sent += _send_one(email_id, connection)
    finally:
        try:
            connection.close()
        except Exception:  # noqa: BLE001 - the messages' fate is already recorded
            logger.warning("The mail connection did not close cleanly")
    return sent


def _claim(email_id: int, token: str) -> bool:
    now = timezone.now()
    return bool(
        OutgoingEmail.objects.filter(
            Q(claim="") | Q(lease_expires_at__lt=now),
            pk=email_id,
            status=EmailStatus.QUEUED,
            handed_over_at__isnull=True,
            not_before__lte=now,
        ).update(claim=token, lease_expires_at=now + LEASE, attempts=F("attempts") + 1)
    )


def _send_one(email_id: int, connection) -> int:
    token = uuid.uuid4().hex
    if not _claim(email_id, token):
        return 0
    email = OutgoingEmail.objects.get(pk=email_id)
    mine = OutgoingEmail.objects.filter(pk=email_id, claim=token)
    try:
        message = _message(email)
    except SoftTimeLimitExceeded:
        mine.update(claim="", lease_expires_at=None)
        raise
    except Exception as error:
        logger.exception("Outgoing e-mail %s (%s) could not be prepared", email_id, email.kind)
        _back_off(email, mine, f"Could not be prepared ({type(error).__name__})")
        return 0
    if message is None:
        mine.update(status=EmailStatus.DROPPED, claim="", lease_expires_at=None)
        return 0
    message.connection = connection
    # Committed before the mail server hears of it; lost the lease meanwhile: stop here.
    if not mine.update(handed_over_at=timezone.now()):
        return 0
    try:
        message.send()
    except SoftTimeLimitExceeded:
        # Cut off mid-conversation: it may have gone. The lease lapses and the sweep marks it.
        raise
    except Exception as error:
        # Refused (or no server to speak to): not sent, so it may be tried again.
        mine.update(handed_over_at=None)
        logger.warning(
            "Outgoing e-mail %s (%s) not accepted by the mail server: %s",
            email_id,
            email.kind,
            type(error).__name__,
        )
        _back_off(email, mine, f"Not accepted by the mail server ({type(error).__name__})")
        return 0
    sent_at = timezone.now()
    mine.update(status=EmailStatus.SENT, sent_at=sent_at, claim="", failure="")
    kind = kind_for(email.kind)
    if kind is not None and kind.sent is not None:
        try:
            kind.sent(email.params, sent_at)
        except Exception:  # noqa: BLE001 - the e-mail went; only the owner's stamp is late
            logger.exception("Outgoing e-mail %s sent; its owner could not record it", email_id)
    return 1


def _back_off(email: OutgoingEmail, mine, failure: str) -> None:
    attempts = email.attempts  # already counts this attempt (the claim added it)
    if attempts >= MAX_ATTEMPTS:
        mine.update(status=EmailStatus.FAILED, claim="", lease_expires_at=None, failure=failure)
        logger.error(
            "Outgoing e-mail %s (%s) failed after %s attempts", email.pk, email.kind, attempts
        )
        return
    mine.update(
        claim="",
        lease_expires_at=None,
        failure=failure,
        not_before=timezone.now() + timedelta(minutes=2 ** (attempts - 1)),
    )


def _message(email: OutgoingEmail) -> EmailMessage | None:
    if email.subject or email.body:
        message = EmailMessage(subject=email.subject, body=email.body, to=email.to, cc=email.cc)
    else:
        kind = kind_for(email.kind)
        if kind is None:
            raise LookupError(f"No renderer registered for {email.kind}")
        message = kind.render(email.params)
        if message is None:
            return None
    if not (message.to or message.cc or message.bcc):
        return None
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(">") or "haven.invalid"
    message.extra_headers = {**message.extra_headers, "Message-ID": f"<outbox-{email.pk}@{domain}>"}
    return message


@dataclass
class SweepResult:
    requeued: int = 0
    may_have_gone: int = 0


def outbox_sweep() -> SweepResult:
    """Beat, every minute: hand over what was never sent; flag what may have gone."""
    now = timezone.now()
    result = SweepResult()
    queued = OutgoingEmail.objects.filter(status=EmailStatus.QUEUED)
    # Handed to the mail server by a worker whose claim lapsed: never sent twice blindly.
    # The claim is kept, so a worker that was only slow still stamps it sent when it ends.
    result.may_have_gone = queued.filter(
        handed_over_at__isnull=False, lease_expires_at__lt=now
    ).update(status=EmailStatus.FAILED, failure=MAY_HAVE_GONE)
    if result.may_have_gone:
        logger.error("Outbox: %s e-mails interrupted and may have gone", result.may_have_gone)
    never_handed_over = Q(enqueued_at__isnull=True, created_at__lt=now - HAND_OVER_GRACE)
    not_taken = Q(enqueued_at__lt=now - REQUEUE_AFTER)
    # A lapsed claim not handed over since it lapsed (or lost again since: REQUEUE_AFTER).
    lapsed = Q(lease_expires_at__lt=now) & (
        Q(enqueued_at__isnull=True)
        | Q(enqueued_at__lt=F("lease_expires_at"))
        | Q(enqueued_at__lt=now - REQUEUE_AFTER)
    )
    due = queued.filter(handed_over_at__isnull=True, not_before__lte=now).filter(
        (Q(claim="") & (never_handed_over | not_taken)) | lapsed
    )
    # Two sweeps at once (two beats) take disjoint rows: each locks what it stamps and skips
    # what another holds, so each e-mail is handed over once per round.
    with transaction.atomic():
        ids = list(
            due.select_for_update(skip_locked=True)
            .order_by("not_before", "pk")
            .values_list("pk", flat=True)[:SWEEP_LIMIT]
        )
        OutgoingEmail.objects.filter(pk__in=ids).update(enqueued_at=now)
    if ids:
        result.requeued = outbox_enqueue(ids)
        logger.info("Outbox: %s of %s unsent e-mails handed over again", result.requeued, len(ids))
    return result


def outbox_email_retry(*, email: OutgoingEmail) -> OutgoingEmail:
    """Someone checked a failed e-mail and wants it sent again (same Message-ID)."""
    with transaction.atomic():
        OutgoingEmail.objects.filter(pk=email.pk, status=EmailStatus.FAILED).update(
            status=EmailStatus.QUEUED,
            claim="",
            lease_expires_at=None,
            handed_over_at=None,
            attempts=0,
            failure="",
            not_before=timezone.now(),
            enqueued_at=None,
        )
        transaction.on_commit(lambda: outbox_enqueue([email.pk]))
    email.refresh_from_db()
    return email
