"""Recording convictions (W19) and action against perpetrators (C24, C25, W18, C09)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from cases.models import Case, CaseParty
from cases.models.choices import PartyRole
from policy.settings import policy_for

from .models import ActionStatus, Conviction, EnforcementAction, Remedy
from .remedies import INJUNCTIONS, remedies_for


def _check_perpetrator(case: Case, party: CaseParty) -> None:
    if party.case_id != case.pk or party.role != PartyRole.PERPETRATOR:
        raise ValidationError({"perpetrator": "Choose a perpetrator in this case."})


def conviction_record(
    *, case: Case, by: User, party: CaseParty, offence: str, convicted_on: date, court: str = ""
) -> Conviction:
    _check_perpetrator(case, party)
    errors: dict[str, str] = {}
    if party.person_id is None:
        errors["perpetrator"] = "A conviction needs a named person."
    if convicted_on > timezone.localdate():
        errors["convicted_on"] = "A conviction cannot be in the future."
    if not offence.strip():
        errors["offence"] = "Name the offence."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        conviction = Conviction(
            person=party.person,
            case=case,
            offence=offence.strip(),
            court=court.strip(),
            convicted_on=convicted_on,
            recorded_by=by,
        )
        conviction._history_user = by  # type: ignore[attr-defined]
        conviction.save()
    return conviction


def enforcement_action_record(
    *,
    case: Case,
    by: User,
    party: CaseParty,
    remedy: str,
    action_date: date,
    status: str = ActionStatus.PROPOSED,
    confirmation: str = "",
    with_notice: bool | None = None,
    power_of_arrest: bool = False,
    legal_costs: Decimal = Decimal(0),
    other_costs: Decimal = Decimal(0),
    notes: str = "",
) -> EnforcementAction:
    """Refuse a remedy that is closed against this perpetrator (W18, W19, C25 age at the
    date of application) and a written warning without confirmation (C24)."""
    _check_perpetrator(case, party)
    errors: dict[str, str] = {}
    if action_date > timezone.localdate() and status != ActionStatus.PROPOSED:
        errors["action_date"] = "Only a proposed action can have a date in the future."
    convicted = party.person_id is not None and party.person.convictions.exists()
    option = next(
        o
        for o in remedies_for(
            case=case,
            party=party,
            policy=policy_for(case.organisation),
            convicted=convicted,
            incident_count=case.incidents.count(),
            on=action_date,
        )
        if o.remedy == remedy
    )
    if not option.open:
        errors["remedy"] = " ".join(option.reasons)
    if remedy == Remedy.WRITTEN_WARNING and not confirmation.strip():
        errors["confirmation"] = (
            "No written warning without some confirmation of the behaviour (C24)."
        )
    if remedy not in INJUNCTIONS:
        with_notice, power_of_arrest = None, False
    if legal_costs < 0 or other_costs < 0:
        errors["legal_costs"] = "Costs cannot be negative."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        action = EnforcementAction(
            case=case,
            perpetrator=party,
            remedy=remedy,
            status=status,
            action_date=action_date,
            confirmation=confirmation.strip(),
            with_notice=with_notice,
            power_of_arrest=power_of_arrest,
            legal_costs=legal_costs,
            other_costs=other_costs,
            notes=notes,
            recorded_by=by,
        )
        action._history_user = by  # type: ignore[attr-defined]
        action.save()
    return action


def enforcement_action_update(
    *,
    action: EnforcementAction,
    by: User,
    status: str,
    legal_costs: Decimal,
    other_costs: Decimal,
    notes: str,
) -> EnforcementAction:
    if legal_costs < 0 or other_costs < 0:
        raise ValidationError({"legal_costs": "Costs cannot be negative."})
    with transaction.atomic():
        locked = EnforcementAction.objects.select_for_update().get(pk=action.pk)
        locked.status, locked.notes = status, notes
        locked.legal_costs, locked.other_costs = legal_costs, other_costs
        locked._history_user = by  # type: ignore[attr-defined]
        locked.save()
    return locked
