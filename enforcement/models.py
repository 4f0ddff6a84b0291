"""Action against perpetrators (C24, C25, W18, W19, C09) and the convictions W19 needs."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cases.models import Case, CaseParty, Person


class Remedy(models.TextChoices):
    VERBAL_WARNING = "verbal_warning", "Verbal warning"
    WRITTEN_WARNING = "written_warning", "Written warning"
    HARASSMENT_WARNING = "harassment_warning", "Police harassment warning"
    POLICE_CAUTION = "police_caution", "Police caution"
    ABC = "abc", "Acceptable Behaviour Contract"
    INJUNCTION = "injunction", "Injunction (Housing Act 1996 s153)"
    RESTRAINING_ORDER = "restraining_order", "Restraining order"
    CIVIL_INJUNCTION = "civil_injunction", "Civil injunction (ASB, Crime and Policing Act 2014)"
    DEMOTION = "demotion", "Demotion of tenancy"
    POSSESSION_GROUND_2 = "possession_ground_2", "Possession, Ground 2 (secure tenancy)"
    POSSESSION_GROUND_14 = "possession_ground_14", "Possession, Ground 14 (assured tenancy)"
    MANAGEMENT_MOVE = "management_move", "Management move (C25)"


class ActionStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    APPLIED = "applied", "Applied for or issued"
    GRANTED = "granted", "Granted or in force"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn"
    ENDED = "ended", "Ended"


class Conviction(models.Model):
    """A conviction of an offence related to the incidents (W19): opens tenancy remedies
    where the organisation's policy requires one."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="convictions")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="convictions")
    offence = models.CharField(max_length=200)
    court = models.CharField(max_length=150, blank=True)
    convicted_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-convicted_on"]


class EnforcementAction(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="enforcement_actions")
    perpetrator = models.ForeignKey(CaseParty, on_delete=models.PROTECT, related_name="+")
    remedy = models.CharField(max_length=30, choices=Remedy.choices)
    status = models.CharField(max_length=10, choices=ActionStatus.choices, default="proposed")
    action_date = models.DateField("date of the warning or application")
    # C24: no written warning without some confirmation of the behaviour.
    confirmation = models.TextField(
        "what confirms the behaviour",
        blank=True,
        help_text="A witness, the police, a recording, a professional's report (C24).",
    )
    with_notice = models.BooleanField("applied for with notice", null=True, blank=True)
    power_of_arrest = models.BooleanField(default=False)
    # C25: external costs per action.
    legal_costs = models.DecimalField(
        "external legal costs", max_digits=9, decimal_places=2, default=0
    )
    other_costs = models.DecimalField(
        "other external costs", max_digits=9, decimal_places=2, default=0
    )
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-action_date", "-pk"]
        indexes = [models.Index(fields=["case", "-action_date"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(remedy="written_warning") | ~Q(confirmation=""),
                name="written_warning_needs_confirmation",
            ),
            models.CheckConstraint(
                condition=Q(legal_costs__gte=0) & Q(other_costs__gte=0),
                name="enforcement_costs_not_negative",
            ),
        ]
