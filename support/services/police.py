"""Police involvement per incident (W14): reported or not, advice given, crime reference."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from cases.models import Incident
from cases.models.choices import PoliceAdvice, PoliceReported
from cases.services.records import StaleIncidentError, police_errors


def incident_police_update(
    *,
    incident: Incident,
    by: User,
    police_reported: str,
    police_advice: str,
    crime_reference: str,
    police_officer: str,
    expected_version: int | None = None,
) -> Incident:
    """Record the incident's police involvement. With ``expected_version`` (the version the
    officer's form was made from), a save after someone else's raises StaleIncidentError.
    The page also asks for the advice given when it was not reported (W14), which a first
    report at intake cannot yet say."""
    errors = police_errors(
        police_reported=police_reported,
        crime_reference=crime_reference,
        police_officer=police_officer,
    )
    if police_reported == PoliceReported.NO and police_advice == PoliceAdvice.NONE:
        errors["police_advice"] = (
            "Not reported: record the advice given (999, 101 or online) (W14)."
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Incident.objects.select_for_update().get(pk=incident.pk)
        if expected_version is not None and locked.version != expected_version:
            raise StaleIncidentError
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
