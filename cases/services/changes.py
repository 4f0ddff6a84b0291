"""Changes to a case's own fields, with optimistic locking and a recorded reason (C07)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from deadlines.events import (
    deadlines_case_facts_changed,
    deadlines_contact_frequency_agreed,
    deadlines_violence_recorded,
)
from policy.selectors import rules_in_force
from policy.services import policy_ensure

from ..models import Case
from ..models.case import MAX_AGREED_CONTACT_DAYS
from .search import case_search_refresh


class StaleCaseError(Exception):
    """Someone else saved the case after this user opened it."""


def case_update(*, case: Case, by: User, expected_version: int, reason: str, **fields) -> Case:
    """Write ``fields`` if nobody saved the case since ``expected_version`` was read.

    Two officers saving at once never silently overwrite each other: the second gets
    ``StaleCaseError`` and the view shows them the current case beside their input.
    """
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.version != expected_version:
            raise StaleCaseError
        feared_before = locked.fear_of_violence
        before = (locked.category, locked.risk_level)
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.version += 1
        locked.updated_at = timezone.now()
        locked._change_reason = reason  # type: ignore[attr-defined]
        locked._history_user = by  # type: ignore[attr-defined]
        locked.save()
        if "location" in fields:
            case_search_refresh(case_ids=[locked.pk])
        if locked.fear_of_violence and not feared_before:
            # C19, C20, C21: sooner where there is violence or a threat of it.
            deadlines_violence_recorded(case=locked, by=by, what="fear of violence")
        elif (locked.category, locked.risk_level) != before:
            # Rules may be quicker for some categories or risk bands.
            deadlines_case_facts_changed(
                case=locked,
                by=by,
                what=f"now {locked.get_category_display().lower()}, "
                f"{locked.get_risk_level_display().lower()} risk",
            )
    return locked


def case_recategorise(
    *, case: Case, by: User, category: str, reason: str, expected_version: int
) -> Case:
    """C07: change the category, keeping who, when and why; the first category stays."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the category is changing."})
    if category == case.category:
        raise ValidationError({"category": "The case already has that category."})
    return case_update(
        case=case,
        by=by,
        expected_version=expected_version,
        reason=f"Recategorised: {reason.strip()}",
        category=category,
    )


def case_reassign(
    *, case: Case, by: User, officer: User, reason: str, expected_version: int
) -> Case:
    if not reason.strip():
        raise ValidationError({"reason": "Say why the case is being reassigned."})
    if not officer.memberships.filter(
        organisation=case.organisation, role__in=[Role.OFFICER, Role.MANAGER]
    ).exists():
        raise ValidationError({"officer": "Choose an officer of this organisation."})
    return case_update(
        case=case,
        by=by,
        expected_version=expected_version,
        reason=f"Reassigned: {reason.strip()}",
        assigned_officer=officer,
    )


def case_contact_frequency_agree(
    *, case: Case, by: User, days: int | None, reason: str, expected_version: int
) -> Case:
    """W13 / C22: how often this complainant is called, as agreed with them (None: the
    policy's interval). The open welfare-call deadline moves with it."""
    policy_ensure(case.organisation)
    agreeable = [r for r in rules_in_force(case.organisation_id) if r.agreed_frequency]
    if not agreeable:
        raise ValidationError(
            {"days": "Your organisation's policy fixes how often complainants are called."}
        )
    if days is not None and not 1 <= days <= MAX_AGREED_CONTACT_DAYS:
        raise ValidationError(
            {"days": f"Enter a number of days from 1 to {MAX_AGREED_CONTACT_DAYS}."}
        )
    if not reason.strip():
        raise ValidationError({"reason": "Say what was agreed with the complainant, and when."})
    if days == case.agreed_contact_days:
        raise ValidationError({"days": "That is already the agreed frequency."})
    said = f"every {days} days" if days else "as the policy sets"
    with transaction.atomic():
        updated = case_update(
            case=case,
            by=by,
            expected_version=expected_version,
            reason=f"Welfare calls {said}: {reason.strip()}",
            agreed_contact_days=days,
        )
        deadlines_contact_frequency_agreed(case=updated, by=by)
    return updated
