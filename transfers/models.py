"""Managed transfers (W17, C25) and the Housing Panel that decides them (W05)."""

from datetime import time

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.models import Organisation
from cases.models import Case, Evidence, Incident, Person
from policy.formats import uk_datetime

from . import choices


class PanelSettings(models.Model):
    """When an organisation's Housing Panel meets (W05: weekly) and when its agenda closes."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="panel_settings"
    )
    meeting_weekday = models.PositiveSmallIntegerField(
        choices=choices.Weekday.choices, default=choices.Weekday.WEDNESDAY
    )
    meeting_time = models.TimeField(default=time(10, 0), help_text="UK time.")
    cutoff_hours = models.PositiveSmallIntegerField(
        "agenda cut-off (hours before the meeting)",
        default=48,
        help_text="Referrals made later go to the following meeting.",
    )
    location = models.CharField(max_length=200, blank=True, default="")

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "panel settings"

    def __str__(self) -> str:
        return f"Housing Panel settings for {self.organisation.code}"


class PanelMember(models.Model):
    """Marks a panel member as a manager for the W05 quorum when Haven's roles do not.

    Panel membership itself is the PANEL role (``accounts.Membership``). A member counts as a
    manager if they hold the MANAGER role in the organisation or are marked here.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="panel_marks"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="panel_marks"
    )
    is_manager = models.BooleanField(
        "counts as a manager", default=False, help_text="A manager outside Haven's roles."
    )
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="panel_member_unique"),
        ]


class PanelMeeting(models.Model):
    """One weekly meeting. Created ahead of time by the scheduler; closed after it sits."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="panel_meetings"
    )
    meets_at = models.DateTimeField()
    cutoff_at = models.DateTimeField("agenda closes")
    location = models.CharField(max_length=200, blank=True, default="")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["meets_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "meets_at"], name="panel_meeting_unique_time"
            ),
            models.CheckConstraint(
                condition=Q(cutoff_at__lte=models.F("meets_at")),
                name="panel_meeting_cutoff_before_meeting",
            ),
        ]
        indexes = [
            # The referral service's "first open meeting whose agenda is still open" query.
            models.Index(fields=["organisation", "closed_at", "cutoff_at"]),
        ]

    def __str__(self) -> str:
        return f"Housing Panel, {uk_datetime(self.meets_at)}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class TransferReferral(models.Model):
    """A request to the Housing Panel to move a household (W17) or a management move (C25)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="transfer_referrals"
    )
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="transfer_referrals")
    referral_type = models.CharField(
        "type of move", max_length=30, choices=choices.ReferralType.choices
    )
    route = models.CharField(
        max_length=30, choices=choices.Route.choices, default=choices.Route.PANEL
    )
    household = models.ManyToManyField(Person, related_name="transfer_referrals")
    reason_details = models.TextField(
        "why the household cannot stay",
        help_text="For the panel: what makes the home unsafe. No third parties' details.",
    )
    urgency = models.CharField(max_length=20, choices=choices.Urgency.choices)
    bedrooms_needed = models.PositiveSmallIntegerField()
    accessibility_needs = models.TextField(blank=True)
    areas_to_avoid = models.TextField(blank=True)
    evidence = models.ManyToManyField(Evidence, blank=True, related_name="transfer_referrals")
    incidents = models.ManyToManyField(Incident, blank=True, related_name="transfer_referrals")

    # W17, JV route: the joint referral to the local authority.
    local_authority = models.CharField(max_length=120, blank=True)
    local_authority_referred_on = models.DateField(null=True, blank=True)

    status = models.CharField(
        max_length=20,
        choices=choices.ReferralStatus.choices,
        default=choices.ReferralStatus.AWAITING_PANEL,
    )
    meeting = models.ForeignKey(
        PanelMeeting,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agenda",
        help_text="The meeting whose agenda it is on (or last was).",
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    referred_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    offer_made_at = models.DateTimeField(null=True, blank=True)
    offer_accepted_at = models.DateTimeField(null=True, blank=True)
    moved_at = models.DateTimeField(null=True, blank=True)
    progress_note = models.CharField(max_length=255, blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-referred_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status__in=choices.OPEN_STATUSES),
                name="transfer_one_open_per_case",
            ),
            models.CheckConstraint(
                condition=Q(route=choices.Route.PANEL)
                | (~Q(local_authority="") & Q(local_authority_referred_on__isnull=False)),
                name="transfer_jv_route_records_local_authority",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "-referred_at"]),
            models.Index(fields=["meeting", "status"]),
        ]

    def __str__(self) -> str:
        return f"Transfer referral for {self.case.reference}"

    @property
    def is_open(self) -> bool:
        return self.status in choices.OPEN_STATUSES

    @property
    def latest_decision(self) -> "PanelDecision | None":
        """The last decision; uses ``decisions`` prefetched by the selector when present."""
        decisions = list(self.decisions.all())
        return max(decisions, key=lambda d: d.decided_at) if decisions else None


class ReferralReason(models.Model):
    """One reason for a referral (W17): a row, not a list, so reasons can be counted."""

    referral = models.ForeignKey(TransferReferral, on_delete=models.CASCADE, related_name="reasons")
    reason = models.CharField(max_length=30, choices=choices.Reason.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["referral", "reason"], name="referral_reason_unique"),
        ]


class PanelVote(models.Model):
    """One member's vote on one request at one meeting. Changeable until the decision."""

    referral = models.ForeignKey(TransferReferral, on_delete=models.CASCADE, related_name="votes")
    meeting = models.ForeignKey(PanelMeeting, on_delete=models.PROTECT, related_name="votes")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    vote = models.CharField(max_length=10, choices=choices.Vote.choices)
    comment = models.TextField()
    # W05: whether the member counted as a manager when they voted, kept for the record.
    counted_as_manager = models.BooleanField()
    cast_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["cast_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "meeting", "member"], name="panel_vote_one_per_member"
            ),
        ]


class PanelDecision(models.Model):
    """The panel's valid decision on a request at a meeting (W05), with the votes behind it.

    Kept so the decision letter can be produced from it (letters issue) and for the minutes.
    """

    referral = models.ForeignKey(
        TransferReferral, on_delete=models.PROTECT, related_name="decisions"
    )
    meeting = models.ForeignKey(PanelMeeting, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(max_length=10, choices=choices.Vote.choices)
    approve_votes = models.PositiveSmallIntegerField()
    decline_votes = models.PositiveSmallIntegerField()
    defer_votes = models.PositiveSmallIntegerField()
    manager_votes = models.PositiveSmallIntegerField()
    voters = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    officer_notified_at = models.DateTimeField(null=True, blank=True)
    # W17: the decision letter to the household, issued with the decision (exactly once).
    letter = models.OneToOneField(
        "letters.Letter",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="panel_decision",
    )
    letter_sent_at = models.DateTimeField(
        null=True, blank=True, help_text="When the decision letter was issued to the household."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["decided_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "meeting"], name="panel_decision_one_per_meeting"
            ),
            # W05: a decision stands only with three voters, two of them managers.
            models.CheckConstraint(
                condition=Q(manager_votes__gte=2)
                & Q(
                    GreaterThanOrEqual(
                        F("approve_votes") + F("decline_votes") + F("defer_votes"), 3
                    )
                ),
                name="panel_decision_quorum",
            ),
            models.CheckConstraint(
                condition=Q(letter__isnull=True, letter_sent_at__isnull=True)
                | Q(letter__isnull=False, letter_sent_at__isnull=False),
                name="panel_decision_letter_sent_with_letter",
            ),
        ]
