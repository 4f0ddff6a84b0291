"""The agency directory and support offered to people in a case (W12)."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User
from cases.models import Case, CaseParty
from cases.models.choices import PartyRole
from deadlines.events import deadlines_support_referral_made

from ..models import Agency, SupportReferral, SupportStatus

# Where a referral can go next. Closed is final; a declined offer can be made again later
# as a new offer, so it is final too.
NEXT_STATUSES = {
    SupportStatus.OFFERED: {SupportStatus.DECLINED, SupportStatus.REFERRED, SupportStatus.CLOSED},
    SupportStatus.REFERRED: {SupportStatus.ACCEPTED, SupportStatus.CLOSED},
    SupportStatus.ACCEPTED: {SupportStatus.CLOSED},
    SupportStatus.DECLINED: set(),
    SupportStatus.CLOSED: set(),
}


def agency_save(
    *, organisation: Organisation, by: User, agency: Agency | None = None, **fields
) -> Agency:
    agency = agency or Agency(organisation=organisation)
    if agency.organisation_id != organisation.pk:
        raise ValidationError("That agency belongs to another organisation.")
    for name, value in fields.items():
        setattr(agency, name, value)
    if (
        Agency.objects.filter(organisation=organisation, name__iexact=agency.name.strip())
        .exclude(pk=agency.pk)
        .exists()
    ):
        raise ValidationError({"name": "The directory already has an agency of that name."})
    agency.name = agency.name.strip()
    with transaction.atomic():
        agency._history_user = by  # type: ignore[attr-defined]
        agency.save()
    return agency


def support_offer(
    *,
    case: Case,
    by: User,
    party: CaseParty,
    agency: Agency,
    offered_at: datetime,
    consent: bool,
    refer: bool,
    outcome: str = "",
) -> SupportReferral:
    """Record support offered and, if the person agrees, the referral made (W12)."""
    errors: dict[str, str] = {}
    if party.case_id != case.pk or party.role == PartyRole.PERPETRATOR:
        errors["party"] = "Choose the victim, complainant or a witness in this case."
    if agency.organisation_id != case.organisation_id or not agency.active:
        errors["agency"] = "Choose an agency from your organisation's directory."
    if offered_at > timezone.now():
        errors["offered_at"] = "Support cannot be offered in the future."
    if refer and not consent:
        errors["consent"] = "A referral needs the person's consent: record it or only offer."
    if errors:
        raise ValidationError(errors)
    referral = SupportReferral(
        case=case,
        party=party,
        agency=agency,
        offered_at=offered_at,
        consent=consent,
        status=SupportStatus.REFERRED if refer else SupportStatus.OFFERED,
        referred_at=offered_at if refer else None,
        outcome=outcome,
        recorded_by=by,
    )
    with transaction.atomic():
        referral._history_user = by  # type: ignore[attr-defined]
        referral.save()
        if refer:
            _weekend_referral_check(referral=referral, by=by)
    return referral


def _weekend_referral_check(*, referral: SupportReferral, by: User) -> None:
    """A referral to an outside agency meets what the policy counts it for: C16's
    weekend-support referral where it is the complainant's or victim's (late if after)."""
    deadlines_support_referral_made(
        case=referral.case, referred_at=referral.referred_at, by=by, party=referral.party
    )


def support_referral_update(
    *,
    referral: SupportReferral,
    by: User,
    status: str,
    consent: bool,
    outcome: str,
    at: datetime | None = None,
) -> SupportReferral:
    at = at or timezone.now()
    if status != referral.status and status not in NEXT_STATUSES[referral.status]:
        raise ValidationError(
            {
                "status": f"A referral that is {referral.get_status_display().lower()} cannot "
                f"become {SupportStatus(status).label.lower()}."
            }
        )
    if status in (SupportStatus.REFERRED, SupportStatus.ACCEPTED) and not consent:
        raise ValidationError({"consent": "A referral needs the person's consent."})
    with transaction.atomic():
        locked = SupportReferral.objects.select_for_update().get(pk=referral.pk)
        newly_referred = status == SupportStatus.REFERRED and locked.status != status
        if status == SupportStatus.REFERRED and locked.referred_at is None:
            locked.referred_at = at
        locked.status, locked.consent, locked.outcome = status, consent, outcome
        locked.updated_at = timezone.now()
        locked._history_user = by  # type: ignore[attr-defined]
        locked.save()
        if newly_referred:
            _weekend_referral_check(referral=locked, by=by)
    return locked


def agencies_ensure_defaults(*, organisation: Organisation) -> int:
    """Add W12's agencies that the directory lacks (by name); returns how many were added."""
    from ..defaults import DEFAULT_AGENCIES

    have = {
        n.lower()
        for n in Agency.objects.filter(organisation=organisation).values_list("name", flat=True)
    }
    new = [
        Agency(organisation=organisation, name=name, kind=kind, description=description)
        for name, kind, description in DEFAULT_AGENCIES
        if name.lower() not in have
    ]
    with transaction.atomic():
        for agency in new:
            agency.save()
    return len(new)
