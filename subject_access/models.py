"""Requests people make about their own data (UK GDPR articles 15 and 16).

A subject access request is answered with a bundle (a PDF and a JSON file) of everything
Haven holds about the person across the organisation's cases, third parties struck out. It is
prepared by the worker (``services.preparation``), reviewed by a manager and then released.
A rectification request records what the person says is wrong, the decision and its reason;
an accepted one changes the person's record through ``cases.services.parties.person_update``.

Both answer within one month of receipt (``due.py``): the due time is stored when the request
is recorded and shown on the requests page and on Team deadlines.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords


class SubjectAccessStatus(models.TextChoices):
    QUEUED = "queued", "Being prepared"
    READY = "ready", "Ready for review"
    FAILED = "failed", "Preparation failed"
    RELEASED = "released", "Released to the person"


class SubjectAccessRequest(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "cases.Person", on_delete=models.PROTECT, related_name="subject_access_requests"
    )
    received_at = models.DateTimeField("request received")
    # UK GDPR art. 12(3): one month from receipt (subject_access.due.one_month_after).
    due_at = models.DateTimeField("answer due")
    identity_check = models.CharField(
        "how their identity was confirmed",
        max_length=300,
        help_text="For example: seen photo ID at the office; called back on the number held.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=SubjectAccessStatus.choices, default=SubjectAccessStatus.QUEUED
    )
    # The worker's claim on the row: a lease (services.preparation.CLAIM_LEASE).
    claim = models.CharField(max_length=64, blank=True, default="")
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    failure = models.CharField(max_length=200, blank=True)
    prepared_at = models.DateTimeField(null=True, blank=True)
    pdf = models.FileField(max_length=255, blank=True)
    data = models.FileField("machine-readable file", max_length=255, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    data_sha256 = models.CharField(max_length=64, blank=True)
    # What the bundle holds, as counts (never the data): cases, incidents, notes...
    contents = models.JSONField(default=dict, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    release_note = models.CharField(
        "how it was sent",
        max_length=300,
        blank=True,
        help_text="For example: handed over at the office; e-mailed as an encrypted file.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords(excluded_fields=["claim", "claimed_at"])

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_at__gt=models.F("received_at")),
                name="sar_due_after_receipt",
            ),
            models.CheckConstraint(
                condition=~Q(status="released")
                | (Q(released_at__isnull=False) & Q(released_by__isnull=False)),
                name="sar_released_has_who_and_when",
            ),
        ]
        indexes = [
            # The requests page and Team deadlines: WHERE organisation_id=... AND status IN
            # (queued, ready, failed) ORDER BY due_at.
            models.Index(
                fields=["organisation", "due_at"],
                condition=~Q(status="released"),
                name="sar_open_org_due_idx",
            ),
            # The sweep: WHERE status='queued' AND (claim='' OR claimed_at < lease).
            models.Index(
                fields=["created_at"], condition=Q(status="queued"), name="sar_queued_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"Subject access request {self.pk}"

    @property
    def reference(self) -> str:
        return f"SAR-{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status != SubjectAccessStatus.RELEASED

    def is_overdue(self, now=None) -> bool:
        return self.is_open and (now or timezone.now()) > self.due_at


class SubjectAccessDownload(models.Model):
    """Every download of a bundle (who, which file, when, and whether it was released)."""

    class File(models.TextChoices):
        PDF = "pdf", "PDF bundle"
        JSON = "json", "Machine-readable file (JSON)"

    request = models.ForeignKey(
        SubjectAccessRequest, on_delete=models.CASCADE, related_name="downloads"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file = models.CharField(max_length=4, choices=File.choices)
    after_release = models.BooleanField(default=False)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]


class RectificationStatus(models.TextChoices):
    OPEN = "open", "Waiting for a decision"
    ACCEPTED = "accepted", "Accepted: record corrected"
    REFUSED = "refused", "Refused"


class RectificationRequest(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "cases.Person", on_delete=models.PROTECT, related_name="rectification_requests"
    )
    received_at = models.DateTimeField("request received")
    due_at = models.DateTimeField("answer due")
    details = models.TextField(
        "what they say is wrong",
        help_text="What the person says is inaccurate or incomplete, and what it should say.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=RectificationStatus.choices, default=RectificationStatus.OPEN
    )
    decision_reason = models.TextField("reason for the decision", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open")
                | (
                    Q(decided_at__isnull=False)
                    & Q(decided_by__isnull=False)
                    & ~Q(decision_reason="")
                ),
                name="rectification_decided_has_who_when_why",
            ),
        ]
        indexes = [
            # The requests page: WHERE organisation_id=... AND status='open' ORDER BY due_at.
            models.Index(
                fields=["organisation", "due_at"],
                condition=Q(status="open"),
                name="rectification_open_org_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Rectification request {self.pk}"

    @property
    def reference(self) -> str:
        return f"RR-{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status == RectificationStatus.OPEN

    def is_overdue(self, now=None) -> bool:
        return self.is_open and (now or timezone.now()) > self.due_at
