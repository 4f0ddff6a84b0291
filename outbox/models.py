"""Every e-mail Haven promises, as a row written in the transaction that promises it.

The outbox is the bottom layer: it imports no Haven app. A row either holds its message
(``subject``, ``body``, ``to``, ``cc``: for e-mails with nothing secret in them), or only its
``kind`` and the ids in ``params``, and the app that owns the kind renders it when it is sent
(``outbox.registry``): invitation and password-reset links are made by the worker at that
moment, so no token sits in the database, the broker or a log.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone


class EmailStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENT = "sent", "Sent"
    # Refused by the mail server too often, or interrupted after it was handed over (it may
    # have gone): someone must look before it is sent again.
    FAILED = "failed", "Failed"
    # Nothing to send any more when its turn came (the member set a password meanwhile).
    DROPPED = "dropped", "Not needed"


class OutgoingEmail(models.Model):
    kind = models.CharField(max_length=64)
    # What the e-mail is about, as ids (``"<organisation>:<user>"``): how a page finds it.
    key = models.CharField(max_length=100, blank=True, default="")
    params = models.JSONField(default=dict, blank=True)
    subject = models.CharField(max_length=998, blank=True, default="")
    body = models.TextField(blank=True, default="")
    to = models.JSONField(default=list, blank=True)
    cc = models.JSONField(default=list, blank=True)

    status = models.CharField(max_length=10, choices=EmailStatus, default=EmailStatus.QUEUED)
    created_at = models.DateTimeField(default=timezone.now)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    # Not tried again before this (a refusal backs off).
    not_before = models.DateTimeField(default=timezone.now)
    # One worker's claim, good until ``lease_expires_at``; a dead worker's claim lapses.
    claim = models.CharField(max_length=32, blank=True, default="")
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    # Set (and committed) just before the mail server is spoken to: from then on it may
    # have gone, so a lapsed claim with this set is never sent again automatically.
    handed_over_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    failure = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # outbox_sweep: status='queued' AND not_before <= now (never sent, lapsed claims).
            models.Index(
                fields=["not_before"],
                name="outbox_queued_idx",
                condition=Q(status="queued"),
            ),
            # outbox_latest: the newest e-mail of a kind about one thing (a member's page).
            models.Index(fields=["kind", "key", "-created_at"], name="outbox_kind_key_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"
