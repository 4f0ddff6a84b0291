"""One row per letter Haven produced: who it went to, from which template, and what became
of it. Rendering and sending claim the row with conditional updates (one PDF, one e-mail)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cases.models import Case, CaseParty

from .templates import LetterKind, LetterTemplate


class LetterStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RENDERED = "rendered", "Rendered"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class Delivery(models.TextChoices):
    EMAIL = "email", "E-mail with the PDF attached"
    POST = "post", "Post (print and mark as posted)"


class Letter(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="letters")
    recipient = models.ForeignKey(CaseParty, on_delete=models.PROTECT, related_name="letters")
    # The role at the time of writing: C11's check depends on it, and roles can change.
    recipient_role = models.CharField(max_length=20)
    kind = models.CharField(max_length=30, choices=LetterKind.choices)
    template = models.ForeignKey(LetterTemplate, on_delete=models.PROTECT, related_name="letters")
    reason = models.CharField(max_length=200)
    # The merge values as they stood when the letter was issued, already filtered for C11:
    # a retry or a re-render produces the same letter.
    merge_values = models.JSONField(default=dict)
    large_print = models.BooleanField(default=False)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)
    email_to = models.EmailField(blank=True)

    status = models.CharField(
        max_length=10, choices=LetterStatus.choices, default=LetterStatus.QUEUED
    )
    pdf = models.FileField(upload_to="letters/", blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    failure = models.CharField(max_length=200, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Claims: a worker takes the row with a conditional update before rendering or sending.
    render_claim = models.CharField(max_length=64, blank=True, default="")
    render_claimed_at = models.DateTimeField(null=True, blank=True)
    send_claim = models.CharField(max_length=64, blank=True, default="")
    send_claimed_at = models.DateTimeField(null=True, blank=True)
    # Stamped (and committed) just before the message goes to the mail server: a sender that
    # died before this never sent, so the letter is safe to send again; after it, it may have gone.
    send_handed_over_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The document store refused the PDF (full or read-only disk): the letter stays queued,
    # ``failure`` says why, and the sweep tries again from this time (backing off).
    retry_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(
        excluded_fields=[
            "render_claim",
            "render_claimed_at",
            "send_claim",
            "send_claimed_at",
            "send_handed_over_at",
            "retry_at",
        ]
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["rendered", "sent"]) | ~Q(pdf=""),
                name="letter_rendered_has_pdf",
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="letter_sent_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(delivery="email") | ~Q(email_to=""),
                name="letter_email_has_address",
            ),
        ]
        indexes = [
            models.Index(fields=["case", "-created_at"]),
            # The sweep: WHERE status='queued' AND created_at < now - grace.
            models.Index(
                fields=["created_at"], condition=Q(status="queued"), name="letter_queued_idx"
            ),
            # The letters list (letters_outstanding): WHERE status <> 'sent' AND case_id IN
            # (...) ORDER BY created_at DESC; sent letters, nearly all of them, stay out.
            models.Index(
                fields=["-created_at", "-id"],
                condition=~Q(status="sent"),
                name="letter_outstanding_idx",
            ),
            # The sweep: WHERE status='rendered' AND delivery='email' (sends interrupted).
            models.Index(
                fields=["rendered_at"],
                condition=Q(status="rendered", delivery="email"),
                name="letter_unsent_email_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.get_recipient_role_display()}"

    @property
    def waiting(self) -> bool:
        """Queued, but the last attempt could not store the PDF: the sweep will retry."""
        return self.status == LetterStatus.QUEUED and bool(self.failure)

    def get_recipient_role_display(self) -> str:
        from cases.models.choices import PartyRole

        return PartyRole(self.recipient_role).label if self.recipient_role else ""
