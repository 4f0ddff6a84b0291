"""Support for the victim (W12), safeguarding referrals (W15) and the action plan (C12, C21,
C22). Police reporting is per incident and lives on ``cases.Incident`` (W14)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.models import Organisation
from cases.models import Case, CaseParty


class AgencyKind(models.TextChoices):
    VICTIM_SUPPORT = "victim_support", "Victim support"
    HEALTH = "health", "Health and wellbeing"
    CHARITY = "charity", "Local charity"
    SPECIALIST = "specialist", "Specialist agency"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    OTHER = "other", "Other"


class Agency(models.Model):
    """An agency in the organisation's directory (W12; C §3.16 specialist agencies)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="agencies"
    )
    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=20, choices=AgencyKind.choices)
    description = models.CharField("what they offer", max_length=300, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    active = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="agency_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class SupportStatus(models.TextChoices):
    OFFERED = "offered", "Offered"
    DECLINED = "declined", "Declined"
    REFERRED = "referred", "Referred"
    ACCEPTED = "accepted", "Accepted by the agency"
    CLOSED = "closed", "Closed"


class SupportReferral(models.Model):
    """Support offered to someone in the case and, with their consent, a referral (W12)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="support_referrals")
    party = models.ForeignKey(CaseParty, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="referrals")
    status = models.CharField(max_length=10, choices=SupportStatus.choices)
    consent = models.BooleanField("consents to the referral", default=False)
    offered_at = models.DateTimeField()
    referred_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-offered_at", "-pk"]
        indexes = [models.Index(fields=["case", "-offered_at"])]
        constraints = [
            # A referral passes personal data to another body: only with consent.
            models.CheckConstraint(
                condition=Q(referred_at__isnull=True) | Q(consent=True),
                name="support_referral_needs_consent",
            ),
        ]


class SafeguardingKind(models.TextChoices):
    CHILD = "child", "Child at risk"
    ADULT = "adult", "Adult at risk"


class SafeguardingReferral(models.Model):
    """A referral to the local authority for a child or adult at risk (W15)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="safeguarding_referrals")
    party = models.ForeignKey(CaseParty, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=SafeguardingKind.choices)
    local_authority = models.CharField(max_length=150)
    referred_at = models.DateTimeField()
    authority_reference = models.CharField(max_length=60, blank=True)
    concern = models.TextField("the concern referred")
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-referred_at"]
        indexes = [models.Index(fields=["case", "-referred_at"])]


class ActionPlan(models.Model):
    """The case's action plan (C21, C22). Each change makes a new ``PlanVersion``."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="action_plan")
    version = models.PositiveIntegerField(default=0)
    agreed_at = models.DateTimeField("agreed with the complainant", null=True, blank=True)
    last_issued_version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(last_issued_version__lte=models.F("version")),
                name="action_plan_issued_version_exists",
            ),
        ]

    @property
    def needs_issuing(self) -> bool:
        return self.version > self.last_issued_version


class ActionKind(models.TextChoices):
    ACTION = "action", "Action"
    SAFETY_MEASURE = "safety_measure", "Safety measure (C12)"


class ActionStatus(models.TextChoices):
    OPEN = "open", "To do"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "No longer needed"


class PlanAction(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(max_length=20, choices=ActionKind.choices, default=ActionKind.ACTION)
    description = models.CharField(max_length=300)
    owner = models.CharField(
        "who will do it", max_length=150, help_text="A colleague, the complainant or a partner."
    )
    # C12: whose safety a measure protects (a victim or witness).
    protects = models.ForeignKey(
        CaseParty, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField()
    status = models.CharField(max_length=10, choices=ActionStatus.choices, default="open")
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "pk"]


class PlanVersion(models.Model):
    """What the plan said after each change, kept to be issued and compared (C22)."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    change = models.CharField(max_length=200)
    actions = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique"),
        ]


class ReviewOutcome(models.TextChoices):
    ON_TRACK = "on_track", "On track: carry on"
    CHANGED = "changed", "Plan changed"
    ESCALATED = "escalated", "Escalated"
    READY_TO_CLOSE = "ready_to_close", "Ready to close the case"


class PlanReview(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="reviews")
    reviewed_at = models.DateTimeField()
    outcome = models.CharField(max_length=20, choices=ReviewOutcome.choices)
    notes = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-reviewed_at"]
