"""Safeguarding referrals to the local authority (W15) and welfare calls (W13)."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from cases.models import Case, CaseParty, Contact
from cases.models.choices import ContactDirection, ContactPurpose
from cases.services.records import contact_log
from deadlines.events import deadlines_safeguarding_referral_made

from ..models import SafeguardingReferral


def safeguarding_referral_make(
    *,
    case: Case,
    by: User,
    party: CaseParty,
    kind: str,
    local_authority: str,
    referred_at: datetime,
    concern: str,
    authority_reference: str = "",
) -> SafeguardingReferral:
    """Record the referral; it meets every live W15 deadline on the case."""
    errors: dict[str, str] = {}
    if party.case_id != case.pk or party.person_id is None:
        errors["party"] = "Choose a named person in this case."
    if referred_at > timezone.now():
        errors["referred_at"] = "A referral cannot be made in the future."
    if not local_authority.strip():
        errors["local_authority"] = "Name the local authority referred to."
    if not concern.strip():
        errors["concern"] = "Say what the concern is."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        referral = SafeguardingReferral(
            case=case,
            party=party,
            kind=kind,
            local_authority=local_authority.strip(),
            referred_at=referred_at,
            concern=concern.strip(),
            authority_reference=authority_reference.strip(),
            made_by=by,
        )
        referral._history_user = by  # type: ignore[attr-defined]
        referral.save()
        deadlines_safeguarding_referral_made(case=case, referred_at=referred_at, by=by)
    return referral


def welfare_call_log(
    *,
    case: Case,
    by: User,
    party: CaseParty,
    occurred_at: datetime,
    reached: bool,
    wellbeing: str,
    support_in_place: str,
    police_progress: str,
) -> Contact:
    """W13: a welfare call is a contact with purpose welfare_call; ``contact_log`` meets the
    recurring deadline and starts the next one. The three things the call covers are kept
    in the contact's notes, under headings."""
    if reached and not wellbeing.strip():
        raise ValidationError({"wellbeing": "Say how they are."})
    notes = "\n".join(
        f"{heading}: {text.strip()}"
        for heading, text in (
            ("Wellbeing", wellbeing),
            ("Support in place", support_in_place),
            ("Police progress", police_progress),
        )
        if text.strip()
    )
    return contact_log(
        case=case,
        by=by,
        occurred_at=occurred_at,
        method="phone",
        direction=ContactDirection.OUTBOUND,
        purpose=ContactPurpose.WELFARE_CALL,
        party=party,
        reached=reached,
        notes=notes,
    )
