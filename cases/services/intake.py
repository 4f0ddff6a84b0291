"""Logging a new report as a case (W07, W09, W11, C13)."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Area, Organisation, Role, User
from deadlines.events import deadlines_case_opened

from ..models import Case, CaseSequence
from ..models.choices import RiskLevel, Status
from .search import case_search_refresh


def case_reference_allocate(*, organisation: Organisation, year: int) -> str:
    """The next reference for the organisation and year: ``WCH-2026-00042``.

    Must run inside the transaction that saves the case, so a failed save returns nothing to
    the sequence and two officers never get the same number.
    """
    sequence, _ = CaseSequence.objects.select_for_update().get_or_create(
        organisation=organisation, year=year
    )
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return f"{organisation.code}-{year}-{sequence.last_number:05d}"


def officer_for_area(*, organisation: Organisation, area: Area | None) -> User | None:
    """The officer covering an area: the one with the fewest open cases there, if several."""
    if area is None:
        return None
    from django.db.models import Count, Q

    return (
        User.objects.filter(
            is_active=True,
            memberships__organisation=organisation,
            memberships__role=Role.OFFICER,
            memberships__areas=area,
        )
        .annotate(
            open_cases=Count(
                "assigned_cases",
                filter=Q(assigned_cases__organisation=organisation)
                & ~Q(assigned_cases__status=Status.CLOSED),
            )
        )
        .order_by("open_cases", "full_name")
        .first()
    )


def case_open(
    *,
    organisation: Organisation,
    logged_by: User,
    received_at: datetime,
    channel: str,
    reporter_type: str,
    category: str,
    summary: str,
    prior_action: str = "",
    location: str = "",
    area: Area | None = None,
    assigned_officer: User | None = None,
    fear_of_violence: bool = False,
    restricted: bool = False,
    previous_case: Case | None = None,
) -> Case:
    """Open a case from a report. New cases are High Risk (W09) and go to an officer."""
    now = timezone.now()
    if received_at > now:
        raise ValidationError({"received_at": "A report cannot be received in the future."})
    if area is not None and area.organisation_id != organisation.pk:
        raise ValidationError({"area": "That area belongs to another organisation."})
    if (
        assigned_officer is not None
        and not assigned_officer.memberships.filter(
            organisation=organisation, role__in=[Role.OFFICER, Role.MANAGER]
        ).exists()
    ):
        raise ValidationError({"assigned_officer": "Choose an officer of this organisation."})
    if previous_case is not None and previous_case.organisation_id != organisation.pk:
        raise ValidationError({"previous_case": "That case belongs to another organisation."})
    if assigned_officer is None:
        assigned_officer = officer_for_area(organisation=organisation, area=area)

    with transaction.atomic():
        year = timezone.localtime(received_at).year
        case = Case(
            organisation=organisation,
            reference=case_reference_allocate(organisation=organisation, year=year),
            category=category,
            original_category=category,
            status=Status.NEW if assigned_officer is None else Status.OPEN,
            risk_level=RiskLevel.HIGH,
            area=area,
            location=location,
            assigned_officer=assigned_officer,
            restricted=restricted,
            received_at=received_at,
            channel=channel,
            reporter_type=reporter_type,
            summary=summary,
            prior_action=prior_action,
            fear_of_violence=fear_of_violence,
            previous_case=previous_case,
            created_by=logged_by,
            created_at=now,
            updated_at=now,
        )
        case.full_clean(exclude=["reference", "original_category"])
        case._change_reason = "Report logged"  # type: ignore[attr-defined]
        case.save()
        case_search_refresh(case_ids=[case.pk])
        deadlines_case_opened(case=case)
    return case
