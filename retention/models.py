"""Retention schedule, legal holds, the sweep's runs and what each run disposed of, and
erasure requests (issue 19). This app sits above the case file and the feature apps: it
reads and anonymises their rows; none of them imports it."""

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.models import Organisation


class RetentionKind(models.TextChoices):
    CLOSED_CASE = "closed_case", "Closed cases"
    CLOSED_CASE_COURT_ORDER = (
        "closed_case_court_order",
        "Closed cases where a court order was granted (injunction, possession, demotion)",
    )
    REJECTED_ONLINE_REPORT = "rejected_online_report", "Rejected online reports and attachments"
    ACCESS_LOG = "access_log", "Access logs (who opened a case or report)"
    UNSUCCESSFUL_TRANSFER = (
        "unsuccessful_transfer",
        "Transfer requests declined or withdrawn",
    )


class PeriodUnit(models.TextChoices):
    DAYS = "days", "days"
    MONTHS = "months", "months"
    YEARS = "years", "years"


class RetentionRule(models.Model):
    """One line of an organisation's retention schedule, with the reason for its period.
    A kind with no row runs on Haven's default (``retention.defaults``)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="retention_rules"
    )
    kind = models.CharField(max_length=30, choices=RetentionKind.choices)
    amount = models.PositiveSmallIntegerField("keep for")
    unit = models.CharField(max_length=10, choices=PeriodUnit.choices)
    reason = models.TextField("why this period")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind"], name="retention_rule_one_per_kind"
            ),
            models.CheckConstraint(condition=Q(amount__gte=1), name="retention_rule_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.amount} {self.unit}"


def period_delta(amount: int, unit: str) -> relativedelta:
    return relativedelta(**{unit: amount})


class LegalHold(models.Model):
    """A manager's hold on a case: nothing of it is anonymised or deleted while it stands
    (litigation, a police investigation, an Ombudsman complaint...)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="legal_holds")
    reason = models.TextField("why the case must be kept")
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField(default=timezone.now)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    release_reason = models.TextField("why the hold can end", blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-placed_at"]
        verbose_name = "legal hold"
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(released_at__isnull=True),
                name="legal_hold_one_standing_per_case",
            ),
            models.CheckConstraint(
                condition=Q(released_at__isnull=True)
                | (Q(released_by__isnull=False) & ~Q(release_reason="")),
                name="legal_hold_release_has_who_and_why",
            ),
        ]

    def __str__(self) -> str:
        return f"Legal hold on case {self.case_id}"

    @property
    def standing(self) -> bool:
        return self.released_at is None


class RetentionRun(models.Model):
    """One sweep of one organisation: when, and how many of each kind it disposed of. The
    ids are in ``Disposal``; neither holds any personal data."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    run_id = models.CharField(max_length=64)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    # {"cases_anonymised": 3, "online_reports_deleted": 1, "access_logs_deleted": 120, ...}
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["organisation", "-started_at"])]

    @property
    def count_lines(self) -> list[tuple[str, int]]:
        """The counts in words, for the pages."""
        return [(COUNT_LABELS.get(key, key), value) for key, value in self.counts.items()]


# What each of a run's counts means (retention/sweep.py writes them).
COUNT_LABELS = {
    "closed_case_cases_anonymised": "Closed cases anonymised",
    "closed_case_court_order_cases_anonymised": "Closed cases with a court order anonymised",
    "people_anonymised": "People anonymised (on no other case)",
    "files_removed": "Evidence files and letters' PDFs removed",
    "online_reports_deleted": "Rejected online reports deleted",
    "files_removed_reports": "Online reports' attachments removed",
    "transfer_referrals_anonymised": "Declined or withdrawn transfer requests anonymised",
    "access_logs_deleted": "Access-log entries deleted",
}


class Disposal(models.Model):
    """What a run anonymised or deleted: the record's kind and id, never its content.

    Also the sweep's claim: a run inserts these rows first, and the unique constraint lets
    only one of two concurrent runs insert a given record's row (the other's insert waits,
    then is skipped), so each record is disposed of exactly once. An anonymised case's row
    is also what keeps it out of later runs."""

    class Action(models.TextChoices):
        ANONYMISED = "anonymised", "Anonymised"
        DELETED = "deleted", "Deleted"

    # The sweep's run, or the erasure request that anonymised a person (one or the other).
    run = models.ForeignKey(
        RetentionRun, null=True, blank=True, on_delete=models.CASCADE, related_name="disposals"
    )
    erasure = models.ForeignKey(
        "ErasureRequest", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    model = models.CharField(max_length=60)  # "cases.Case", "cases.OnlineReport", ...
    object_id = models.PositiveBigIntegerField()
    action = models.CharField(max_length=12, choices=Action.choices)
    rule = models.CharField(max_length=30, choices=RetentionKind.choices, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["model", "object_id"]
        constraints = [
            models.UniqueConstraint(fields=["model", "object_id"], name="disposal_once"),
        ]
        indexes = [models.Index(fields=["run", "model"])]


class FileRemoval(models.Model):
    """A stored file (evidence, an online report's attachment, a letter's PDF) whose row was
    anonymised or deleted. Written in the same transaction; the file is removed after commit
    and the row with it, and the sweep retries any left (the process died in between)."""

    name = models.CharField(max_length=255)
    queued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["queued_at", "id"]


class ErasureRequest(models.Model):
    """UK GDPR Art. 17: someone asks for their data to be erased. Recorded, decided by a
    manager or organisation admin with the reason, and carried out by ``person_erase``."""

    class Decision(models.TextChoices):
        PENDING = "pending", "Waiting for a decision"
        ERASED = "erased", "Agreed: the person was anonymised"
        REFUSED = "refused", "Refused"

    class Channel(models.TextChoices):
        LETTER = "letter", "Letter"
        EMAIL = "email", "E-mail"
        PHONE = "phone", "Telephone"
        IN_PERSON = "in_person", "In person"
        ONLINE = "online", "Online"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        "cases.Person", on_delete=models.PROTECT, related_name="erasure_requests"
    )
    received_on = models.DateField("request received on")
    channel = models.CharField("how it was made", max_length=20, choices=Channel.choices)
    grounds = models.TextField("what they ask and why", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decision_reason = models.TextField("reason for the decision", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["organisation", "decision", "-recorded_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision="pending")
                | (
                    Q(decided_by__isnull=False)
                    & Q(decided_at__isnull=False)
                    & ~Q(decision_reason="")
                ),
                name="erasure_decision_has_who_when_why",
            ),
        ]

    def __str__(self) -> str:
        return f"Erasure request {self.pk}"

    @property
    def due_on(self):
        """One month to answer (UK GDPR Art. 12(3))."""
        return self.received_on + relativedelta(months=1)
