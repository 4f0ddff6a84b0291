"""Case work on generated cases, for the demo dashboards: support offers and referrals
(W12), safeguarding referrals (W15), action plans with safety measures (C12), action
against perpetrators with its costs (C25), repairs with their costs (W16) and closures
with the satisfaction recorded afterwards (C26). Written with ``bulk_create`` like the
rest of ``generation.py``, in the shapes the services write; no history rows."""

from __future__ import annotations

import secrets
from datetime import timedelta
from decimal import Decimal

from cases.models import Case
from enforcement.models import EnforcementAction
from letters.models import CaseClosure
from repairs.models import Repair
from support.models import (
    ActionPlan,
    Agency,
    AgencyKind,
    PlanAction,
    SafeguardingReferral,
    SupportReferral,
)

BATCH = 5000

SUPPORT_OUTCOMES = (
    ("offered", 15),
    ("declined", 25),
    ("referred", 20),
    ("accepted", 25),
    ("closed", 15),
)
REMEDIES = (
    ("verbal_warning", 30, (0, 0)),
    ("written_warning", 25, (0, 40)),
    ("harassment_warning", 10, (0, 0)),
    ("abc", 12, (0, 60)),
    ("injunction", 6, (1500, 6000)),
    ("civil_injunction", 8, (1200, 5000)),
    ("possession_ground_14", 4, (2500, 9000)),
    ("management_move", 5, (0, 900)),
)
STATUSES = (("proposed", 10), ("applied", 25), ("granted", 40), ("refused", 8), ("withdrawn", 7))
PLAN_ACTIONS = (
    ("action", "Visit the complainant and agree the plan"),
    ("action", "Interview the alleged perpetrator"),
    ("action", "Ask the police for incident logs"),
    ("safety_measure", "Fit a door viewer and extra locks"),
    ("safety_measure", "Install a video doorbell"),
    ("action", "Letter to all residents of the block"),
)
SATISFACTION = ((5, 30), (4, 32), (3, 15), (2, 12), (1, 11))


def _pick(rng, pairs):
    values, weights = zip(*[(p[0], p[1]) for p in pairs], strict=True)
    return rng.choices(values, weights=weights)[0]


def _money(rng, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low * 100, high * 100)) / 100 if high else Decimal("0.00")


def _when(rng, case: Case, now, *, within_days: int):
    """A moment after the report and before the case closed (or now)."""
    limit = case.closed_at or now
    at = case.received_at + timedelta(hours=rng.randint(2, 24 * within_days))
    return max(case.received_at, min(at, limit - timedelta(minutes=5)))


def casework_generate(rng, *, organisation, cases, complainants, perpetrators, now):
    """``complainants[i]`` and ``perpetrators[i]`` (``None`` when not named) are the
    ``CaseParty`` rows of ``cases[i]``."""
    # Support is offered through the directory's agencies; the local authority's services
    # take safeguarding referrals (W15), counted separately.
    agencies = list(
        Agency.objects.filter(organisation=organisation, active=True).exclude(
            kind=AgencyKind.LOCAL_AUTHORITY
        )
    )
    offers, safeguarding, plans, plan_cases, repairs, actions, closures = [], [], [], [], [], [], []
    for case, complainant, perpetrator in zip(cases, complainants, perpetrators, strict=True):
        officer = case.assigned_officer
        if agencies and rng.random() < 0.5:
            for agency in rng.sample(agencies, rng.choice((1, 1, 2))):
                status = _pick(rng, SUPPORT_OUTCOMES)
                offered_at = _when(rng, case, now, within_days=10)
                referred = status in ("referred", "accepted", "closed")
                offers.append(
                    SupportReferral(
                        case=case,
                        party=complainant,
                        agency=agency,
                        status=status,
                        consent=referred,
                        offered_at=offered_at,
                        referred_at=offered_at + timedelta(hours=4) if referred else None,
                        recorded_by=officer,
                        updated_at=offered_at,
                    )
                )
        if rng.random() < 0.05:
            safeguarding.append(
                SafeguardingReferral(
                    case=case,
                    party=complainant,
                    kind=rng.choice(("child", "adult")),
                    local_authority="Hertfordshire County Council",
                    referred_at=_when(rng, case, now, within_days=1),
                    concern="A vulnerable member of the household is affected by the incidents.",
                    made_by=officer,
                    created_at=case.received_at,
                )
            )
        if rng.random() < 0.6:
            plans.append(ActionPlan(case=case, version=1, created_by=officer))
            plan_cases.append(case)
        if rng.random() < 0.15:
            repair_cost = _money(rng, 40, 900)
            reported_at = _when(rng, case, now, within_days=5)
            done = rng.random() < 0.8 and reported_at + timedelta(days=3) < now
            repairs.append(
                Repair(
                    case=case,
                    kind=rng.choice(("vandalism", "graffiti", "graffiti", "arson", "other")),
                    description="Damage to the communal entrance door and lighting.",
                    reported_at=reported_at,
                    status="done" if done else "reported",
                    completed_at=reported_at + timedelta(days=rng.randint(1, 3)) if done else None,
                    repair_cost=repair_cost,
                    cleanup_cost=_money(rng, 20, 250),
                    recorded_by=officer,
                    created_at=reported_at,
                )
            )
        if perpetrator is not None and rng.random() < 0.25:
            remedy = _pick(rng, REMEDIES)
            low, high = next(costs for r, _w, costs in REMEDIES if r == remedy)
            at = _when(rng, case, now, within_days=60)
            actions.append(
                EnforcementAction(
                    case=case,
                    perpetrator=perpetrator,
                    remedy=remedy,
                    status=_pick(rng, STATUSES),
                    action_date=at.date(),
                    confirmation="A witness statement and the police log."
                    if remedy == "written_warning"
                    else "",
                    legal_costs=_money(rng, low, high) if low else Decimal("0.00"),
                    other_costs=_money(rng, 0, 300) if rng.random() < 0.3 else Decimal("0.00"),
                    recorded_by=officer,
                    created_at=at,
                )
            )
        if case.closed_at is not None:
            score = _pick(rng, SATISFACTION) if rng.random() < 0.55 else None
            closures.append(
                CaseClosure(
                    case=case,
                    reason=rng.choice(("resolved", "action_complete", "no_contact", "moved")),
                    rationale="No further incidents since the warning; the resident is content.",
                    discussed_with_complainant=True,
                    discussed_on=case.closed_at.date(),
                    closed_by=officer,
                    closed_at=case.closed_at,
                    feedback_token=secrets.token_urlsafe(32),
                    satisfaction=score,
                    satisfaction_method=rng.choice(("phone", "link")) if score else "",
                    satisfaction_recorded_at=case.closed_at + timedelta(days=7) if score else None,
                    satisfaction_recorded_by=officer if score else None,
                )
            )
    SupportReferral.objects.bulk_create(offers, batch_size=BATCH)
    SafeguardingReferral.objects.bulk_create(safeguarding, batch_size=BATCH)
    Repair.objects.bulk_create(repairs, batch_size=BATCH)
    EnforcementAction.objects.bulk_create(actions, batch_size=BATCH)
    CaseClosure.objects.bulk_create(closures, batch_size=BATCH)
    ActionPlan.objects.bulk_create(plans, batch_size=BATCH)
    steps = []
    for plan, case in zip(plans, plan_cases, strict=True):
        for kind, description in rng.sample(PLAN_ACTIONS, rng.randint(1, 3)):
            created = _when(rng, case, now, within_days=14)
            steps.append(
                PlanAction(
                    plan=plan,
                    kind=kind,
                    description=description,
                    owner=case.assigned_officer.full_name or "Case officer",
                    due_date=(created + timedelta(days=14)).date(),
                    status=rng.choice(("open", "done", "done", "cancelled"))
                    if case.closed_at is None
                    else rng.choice(("done", "done", "cancelled")),
                    created_at=created,
                )
            )
    PlanAction.objects.bulk_create(steps, batch_size=BATCH)
