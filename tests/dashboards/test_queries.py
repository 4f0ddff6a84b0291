"""The dashboard's query count is fixed: the same for an empty organisation and a busy one,
because every figure is one aggregate query, never a query per case."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models.choices import PartyRole
from dashboards.rollup import rollup_rebuild
from enforcement.models import EnforcementAction
from letters.models import CaseClosure, Letter, LetterTemplate
from repairs.models import Repair
from support.models import ActionPlan, Agency, PlanAction, SafeguardingReferral, SupportReferral
from tests.deadline_helpers import apply_preset
from tests.factories import AreaFactory
from transfers.models import PanelDecision, PanelMeeting, TransferReferral

from .builders import add_party, london, make_case, make_deadline, make_incident

pytestmark = pytest.mark.django_db

PERIOD = {"date_from": "2026-01-01", "date_to": "2026-06-14"}

# 3   the session, the user, the user's memberships (request.access)
# 1   the organisations this manager may see (their own and any partners)
# 1   when the organisation's monthly counts were rebuilt (dashboards.rollup.split)
# 3   the policy in force: its version, its rules and their timescales (read once, for
#     the timescales' titles and words and the C26 reviews)
# 6   performance: deadlines by rule, overdue now, outcomes, open cases by age, C26
#     reviews, caseload per officer
# 4   monitoring: acts, grounds, channels, categories
# 5   hotspots: cases by area and the areas' names; the top places together with the
#     incidents and their cases by area (one query, which also gives the monitoring
#     section's incident totals); cases per area and month and the areas' names
# 1   NM01 (this year and last in one grouped query)
# 3   support: offers by agency and outcome and the agencies' names, safeguarding
#     referrals by kind
# 2   actions and remedies: enforcement actions by remedy, plan actions by kind and status
# 1   satisfaction after closure (one aggregate)
# 2   costs: enforcement legal and non-legal costs, repair and clean-up costs
# 3   transfers and letters: referrals by type and status, panel decisions, letters by kind
# 2   the filter form's area and officer choices
# (no session save: signing in wrote it under a minute ago)
DASHBOARD_QUERIES = 3 + 1 + 1 + 3 + 6 + 4 + 5 + 1 + 3 + 2 + 1 + 2 + 3 + 2
# Once the monthly counts are built, each of the ten tables read from them (deadlines by
# rule; acts; grounds; channels; categories; outcomes; cases by area; cases by area and
# month; support offers; plan actions) reads its whole months from the counts and its
# ragged days (here 1 to 14 June) from the facts.
ROLLUP_READS = 10
# The equality page: the same 3 + 1 for the request, 2 form choices, and
# the breakdowns: eight characteristics and age bands (on PostgreSQL one GROUPING SETS query
# for all nine, elsewhere one grouped query each), and the unnamed perpetrators.
BREAKDOWN_QUERIES = 1 if connection.vendor == "postgresql" else 9
EQUALITY_QUERIES = 3 + 1 + BREAKDOWN_QUERIES + 1 + 2


def _busy(cast, n: int):
    apply_preset(cast.organisation, "circle_anglia_2009")
    area = AreaFactory(organisation=cast.organisation)
    agency = Agency.objects.create(organisation=cast.organisation, name="MIND", kind="charity")
    template = LetterTemplate.objects.create(
        organisation=cast.organisation, kind="closure", version=1, subject="s", body="b"
    )
    meeting = PanelMeeting.objects.create(
        organisation=cast.organisation,
        meets_at=london(2026, 3, 4, 10),
        cutoff_at=london(2026, 3, 2, 10),
    )
    for i in range(n):
        case = make_case(
            cast.organisation,
            by=cast.staff,
            received_at=london(2026, 1 + i % 5, 3, 9),
            area=area,
            assigned_officer=cast.officer,
            location=f"Block {i % 3}",
        )
        make_incident(
            case,
            by=cast.officer,
            occurred_at=london(2026, 1 + i % 5, 2, 9),
            acts=["threats"],
            grounds=["race"],
        )
        make_deadline(case, due_at=london(2026, 1 + i % 5, 4, 9))
        complainant = add_party(case, PartyRole.COMPLAINANT, gender="woman")
        perpetrator = add_party(case, PartyRole.PERPETRATOR, gender="man")
        _casework(cast, case, complainant, perpetrator, agency, template, meeting, i)


def _casework(cast, case, complainant, perpetrator, agency, template, meeting, i):
    """One of everything the support, actions, satisfaction, costs and transfers sections
    count, on each case."""
    at, by = london(2026, 1 + i % 5, 5, 9), cast.officer
    SupportReferral.objects.create(
        case=case,
        party=complainant,
        agency=agency,
        status="offered",
        offered_at=at,
        recorded_by=by,
    )
    SafeguardingReferral.objects.create(
        case=case,
        party=complainant,
        kind="adult",
        local_authority="LA",
        referred_at=at,
        concern="x",
        made_by=by,
    )
    EnforcementAction.objects.create(
        case=case,
        perpetrator=perpetrator,
        remedy="abc",
        action_date=date(2026, 2, 1),
        legal_costs=Decimal("10.00"),
        recorded_by=by,
    )
    plan = ActionPlan.objects.create(case=case, created_by=by)
    PlanAction.objects.create(
        plan=plan, description="x", owner="Officer", due_date=date(2026, 7, 1), created_at=at
    )
    Repair.objects.create(
        case=case,
        kind="graffiti",
        description="x",
        reported_at=at,
        repair_cost=Decimal("5.00"),
        recorded_by=by,
    )
    CaseClosure.objects.create(
        case=case,
        reason="resolved",
        rationale="x",
        closed_by=by,
        closed_at=at,
        feedback_token=f"t{case.pk}",
        satisfaction=4,
    )
    referral = TransferReferral.objects.create(
        organisation=case.organisation,
        case=case,
        referral_type="managed_transfer",
        reason_details="x",
        urgency="urgent",
        bedrooms_needed=1,
        referred_by=by,
        referred_at=at,
    )
    PanelDecision.objects.create(
        referral=referral,
        meeting=meeting,
        outcome="approve",
        approve_votes=3,
        decline_votes=0,
        defer_votes=0,
        manager_votes=2,
        decided_at=at,
        recorded_by=by,
    )
    Letter.objects.create(
        case=case,
        recipient=complainant,
        recipient_role="complainant",
        kind="closure",
        template=template,
        reason="r",
        delivery="post",
        created_at=at,
    )


def _count(client, cast, page="dashboards:dashboard") -> int:
    client.force_login(cast.manager)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(page), PERIOD)
    assert response.status_code == 200
    return len(queries)


def test_dashboard_query_count_is_pinned_with_few_rows(client, cast):
    _busy(cast, 1)
    assert _count(client, cast) == DASHBOARD_QUERIES
    assert _count(client, cast, "dashboards:equality") == EQUALITY_QUERIES


def test_dashboard_query_count_is_the_same_with_many_rows(client, cast):
    _busy(cast, 30)
    assert _count(client, cast) == DASHBOARD_QUERIES
    assert _count(client, cast, "dashboards:equality") == EQUALITY_QUERIES


@time_machine.travel(london(2026, 6, 15, 12), tick=False)
@pytest.mark.parametrize("cases", [1, 30])
def test_dashboard_query_count_is_pinned_when_read_from_the_monthly_counts(client, cast, cases):
    _busy(cast, cases)
    rollup_rebuild(organisation_id=cast.organisation.pk)
    assert _count(client, cast) == DASHBOARD_QUERIES + ROLLUP_READS


def test_dashboard_served_again_within_five_minutes_runs_no_figure_queries(client, cast):
    _busy(cast, 3)
    assert _count(client, cast) == DASHBOARD_QUERIES
    # Only the request's own queries (3 + 1 organisations + 2 form choices).
    assert _count(client, cast) == 3 + 1 + 2
