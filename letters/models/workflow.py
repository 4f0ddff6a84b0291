"""The false-report process (W20) and closing a case (W21, C26), with their letters."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cases.models import Case

from .letters import Letter


class ConcernOutcome(models.TextChoices):
    OPEN = "open", "Waiting for evidence"
    RESOLVED = "resolved", "Resolved: the case goes on"
    NOT_RESOLVED = "not_resolved", "Not resolved: no further support"


class FalseReportConcern(models.Model):
    """W20: the officer suspects false information and writes to the complainant, who has
    10 working days (policy) to give more evidence."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="false_report_concerns")
    reasons = models.TextField()
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(default=timezone.now)
    evidence_due_at = models.DateTimeField(null=True, blank=True)
    concern_letter = models.ForeignKey(
        Letter, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    evidence_received_at = models.DateTimeField(null=True, blank=True)
    evidence_notes = models.TextField(blank=True)
    evidence_logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(
        max_length=15, choices=ConcernOutcome.choices, default=ConcernOutcome.OPEN
    )
    outcome_at = models.DateTimeField(null=True, blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome_notes = models.TextField(blank=True)
    no_further_support_letter = models.ForeignKey(
        Letter, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(outcome="open"), name="one_open_concern_per_case"
            ),
            models.CheckConstraint(
                condition=Q(outcome="open") | Q(outcome_at__isnull=False),
                name="concern_outcome_has_time",
            ),
        ]

    @property
    def is_open(self) -> bool:
        return self.outcome == ConcernOutcome.OPEN


class ClosureReason(models.TextChoices):
    RESOLVED = "resolved", "The harassment has stopped and the complainant is satisfied"
    ACTION_COMPLETE = "action_complete", "All agreed actions are complete"
    NO_CONTACT = "no_contact", "The complainant no longer responds"
    COMPLAINANT_WITHDREW = "withdrew", "The complainant asked for the case to be closed"
    MOVED = "moved", "The complainant or perpetrator has moved away"
    LEGAL_ACTION = "legal_action", "Legal or tenancy action has concluded"
    NO_FURTHER_SUPPORT = "no_further_support", "No further support after a false-report concern"
    REFERRED = "referred", "Referred to another agency that now leads"


class SatisfactionMethod(models.TextChoices):
    PHONE = "phone", "By telephone"
    LINK = "link", "Through the feedback link"


class CaseClosure(models.Model):
    """One closing of a case. An appeal reopens it; a case can be closed again later."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="closures")
    reason = models.CharField(max_length=30, choices=ClosureReason.choices)
    rationale = models.TextField()
    # C26: closure is discussed with the complainant before it happens.
    discussed_with_complainant = models.BooleanField(default=False)
    discussed_on = models.DateField(null=True, blank=True)
    discussion_notes = models.CharField(max_length=500, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(default=timezone.now)
    letter = models.ForeignKey(
        Letter, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    appeal_until = models.DateTimeField(null=True, blank=True)
    appealed_at = models.DateTimeField(null=True, blank=True)
    appeal_grounds = models.TextField(blank=True)
    appeal_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # C26: feedback after closure. The token is random and says nothing about the case.
    feedback_token = models.CharField(max_length=64, unique=True)
    satisfaction = models.PositiveSmallIntegerField(null=True, blank=True)
    satisfaction_comment = models.TextField(blank=True)
    satisfaction_method = models.CharField(
        max_length=10, choices=SatisfactionMethod.choices, blank=True
    )
    satisfaction_recorded_at = models.DateTimeField(null=True, blank=True)
    satisfaction_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["feedback_token"])

    class Meta:
        ordering = ["-closed_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(rationale=""), name="closure_has_rationale"),
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True)
                | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="closure_satisfaction_1_to_5",
            ),
        ]
        indexes = [models.Index(fields=["satisfaction_recorded_at"])]

    @property
    def appealed(self) -> bool:
        return self.appealed_at is not None

    def appeal_open(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.appealed_at is None and self.appeal_until is not None and now <= self.appeal_until
        )

    SATISFACTION_LABELS = {
        1: "Very dissatisfied",
        2: "Dissatisfied",
        3: "Neither",
        4: "Satisfied",
        5: "Very satisfied",
    }
