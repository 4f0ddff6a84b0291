"""Who may open a case (restriction, named staff). The log of every opening (CaseAccess) is
written by the view decorators of cases/views/access.py."""

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User

from ..models import Case
from .changes import case_update


def case_restrict(
    *,
    case: Case,
    by: User,
    restricted: bool,
    named_staff: list[User],
    reason: str,
    expected_version: int,
) -> Case:
    """Restrict a case to its officer, named staff and managers (or lift the restriction)."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why access is changing."})
    outsiders = [u for u in named_staff if not u.memberships.filter(organisation=case.organisation)]
    if outsiders:
        raise ValidationError({"named_staff": "Name only staff of this organisation."})
    with transaction.atomic():
        updated = case_update(
            case=case,
            by=by,
            expected_version=expected_version,
            reason=f"Access changed: {reason.strip()}",
            restricted=restricted,
        )
        updated.named_staff.set(named_staff)
    return updated
