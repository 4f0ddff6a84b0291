"""Referring a household for a managed transfer (W17, C25) and tracking the move."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from cases.models import Case, CaseParty, Evidence, Incident, Person
from cases.models.choices import PartyRole, Tenure
from cases.selectors import people_offered_to
from cases.services.parties import NOT_OFFERED

from ..choices import (
    OPEN_STATUSES,
    PROGRESS_STEPS,
    Reason,
    ReferralStatus,
    ReferralType,
    Route,
    Urgency,
)
from ..models import ReferralReason, TransferReferral
from .meetings import meeting_for_new_referral

# Victims and complainants are the people a transfer can move (with their household).
MOVABLE_ROLES = (PartyRole.VICTIM, PartyRole.COMPLAINANT)


def movable_people(*, case: Case):
    """People on the case who may be moved: victims and complainants, and their households.

    One indexed probe per branch joined by UNION (the case's parties by ``case_id``; the
    household by ``tenancy_holder_id``), then the people by primary key. An OR of the two
    made PostgreSQL filter every person of the organisation through two hashed subplans
    (263-665 ms at 200,000 people). Returns a queryset the caller may filter further.
    """
    on_case = (
        CaseParty.objects.filter(case=case, role__in=MOVABLE_ROLES, person__isnull=False)
        .order_by()
        .values("person_id")
    )
    households = Person.objects.filter(tenancy_holder_id__in=on_case).order_by().values("pk")
    return Person.objects.filter(
        organisation_id=case.organisation_id, pk__in=on_case.union(households)
    )


def jv_route_applies(*, people) -> bool:
    """W17: a joint-venture tenancy means no Registered Provider transfer rights."""
    for person in people:
        holder = person.tenancy_holder if person.tenancy_holder_id else person
        if Tenure.JV_TENANT in (person.tenure, holder.tenure):
            return True
    return False


def transfer_referral_create(
    *,
    case: Case,
    by: User,
    referral_type: str,
    household: list[Person],
    reasons: list[str],
    reason_details: str,
    urgency: str,
    bedrooms_needed: int,
    accessibility_needs: str = "",
    areas_to_avoid: str = "",
    evidence: list[Evidence] | None = None,
    incidents: list[Incident] | None = None,
    route: str = Route.PANEL,
    local_authority: str = "",
    local_authority_referred_on: date | None = None,
) -> TransferReferral:
    """Refer a household to the Housing Panel; it goes on the next agenda still open (W05)."""
    evidence = evidence or []
    incidents = incidents or []
    errors: dict[str, str] = {}
    movable = movable_people(case=case)
    allowed_people = {p.pk for p in movable}
    offered = set(
        people_offered_to(user=by, organisation=case.organisation)
        .filter(pk__in=allowed_people)
        .values_list("pk", flat=True)
    )
    if not household:
        errors["household"] = "Choose who is to move."
    elif any(p.pk not in allowed_people for p in household):
        errors["household"] = "Only the victims, complainants and their households can move."
    elif any(p.pk not in offered for p in household):
        errors["household"] = NOT_OFFERED
    if not reasons or any(r not in Reason.values for r in reasons):
        errors["reasons"] = "Choose at least one reason."
    if not reason_details.strip():
        errors["reason_details"] = "Say why the household cannot stay."
    if referral_type not in ReferralType.values:
        errors["referral_type"] = "Choose the type of move."
    if urgency not in Urgency.values:
        errors["urgency"] = "Choose the urgency."
    if not 0 <= bedrooms_needed <= 8:
        errors["bedrooms_needed"] = "Between 0 (studio) and 8 bedrooms."
    if any(e.case_id != case.pk for e in evidence):
        errors["evidence"] = "Choose evidence from this case."
    if any(i.case_id != case.pk for i in incidents):
        errors["incidents"] = "Choose incidents from this case."
    jv = jv_route_applies(people=household) if household else False
    if route == Route.JV_LOCAL_AUTHORITY and not jv:
        errors["route"] = "The joint local authority route is only for joint-venture tenants."
    elif route == Route.PANEL and jv:
        errors["route"] = (
            "Joint-venture tenants have no transfer rights with us: refer jointly to the "
            "local authority; the panel considers a direct let case by case."
        )
    elif route == Route.JV_LOCAL_AUTHORITY:
        if not local_authority.strip():
            errors["local_authority"] = "Name the local authority referred to."
        if local_authority_referred_on is None:
            errors["local_authority_referred_on"] = "Give the date of the joint referral."
        elif local_authority_referred_on > timezone.localdate():
            errors["local_authority_referred_on"] = "That date is in the future."
    if not case.is_open:
        errors["__all__"] = "This case is closed."
    if errors:
        raise ValidationError(errors)

    now = timezone.now()
    with transaction.atomic():
        Case.objects.select_for_update().filter(pk=case.pk).first()
        if case.transfer_referrals.filter(status__in=OPEN_STATUSES).exists():
            raise ValidationError("This case already has an open transfer referral.")
        referral = TransferReferral(
            organisation_id=case.organisation_id,
            case=case,
            referral_type=referral_type,
            route=route,
            reason_details=reason_details.strip(),
            urgency=urgency,
            bedrooms_needed=bedrooms_needed,
            accessibility_needs=accessibility_needs.strip(),
            areas_to_avoid=areas_to_avoid.strip(),
            local_authority=local_authority.strip() if route != Route.PANEL else "",
            local_authority_referred_on=(
                local_authority_referred_on if route != Route.PANEL else None
            ),
            meeting=meeting_for_new_referral(organisation=case.organisation, at=now),
            referred_by=by,
            referred_at=now,
        )
        referral._change_reason = "Referred to the Housing Panel"  # type: ignore[attr-defined]
        referral.save()
        referral.household.set(household)
        referral.evidence.set(evidence)
        referral.incidents.set(incidents)
        ReferralReason.objects.bulk_create(
            [ReferralReason(referral=referral, reason=r) for r in sorted(set(reasons))]
        )
    return referral


PROGRESS_STAMP = {
    ReferralStatus.OFFER_MADE: "offer_made_at",
    ReferralStatus.OFFER_ACCEPTED: "offer_accepted_at",
    ReferralStatus.MOVED: "moved_at",
}


def transfer_progress_record(
    *, referral: TransferReferral, by: User, step: str, note: str = "", version: int
) -> TransferReferral:
    """Move an approved transfer one step on: offer made, accepted, moved (which closes it)."""
    if referral.status not in PROGRESS_STEPS[:-1]:
        raise ValidationError("Only an approved transfer in progress can move on.")
    expected = PROGRESS_STEPS[PROGRESS_STEPS.index(referral.status) + 1]
    if step != expected:
        raise ValidationError({"step": f"The next step is: {ReferralStatus(expected).label}."})
    with transaction.atomic():
        updated = TransferReferral.objects.filter(
            pk=referral.pk, version=version, status=referral.status
        ).update(version=version + 1)
        if updated != 1:
            raise ValidationError("Someone else has updated this transfer; reload the page.")
        referral.refresh_from_db()
        step = ReferralStatus(step)
        referral.status = step
        setattr(referral, PROGRESS_STAMP[step], timezone.now())
        referral.progress_note = note.strip()[:255]
        referral._change_reason = ReferralStatus(step).label  # type: ignore[attr-defined]
        referral.save(update_fields=["status", PROGRESS_STAMP[step], "progress_note"])
    return referral
