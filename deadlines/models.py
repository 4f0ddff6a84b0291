"""Deadlines: one stored row per promise with a clock on it (W08, W13, W15, W20, C16-C26).

Rows are started and met by the services in ``deadlines.services``, never by
``save()`` or signals, and their ``due_at`` is fixed when they start from the
organisation's policy at that moment. The sweep in ``deadlines.sweep`` claims work with
conditional updates.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords


class DeadlineRule(models.TextChoices):
    """The codes of the presets' rules (``policy/presets``), which code and tests name. An
    organisation's own rules may have other codes: a deadline's ``rule`` is any rule code."""

    W08_FIRST_CONTACT = "w08_first_contact", "Contact the complainant (W08 / C17)"
    C19_OFFICER_CONTACT = "c19_officer_contact", "Case officer contacts the complainant (C19)"
    C20_INTERVIEW = "c20_interview", "Interview the complainant (C20)"
    C21_ACTION_PLAN = "c21_action_plan", "Agree an action plan (C21)"
    C22_FIRST_PLAN_REVIEW = "c22_first_plan_review", "First review of the action plan (C22)"
    C22_PLAN_REVIEW = "c22_plan_review", "Review the action plan (C22 / C26)"
    C22_UPDATED_PLAN_ISSUED = "c22_updated_plan_issued", "Issue the updated plan (C22)"
    W13_WELFARE_CALL = "w13_welfare_call", "Welfare call to the complainant (W13 / C22)"
    C19_REPAIR = "c19_repair", "Graffiti or emergency repair (C19 / C26)"
    C26_CASE_REVIEW = "c26_case_review", "Review the open case (C26)"
    W20_FALSE_REPORT_EVIDENCE = "w20_false_report_evidence", "Further evidence due (W20)"
    W15_SAFEGUARDING_REFERRAL = "w15_safeguarding_referral", "Safeguarding referral (W15)"
    C16_WEEKEND_REFERRAL = "c16_weekend_referral", "Weekend-support referral (C16)"
    C26_APPEAL_WINDOW = "c26_appeal_window", "Appeal window after closure (C26)"


class DeadlineState(models.TextChoices):
    OPEN = "open", "Open"
    MET = "met", "Met"
    OVERDUE = "overdue", "Overdue"
    WAIVED = "waived", "Waived"


LIVE_STATES = (DeadlineState.OPEN, DeadlineState.OVERDUE)


class Deadline(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="deadlines")
    # The case's organisation, which never changes: kept here so the dashboards measure an
    # organisation's timescales without joining every one of its cases.
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    # The terms it started under: the rule row of the policy version then in force (kept
    # when the policy changes), its code, and its words as they were.
    policy_rule = models.ForeignKey(
        "policy.Rule", null=True, blank=True, on_delete=models.PROTECT, related_name="deadlines"
    )
    rule = models.CharField(max_length=40)
    title = models.CharField(max_length=120, default="")
    promise = models.TextField("the promise in the policy's words", blank=True)
    clause = models.CharField(
        max_length=200,
        help_text="The clause and the timescale that applied, for 'why is this due?'",
    )
    # A window that closes by itself (an appeal), not a task an officer can miss.
    window = models.BooleanField(default=False)
    tell_manager_when_overdue = models.BooleanField(default=True)
    # What started it: a short description ("Report received", "Plan agreed") and, where a
    # rule can run more than once at a time (two repairs), a key telling the rows apart.
    started_by = models.CharField(max_length=120)
    source_key = models.CharField(max_length=60, blank=True, default="")
    started_at = models.DateTimeField()
    due_at = models.DateTimeField()
    remind_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=DeadlineState.choices, default="open")
    met_at = models.DateTimeField(null=True, blank=True)
    met_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    met_source = models.CharField("met by", max_length=120, blank=True)
    waived_at = models.DateTimeField(null=True, blank=True)
    waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    waived_reason = models.TextField(blank=True)
    # Exactly-once e-mail: a sweep claims rows with its run id, sends, then stamps *_at.
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    reminder_claim = models.CharField(max_length=64, blank=True, default="")
    reminder_claimed_at = models.DateTimeField(null=True, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)
    overdue_claim = models.CharField(max_length=64, blank=True, default="")
    overdue_claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords(
        excluded_fields=[
            "reminder_claim",
            "reminder_claimed_at",
            "overdue_claim",
            "overdue_claimed_at",
        ],
        table_name="cases_historicaldeadline",
    )

    class Meta:
        # Tables, indexes and constraints keep the names from when deadlines were in cases.
        db_table = "cases_deadline"
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "rule", "source_key"],
                condition=Q(state__in=["open", "overdue"]),
                name="deadline_one_live_per_rule_and_source",
            ),
            models.CheckConstraint(
                condition=Q(due_at__gte=models.F("started_at")), name="deadline_due_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(state="met") | Q(met_at__isnull=False), name="deadline_met_has_time"
            ),
            models.CheckConstraint(
                condition=~Q(state="waived") | (Q(waived_by__isnull=False) & ~Q(waived_reason="")),
                name="deadline_waived_has_who_and_why",
            ),
        ]
        indexes = [
            # Sweep: UPDATE ... WHERE state='open' AND due_at <= now (mark overdue) and the
            # reminder claim WHERE state='open' AND reminder_sent_at IS NULL AND remind_at <= now.
            models.Index(
                fields=["due_at"], condition=Q(state="open"), name="deadline_open_due_idx"
            ),
            models.Index(
                fields=["remind_at"],
                condition=Q(state="open", reminder_sent_at__isnull=True),
                name="deadline_reminder_due_idx",
            ),
            # Sweep: the overdue-notice claim WHERE state='overdue' AND overdue_notified_at IS NULL.
            models.Index(
                fields=["due_at"],
                condition=Q(state="overdue", overdue_notified_at__isnull=True),
                name="deadline_overdue_unsent_idx",
            ),
            # deadlines_for_case: WHERE case_id=... ORDER BY due_at.
            models.Index(fields=["case", "due_at"], name="deadline_case_due_idx"),
            # My work, deadlines_recently_met_by_officer: WHERE organisation_id=... AND
            # state='met' AND met_at >= now - 7 days ORDER BY met_at DESC (then the case's
            # officer): the week's met deadlines, instead of probing each of the officer's
            # thousands of cases.
            models.Index(
                fields=["organisation", "met_at"],
                condition=Q(state="met"),
                name="deadline_met_at_idx",
            ),
            # Team deadlines, deadlines_for_team: WHERE organisation_id=... AND state IN
            # ('open','overdue') AND due_at < end of week ORDER BY due_at, id (and its count).
            models.Index(
                fields=["organisation", "due_at"],
                condition=Q(state__in=["open", "overdue"]),
                name="deadline_live_org_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_rule_display()} on {self.case_id}"

    def get_rule_display(self) -> str:
        """The rule's title as the policy words it (pages, e-mails and exports read this)."""
        return self.title or self.rule

    @property
    def is_live(self) -> bool:
        return self.state in LIVE_STATES

    @property
    def met_late(self) -> bool:
        return (
            self.state == DeadlineState.MET
            and self.met_at is not None
            and self.met_at > self.due_at
        )


class DeadlineDigest(models.Model):
    """One morning digest per officer per day; the row is the claim that makes it once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    claim = models.CharField(max_length=64, blank=True, default="")
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "cases_deadlinedigest"
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="deadline_digest_once_a_day")
        ]
