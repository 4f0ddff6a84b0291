"""Reports sent by residents through the public form (W07, C13), waiting for triage."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.models import Organisation

from .case import Case
from .choices import Channel
from .records import Incident

# No 0/O or 1/I: a reference is read out over the phone.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def online_reference_new(organisation_code: str) -> str:
    """``WCH-R-7K3M9Q2P``: random, so one reference never leads to the next."""
    tail = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"{organisation_code}-R-{tail}"


class OnlineReport(models.Model):
    """One report from the public form, saved before anything else happens."""

    class Status(models.TextChoices):
        NEW = "new", "Waiting for triage"
        ACCEPTED = "accepted", "Opened as a case"
        ADDED = "added", "Added to an open case"
        REJECTED = "rejected", "Rejected"

    class RejectReason(models.TextChoices):
        SPAM = "spam", "Spam or abuse of the form"
        DUPLICATE = "duplicate", "Duplicate of another report"
        NOT_OURS = "not_ours", "Not about our homes or residents"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="online_reports"
    )
    reference = models.CharField(max_length=20, unique=True, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    # W08, C17: the 24-hour clock runs from here, not from when staff accept it.
    received_at = models.DateTimeField("report received")
    channel = models.CharField(
        max_length=20, choices=Channel.choices, default=Channel.WEBSITE, editable=False
    )
    answers = models.JSONField(default=dict)
    # The send page's one-time key: a second Send with it (a double click) gets this report.
    submission_key = models.CharField(
        max_length=64, null=True, blank=True, unique=True, editable=False
    )
    # Sent while the rate limiter's cache was down: the limits were not checked, so triage
    # is told to look for a burst of spam (the report itself is always kept).
    limit_unchecked = models.BooleanField(default=False, editable=False)
    upload = models.FileField(upload_to="online-reports/%Y/%m/", blank=True)
    upload_content_type = models.CharField(max_length=100, blank=True)

    # The acknowledgement e-mail goes through the outbox; stamped here when it has gone.
    acknowledgement_email = models.EmailField(blank=True)
    acknowledgement_sent_at = models.DateTimeField(null=True, blank=True)

    # Triage outcome.
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="online_reports"
    )
    incident = models.ForeignKey(
        Incident, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reject_reason = models.CharField(max_length=20, choices=RejectReason.choices, blank=True)
    reject_note = models.CharField(max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            # The triage queue: one organisation's reports by status, newest first.
            models.Index(fields=["organisation", "status", "-received_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(case__isnull=False),
                name="online_report_accepted_has_case",
            ),
            models.CheckConstraint(
                condition=~Q(status="added") | (Q(case__isnull=False) & Q(incident__isnull=False)),
                name="online_report_added_has_incident",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(reject_reason=""),
                name="online_report_rejected_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_waiting(self) -> bool:
        return self.status == self.Status.NEW

    @property
    def anonymous(self) -> bool:
        return self.answers.get("contact_choice") == "anonymous"


class OnlineReportAccess(models.Model):
    """Every opening of a report in the triage queue (who and when)."""

    report = models.ForeignKey(OnlineReport, on_delete=models.CASCADE, related_name="accesses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["report", "-at"])]
