"""The dashboard's figures counted ahead, per organisation and month (see dashboards/rollup.py).

A ``MonthlyCount`` is one number: how many facts of one kind (deadlines due, cases received,
incidents' acts...) fell in one whole month, for one key of the table that shows them (a
rule, a channel, an act) and one detail (a deadline's outcome), either for the whole
organisation or for one area, officer or category. The dashboard adds up the whole months
of its period from these rows and counts the ragged days at either end from the cases
themselves.
"""

from __future__ import annotations

from django.db import models

from accounts.models import Organisation


class Dimension(models.TextChoices):
    """Which of the dashboard's filters a row is counted for (one at a time)."""

    ALL = "", "Whole organisation"
    AREA = "area", "Area"
    OFFICER = "officer", "Officer"
    CATEGORY = "category", "Category"


class MonthlyCount(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    # The first moment of the month, London time (a month's facts are those at or after it
    # and before the next month's first moment).
    month = models.DateTimeField()
    fact = models.CharField(max_length=20)
    dimension = models.CharField(max_length=10, choices=Dimension.choices, blank=True)
    # The area's or officer's primary key, or the category's code; "" for the whole
    # organisation, and for a case with no area or officer.
    value = models.CharField(max_length=40, blank=True)
    key = models.CharField(max_length=60, blank=True)
    detail = models.CharField(max_length=20, blank=True)
    n = models.PositiveIntegerField()

    class Meta:
        indexes = [
            # The dashboard's read: one fact, for the whole organisation or one area, officer
            # or category, over the whole months of the period
            # (dashboards.rollup.monthly_counts).
            models.Index(
                fields=["organisation", "fact", "dimension", "value", "month"],
                name="dash_monthly_read",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fact} {self.month:%Y-%m} {self.key} {self.detail}: {self.n}"


class Rollup(models.Model):
    """When an organisation's monthly counts were last rebuilt, and the first month they do
    not cover (the month the rebuild ran in, whose facts are still arriving)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="+", primary_key=True
    )
    built_at = models.DateTimeField()
    covers_before = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.organisation_id} built {self.built_at:%Y-%m-%d %H:%M}"
