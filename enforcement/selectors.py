"""Reads for the enforcement panel: every perpetrator with the remedies open against them."""

from django.utils import timezone

from cases.models import Case, CaseParty
from cases.models.choices import PartyRole
from policy.settings import policy_for

from .models import Conviction, EnforcementAction
from .remedies import remedies_for


def perpetrators_of(case: Case):
    return CaseParty.objects.filter(case=case, role=PartyRole.PERPETRATOR).select_related(
        "person", "person__tenancy_holder"
    )


def enforcement_panel(*, case: Case, on=None) -> dict:
    """Perpetrators, their convictions, the actions taken and the remedies open (5 queries:
    perpetrators, convictions, actions, the incident count, the policy settings)."""
    on = on or timezone.localdate()
    perpetrators = list(perpetrators_of(case))
    person_ids = [p.person_id for p in perpetrators if p.person_id]
    convictions = list(Conviction.objects.filter(person_id__in=person_ids))
    actions = list(
        EnforcementAction.objects.filter(case=case).select_related(
            "perpetrator__person", "recorded_by"
        )
    )
    incident_count = case.incidents.count()
    policy = policy_for(case.organisation)
    rows = []
    for party in perpetrators:
        mine = [c for c in convictions if c.person_id == party.person_id]
        rows.append(
            {
                "party": party,
                "convictions": mine,
                "actions": [a for a in actions if a.perpetrator_id == party.pk],
                "remedies": remedies_for(
                    case=case,
                    party=party,
                    policy=policy,
                    convicted=bool(mine),
                    incident_count=incident_count,
                    on=on,
                ),
            }
        )
    return {
        "perpetrators": rows,
        "actions": actions,
        "legal_costs": sum(a.legal_costs for a in actions),
        "other_costs": sum(a.other_costs for a in actions),
        "conviction_required": policy.tenancy_action_requires_conviction,
    }


def enforcement_actions_panel(*, case: Case, any_actions: bool = True) -> dict:
    """The case page's summary: actions taken with their costs (one query, none when the
    caller already knows there are none)."""
    actions = (
        list(EnforcementAction.objects.filter(case=case).select_related("perpetrator__person"))
        if any_actions
        else []
    )
    return {
        "actions": actions,
        "legal_costs": sum(a.legal_costs for a in actions),
        "other_costs": sum(a.other_costs for a in actions),
    }


def enforcement_action_get(*, case: Case, pk: int) -> EnforcementAction:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(EnforcementAction, case=case, pk=pk)
