"""Changes to many cases at once, each kept in its case's history like a single change."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from accounts.models import Organisation, Role, User

from ..models import Case


def cases_bulk_reassign(
    *, organisation: Organisation, case_ids: list[int], by: User, officer: User, reason: str
) -> int:
    """A manager moves several cases to one officer (e.g. an officer leaves).

    ``bulk_update_with_history`` writes one history row per case with who, when and why, so
    a bulk change is as visible in the audit trail as a single one. Each case's version is
    bumped so an officer editing one of them meanwhile gets the stale-case message.
    """
    if not reason.strip():
        raise ValidationError({"reason": "Say why the cases are being reassigned."})
    if not officer.memberships.filter(
        organisation=organisation, role__in=[Role.OFFICER, Role.MANAGER]
    ).exists():
        raise ValidationError({"officer": "Choose an officer of this organisation."})
    with transaction.atomic():
        cases = list(
            Case.objects.select_for_update().filter(organisation=organisation, pk__in=case_ids)
        )
        if not cases:
            raise ValidationError({"cases": "Choose at least one case."})
        now = timezone.now()
        for case in cases:
            case.assigned_officer = officer
            case.version += 1
            case.updated_at = now
        bulk_update_with_history(
            cases,
            Case,
            ["assigned_officer", "version", "updated_at"],
            default_user=by,
            default_change_reason=f"Reassigned in bulk: {reason.strip()}",
        )
    return len(cases)
