"""A landlord's timescales as rows: versions of its policy, each with its rules, each rule with
the timescales it may run to, chosen by the case's facts.

A version is drafted, tried and published; publishing gives it the time it takes effect. A
deadline keeps the rule row it started under, so a running deadline keeps its terms when a
later version changes them, and shows them.
"""

from datetime import time

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .settings import BankHolidayRegion, Preset
from .vocabulary import Event, Subject, Unit


class PolicyVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="policy_versions"
    )
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    # Where it came from: a preset, a file, a copy of an earlier version.
    origin = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    effective_from = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"], name="policy_version_number_unique"
            ),
            # One draft at a time: the designer always edits the same one.
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status="draft"),
                name="policy_one_draft_per_organisation",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(effective_from__isnull=False),
                name="policy_published_has_effective_from",
            ),
        ]
        indexes = [
            # version_in_force: the organisation's latest published version by effective time.
            models.Index(
                fields=["organisation", "-effective_from"],
                condition=Q(status="published"),
                name="policy_version_in_force_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.number})"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class Rule(models.Model):
    """One promise: what starts it, how long it has, what meets it, what follows."""

    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="rules")
    # Stable across versions: deadlines, dashboards and history refer to a rule by its code.
    code = models.SlugField(max_length=40)
    title = models.CharField(max_length=120)
    clause = models.CharField("clause reference", max_length=80, blank=True)
    promise = models.TextField("the promise in the policy's words")
    subject = models.CharField(max_length=30, choices=Subject.choices)
    starts_on = models.CharField(max_length=30, choices=Event.choices)
    # Action matchers: any one of them meets the deadline. Each is a dict with "action"
    # (vocabulary.Action) and optional "roles", "methods", "purposes", "in_person",
    # "by_case_officer". Empty for a window that closes by itself.
    met_by = models.JSONField(default=list, blank=True)
    # Once met, start this rule again from the meeting (recurring), or another rule.
    repeats = models.BooleanField("starts again when met, while the case is open", default=False)
    then_starts = models.SlugField("then starts (rule code)", max_length=40, blank=True)
    agreed_frequency = models.BooleanField(
        "a frequency agreed with the complainant replaces the timescale", default=False
    )
    window = models.BooleanField("a window that closes, not a task", default=False)
    remind_hours_before = models.PositiveSmallIntegerField(null=True, blank=True)
    tell_manager_when_overdue = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)
    # A rule adopted from another document says so here (the designer shows it).
    adopted_from = models.CharField(max_length=120, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["version", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="policy_rule_code_unique"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def actions(self) -> set[str]:
        return {matcher.get("action") for matcher in self.met_by}


class Timescale(models.Model):
    """How long a rule allows, where its conditions hold. A rule's timescales are tried in
    order and the first that fits the case applies; none fitting starts no deadline."""

    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="timescales")
    position = models.PositiveSmallIntegerField(default=0)
    # vocabulary.CONDITION_LISTS / CONDITION_FLAGS / CONDITION_WEEKDAYS; {} holds always.
    conditions = models.JSONField(default=dict, blank=True)
    unit = models.CharField(max_length=20, choices=Unit.choices)
    amount = models.PositiveSmallIntegerField(null=True, blank=True)
    # Shown beside the due time when this timescale applies: "violence or a threat of it".
    note = models.CharField(max_length=120, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["rule", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__in=["same_working_day", "coming_friday"]) | Q(amount__gte=1),
                name="policy_timescale_amount_needed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule}: {self.amount or ''} {self.get_unit_display()}".strip()


class PolicySettings(models.Model):
    """An organisation's working hours, bank-holiday region, reminder lead and the W19/C05
    switch, started from a preset. Its timescales are rules of its policy (``policy`` app).

    Read through ``policy.settings.policy_for``.
    """

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="policy_settings"
    )
    preset = models.CharField(max_length=30, choices=Preset.choices, default=Preset.WCH_2022)
    tenancy_action_requires_conviction = models.BooleanField(
        "tenancy action needs a conviction", default=True, help_text="W19 (yes) / C05 (no)."
    )
    reminder_lead_hours = models.PositiveSmallIntegerField(
        "remind officers (hours before due)", default=24
    )
    bank_holiday_region = models.CharField(
        max_length=3, choices=BankHolidayRegion.choices, default=BankHolidayRegion.ENGLAND_AND_WALES
    )
    working_day_starts = models.TimeField(default=time(9, 0))
    working_day_ends = models.TimeField(default=time(17, 0))
    # Two-factor sign-in (``twofactor``): on by default for everyone holding a role here.
    second_factor_required = models.BooleanField(
        "two-factor sign-in required",
        default=True,
        help_text="Everyone with a role here gives a code from an authenticator app (or a "
        "backup code) after their password. Platform staff always do.",
    )
    remember_device_days = models.PositiveSmallIntegerField(
        "remember a device for (days)",
        default=0,
        validators=[MaxValueValidator(90)],
        help_text="0: a code at every sign-in. Otherwise members may tick “Remember this "
        "device” and are not asked for a code there for this many days, until they change "
        "their password.",
    )
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords(
        excluded_fields=["updated_at"], table_name="accounts_historicalpolicysettings"
    )

    class Meta:
        # Its table from when it lived in accounts: moved without moving a row.
        db_table = "accounts_policysettings"
        verbose_name_plural = "policy settings"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(working_day_starts__lt=models.F("working_day_ends")),
                name="policy_working_day_starts_before_it_ends",
            ),
        ]

    def __str__(self) -> str:
        return f"Policy of {self.organisation}"
