"""Reads for the support and action-plan panels and the agency directory."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from cases.models import Case, Contact, Incident
from cases.models.choices import ContactPurpose

from .models import (
    ActionPlan,
    Agency,
    PlanAction,
    PlanReview,
    SafeguardingReferral,
    SupportReferral,
)

WELFARE_CALLS_SHOWN = 5


def agencies_for(*, organisation, active_only: bool = False):
    agencies = Agency.objects.filter(organisation=organisation)
    return agencies.filter(active=True) if active_only else agencies


def agency_get(*, organisation, pk: int) -> Agency:
    return get_object_or_404(Agency, organisation=organisation, pk=pk)


def support_panel(
    *,
    case: Case,
    contacts: list | None = None,
    incidents: list | None = None,
    any_referrals: bool = True,
    any_safeguarding: bool = True,
) -> dict:
    """Support offered (W12), safeguarding referrals (W15), recent welfare calls (W13) and
    police involvement per incident (W14): four queries, or fewer when the case page hands
    over the case's contacts and incidents it has already loaded or knows there are no
    referrals of a kind."""
    if contacts is None:
        welfare_calls = list(
            Contact.objects.filter(case=case, purpose=ContactPurpose.WELFARE_CALL)
            .select_related("party__person", "recorded_by")
            .order_by("-occurred_at")[:WELFARE_CALLS_SHOWN]
        )
    else:
        welfare_calls = sorted(
            (c for c in contacts if c.purpose == ContactPurpose.WELFARE_CALL),
            key=lambda c: c.occurred_at,
            reverse=True,
        )[:WELFARE_CALLS_SHOWN]
    if incidents is None:
        police = list(
            Incident.objects.filter(case=case)
            .only(
                "pk",
                "occurred_at",
                "police_reported",
                "police_advice",
                "crime_reference",
                "police_officer",
                "case_id",
            )
            .order_by("-occurred_at")
        )
    else:
        police = sorted(incidents, key=lambda i: i.occurred_at, reverse=True)
    return {
        "referrals": list(
            SupportReferral.objects.filter(case=case).select_related("agency", "party__person")
        )
        if any_referrals
        else [],
        "safeguarding": list(
            SafeguardingReferral.objects.filter(case=case).select_related(
                "party__person", "made_by"
            )
        )
        if any_safeguarding
        else [],
        "welfare_calls": welfare_calls,
        "police": police,
    }


def plan_panel(*, case: Case, any_plan: bool = True) -> dict:
    """The action plan with its actions, reviews and versions: one query with no plan (none
    when the caller already knows there is none), four with one."""
    if not any_plan:
        return {"plan": None}
    plan = (
        ActionPlan.objects.filter(case=case)
        .prefetch_related(
            Prefetch("actions", queryset=PlanAction.objects.select_related("protects__person")),
            Prefetch("reviews", queryset=PlanReview.objects.select_related("reviewed_by")),
            "versions",
        )
        .first()
    )
    return {"plan": plan}


def referral_get(*, case: Case, pk: int) -> SupportReferral:
    return get_object_or_404(
        SupportReferral.objects.select_related("agency", "party__person"), case=case, pk=pk
    )


def plan_action_get(*, case: Case, pk: int) -> PlanAction:
    return get_object_or_404(
        PlanAction.objects.select_related("plan__case", "protects"), plan__case=case, pk=pk
    )
