"""Police involvement per incident (W14): reported or not, advice given, crime reference."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from cases.models import Incident
from cases.models.choices import PoliceAdvice, PoliceReported


def incident_police_update(
    *,
    incident: Incident,
    by: User,
    police_reported: str,
    police_advice: str,
    crime_reference: str,
    police_officer: str,
) -> Incident:
    errors: dict[str, str] = {}
    if police_reported != PoliceReported.YES and crime_reference.strip():
        errors["crime_reference"] = "A crime reference means it was reported to the police."
    if police_reported != PoliceReported.YES and police_officer.strip():
        errors["police_officer"] = "An officer in the case means it was reported to the police."
    if police_reported == PoliceReported.NO and police_advice == PoliceAdvice.NONE:
        errors["police_advice"] = (
            "Not reported: record the advice given (999, 101 or online) (W14)."
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Incident.objects.select_for_update().get(pk=incident.pk)
        locked.police_reported = police_reported
        locked.police_advice = police_advice
        locked.crime_reference = crime_reference.strip()
        locked.police_officer = police_officer.strip()
        # An officer correcting the whole incident meanwhile must not write over this.
        locked.version += 1
        locked._history_user = by  # type: ignore[attr-defined]
        locked._change_reason = "Police details updated (W14)"  # type: ignore[attr-defined]
        locked.save()
    return locked
