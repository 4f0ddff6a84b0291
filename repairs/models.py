"""Repairs to the landlord's property reported from a case (W16, C19; costs for C27)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cases.models import Case


class DamageKind(models.TextChoices):
    VANDALISM = "vandalism", "Vandalism"
    GRAFFITI = "graffiti", "Graffiti"
    ARSON = "arson", "Arson"
    OTHER = "other", "Other damage"


class RepairStatus(models.TextChoices):
    REPORTED = "reported", "Reported to the Customer Service Centre"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class Repair(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="repairs")
    kind = models.CharField("damage", max_length=10, choices=DamageKind.choices)
    description = models.CharField(max_length=300)
    location = models.CharField(max_length=200, blank=True)
    repair_reference = models.CharField(
        "Customer Service Centre reference", max_length=40, blank=True
    )
    # C19: discriminatory graffiti and emergency repairs are put right within 24 hours.
    offensive = models.BooleanField("offensive or discriminatory graffiti", default=False)
    emergency = models.BooleanField("emergency repair", default=False)
    reported_at = models.DateTimeField("reported to the Customer Service Centre")
    status = models.CharField(max_length=12, choices=RepairStatus.choices, default="reported")
    completed_at = models.DateTimeField(null=True, blank=True)
    repair_cost = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    cleanup_cost = models.DecimalField("clean-up cost", max_digits=9, decimal_places=2, default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-reported_at"]
        indexes = [models.Index(fields=["case", "-reported_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(offensive=False) | Q(kind="graffiti"),
                name="repair_offensive_only_graffiti",
            ),
            models.CheckConstraint(
                condition=Q(completed_at__isnull=True) | Q(status="done"),
                name="repair_completed_only_when_done",
            ),
            models.CheckConstraint(
                condition=Q(repair_cost__gte=0) & Q(cleanup_cost__gte=0),
                name="repair_costs_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description}"

    @property
    def source_key(self) -> str:
        return f"repair-{self.pk}"

    @property
    def urgent(self) -> bool:
        return self.offensive or self.emergency
