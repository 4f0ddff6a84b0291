from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.models import Organisation

from . import choices
from .case import Case


class Person(models.Model):
    """Someone in one or more cases. Their role is per case (C18), held on ``CaseParty``."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="people")
    full_name = models.CharField(max_length=200)
    known_as = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    safe_phone = models.BooleanField(
        "safe to leave a message", default=False, help_text="May we leave a message?"
    )
    email = models.EmailField(blank=True)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    preferred_language = models.CharField(max_length=60, default="English")
    interpreter_needed = models.BooleanField(default=False)
    preferred_format = models.CharField(
        max_length=20, choices=choices.PreferredFormat.choices, default="standard"
    )
    tenure = models.CharField(
        max_length=20, choices=choices.Tenure.choices, default=choices.Tenure.UNKNOWN
    )
    tenancy_reference = models.CharField(max_length=40, blank=True)
    tenancy_type = models.CharField(
        "type of tenancy",
        max_length=20,
        choices=choices.TenancyType.choices,
        blank=True,
        help_text="For a tenant: decides which possession ground can be used (C25).",
    )
    # C10: a household member or visitor answers through the tenancy they belong to.
    tenancy_holder = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="household",
        help_text="The tenant or leaseholder whose household or visitor this person is.",
    )

    # Vulnerability (W15): a child is derived from the date of birth.
    adult_at_risk = models.BooleanField(default=False)
    vulnerability_notes = models.TextField(blank=True)

    # Equality monitoring (W22, C27).
    gender = models.CharField(max_length=20, choices=choices.Gender.choices, blank=True)
    gender_same_as_birth = models.CharField(
        "gender identity the same as sex registered at birth",
        max_length=20,
        choices=choices.YesNoPrefer.choices,
        blank=True,
    )
    ethnicity = models.CharField(max_length=20, choices=choices.Ethnicity.choices, blank=True)
    religion = models.CharField(max_length=20, choices=choices.Religion.choices, blank=True)
    sexual_orientation = models.CharField(
        max_length=20, choices=choices.SexualOrientation.choices, blank=True
    )
    disability = models.CharField(max_length=20, choices=choices.YesNoPrefer.choices, blank=True)
    marital_status = models.CharField(
        max_length=20, choices=choices.MaritalStatus.choices, blank=True
    )
    pregnant_or_maternity = models.CharField(
        "pregnancy or maternity", max_length=20, choices=choices.YesNoPrefer.choices, blank=True
    )

    # C11: written permission to disclose this person's identity to the other side.
    disclosure_consent = models.BooleanField("written consent to disclose identity", default=False)
    disclosure_consent_recorded_at = models.DateTimeField(null=True, blank=True)
    disclosure_consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["full_name"]
        verbose_name_plural = "people"
        indexes = [
            models.Index(fields=["organisation", "full_name"]),
            models.Index(fields=["organisation", "postcode"]),
            models.Index(fields=["organisation", "date_of_birth"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(disclosure_consent=False)
                | Q(disclosure_consent_recorded_at__isnull=False),
                name="person_consent_has_a_date",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def age_on(self, day: date) -> int | None:
        if self.date_of_birth is None:
            return None
        dob = self.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))

    @property
    def age(self) -> int | None:
        return self.age_on(timezone.localdate())

    @property
    def is_child(self) -> bool:
        age = self.age
        return age is not None and age < 18

    @property
    def is_resident(self) -> bool:
        return self.tenure in choices.RESIDENT_TENURES


class CaseParty(models.Model):
    """A person's role in one case. A perpetrator may be unknown or a group (no person)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="case_roles"
    )
    role = models.CharField(max_length=20, choices=choices.PartyRole.choices)
    perpetrator_kind = models.CharField(
        max_length=10, choices=choices.PerpetratorKind.choices, blank=True
    )
    description = models.CharField(
        max_length=255, blank=True, help_text="For an unknown person or a group: who they are."
    )
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "id"]
        verbose_name_plural = "case parties"
        constraints = [
            models.UniqueConstraint(
                fields=["case", "person", "role"],
                condition=Q(person__isnull=False),
                name="party_unique_person_role",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False)
                | (Q(role="perpetrator") & ~Q(perpetrator_kind="named")),
                name="party_without_person_is_unknown_perpetrator",
            ),
        ]
        indexes = [models.Index(fields=["person", "role"])]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.display_name}"

    @property
    def display_name(self) -> str:
        if self.person_id:
            return self.person.full_name
        kind = self.get_perpetrator_kind_display() or "Unknown"
        return f"{kind}: {self.description}" if self.description else kind
