"""What happened (incidents), what was done (contacts, notes), and what proves it (evidence)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from policy.formats import uk_date

from . import choices
from .case import Case
from .people import CaseParty


class Incident(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="incidents")
    # The case's organisation, which never changes: kept here so the dashboards count an
    # organisation's incidents without joining every one of its cases.
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    occurred_at = models.DateTimeField("when it happened")
    location = models.CharField("where it happened", max_length=255, blank=True)
    description = models.TextField("what happened")
    parties = models.ManyToManyField(CaseParty, blank=True, related_name="incidents")
    # W04: perceived hostility by the victim or anyone else is enough.
    perceived_by = models.CharField(
        "hostility perceived by", max_length=10, choices=choices.PerceivedBy.choices, blank=True
    )
    # W14: police reporting per incident.
    police_reported = models.CharField(
        max_length=10, choices=choices.PoliceReported.choices, default="unknown"
    )
    police_advice = models.CharField(
        max_length=10, choices=choices.PoliceAdvice.choices, blank=True
    )
    crime_reference = models.CharField(max_length=40, blank=True)
    police_officer = models.CharField("officer in the case", max_length=120, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Optimistic locking: a correction carries the version it read; a stale one is refused.
    version = models.PositiveIntegerField(default=1)

    # A correction's reason lists the acts and grounds before and after (they are rows of
    # their own), which is longer than simple-history's default 100 characters.
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [models.Index(fields=["case", "-occurred_at"])]

    def __str__(self) -> str:
        return f"Incident on {uk_date(self.occurred_at)}"


class IncidentActEntry(models.Model):
    """One type of act in an incident (C08). A row, not a list, so it can be counted."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="acts")
    act = models.CharField(max_length=30, choices=choices.IncidentAct.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["incident", "act"], name="incident_act_unique"),
            # incident_record and incident_update refuse any other act; this backs them for
            # every other writer (the monitoring dashboard labels each act it counts).
            models.CheckConstraint(
                condition=Q(act__in=choices.IncidentAct.values), name="incident_act_known"
            ),
        ]
        indexes = [models.Index(fields=["act"])]


class IncidentGroundEntry(models.Model):
    """One hate or harassment ground perceived in an incident (W04, C06)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="grounds")
    ground = models.CharField(max_length=30, choices=choices.HateGround.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["incident", "ground"], name="incident_ground_unique"),
        ]
        indexes = [models.Index(fields=["ground"])]


class Contact(models.Model):
    """A call, visit, interview, e-mail or letter with a party: these meet deadlines."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contacts")
    party = models.ForeignKey(
        CaseParty, null=True, blank=True, on_delete=models.PROTECT, related_name="contacts"
    )
    occurred_at = models.DateTimeField("when")
    method = models.CharField(max_length=20, choices=choices.ContactMethod.choices)
    direction = models.CharField(max_length=10, choices=choices.ContactDirection.choices)
    purpose = models.CharField(max_length=30, choices=choices.ContactPurpose.choices)
    reached = models.BooleanField(
        "spoke with them", default=True, help_text="Untick for a failed attempt or no answer."
    )
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [models.Index(fields=["case", "-occurred_at"])]

    def __str__(self) -> str:
        return f"{self.get_method_display()} on {uk_date(self.occurred_at)}"


class Note(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField()
    # Subject access (UK GDPR art. 15): a staff note is a working note and is left out of a
    # person's subject access export unless whoever wrote it (or a manager reviewing the
    # export) marks it disclosable. Notes written before the marking existed are not.
    disclosable = models.BooleanField(
        "may be disclosed to the people it is about",
        default=False,
        help_text="Tick if this note may go into a subject access export (names of other "
        "people in it are struck out).",
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["case", "-created_at"])]


class CaseReview(models.Model):
    """C26: the review of an open case, by an officer or manager, with what it decided."""

    class Outcome(models.TextChoices):
        CONTINUE = "continue", "Keep the case open: the action plan continues"
        MORE_ACTION = "more_action", "Keep the case open with more action (say what below)"
        PROPOSE_CLOSURE = "propose_closure", "Propose closing it: discuss with the complainant"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reviews")
    reviewed_at = models.DateTimeField("when the review took place")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    summary = models.TextField("what the review found")
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-reviewed_at"]
        # The case page's timeline: one case's reviews, newest first.
        indexes = [models.Index(fields=["case", "-reviewed_at"])]


def evidence_path(instance: "Evidence", filename: str) -> str:
    """A generated name: nothing of the uploader's file name reaches the disk or a URL."""
    return f"evidence/{instance.case.organisation_id}/{instance.storage_key}"


class Evidence(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence")
    incident = models.ForeignKey(
        Incident, null=True, blank=True, on_delete=models.SET_NULL, related_name="evidence"
    )
    kind = models.CharField(max_length=10, choices=choices.EvidenceKind.choices)
    description = models.CharField(max_length=255)
    file = models.FileField(upload_to=evidence_path, max_length=255)
    storage_key = models.CharField(max_length=64, unique=True, editable=False)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords(excluded_fields=["file"])

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name_plural = "evidence"
        indexes = [models.Index(fields=["case", "-uploaded_at"])]
