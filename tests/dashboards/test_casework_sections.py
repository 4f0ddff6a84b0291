"""Support, actions and remedies, satisfaction, costs, transfers and letters on the
dashboard (W12, W15, W16, W17, W05, C12, C25, C26, C27), on hand-built data."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from cases.models.choices import PartyRole
from dashboards.selectors import actions, costs, satisfaction, support, transfers
from enforcement.models import EnforcementAction
from letters.models import CaseClosure, Letter, LetterTemplate
from repairs.models import Repair
from support.models import ActionPlan, Agency, PlanAction, SafeguardingReferral, SupportReferral
from tests.factories import AreaFactory
from transfers.models import PanelDecision, PanelMeeting, TransferReferral

from .builders import add_party, cells, filters_for, london, make_case

pytestmark = pytest.mark.django_db

IN_PERIOD = london(2026, 3, 10, 10)
BEFORE = london(2025, 12, 31, 23, 30)  # the period starts 1 January 2026, London time


def _offer(case, party, agency, status, *, by, at=IN_PERIOD, referred=False):
    return SupportReferral.objects.create(
        case=case,
        party=party,
        agency=agency,
        status=status,
        consent=referred,
        offered_at=at,
        referred_at=at + timedelta(days=1) if referred else None,
        recorded_by=by,
    )


def test_c27_support_referrals_by_agency_and_outcome(cast):
    org, by = cast.organisation, cast.officer
    vs = Agency.objects.create(organisation=org, name="Victim Support", kind="victim_support")
    mind = Agency.objects.create(organisation=org, name="MIND", kind="charity")
    case = make_case(org, by=by, received_at=london(2026, 2, 1, 9))
    victim = add_party(case, PartyRole.VICTIM)
    _offer(case, victim, vs, "offered", by=by)
    _offer(case, victim, vs, "declined", by=by)
    _offer(case, victim, vs, "accepted", by=by, referred=True)
    _offer(case, victim, mind, "referred", by=by, referred=True)
    _offer(case, victim, mind, "closed", by=by, referred=True)
    _offer(case, victim, mind, "offered", by=by, at=BEFORE)  # before the period

    table = support.support_by_agency_and_outcome(filters=filters_for(org))

    # columns: offers, now offered, declined, referred, accepted, closed, referrals made
    assert cells(table) == {
        "Victim Support": [3, 1, 1, 0, 1, 0, 1],
        "MIND": [2, 0, 0, 1, 0, 1, 2],
    }
    assert table.title == "Support offered: 5 offers, 3 referred to an agency"
    assert table.chart.labels == ["Victim Support", "MIND"]


def test_c27_support_follows_the_area_filter_and_the_organisation(cast, other_organisation):
    org, by = cast.organisation, cast.officer
    north = AreaFactory(organisation=org)
    agency = Agency.objects.create(organisation=org, name="Galop", kind="specialist")
    here = make_case(org, by=by, received_at=london(2026, 2, 1, 9), area=north)
    elsewhere = make_case(org, by=by, received_at=london(2026, 2, 1, 9))
    _offer(here, add_party(here), agency, "offered", by=by)
    _offer(elsewhere, add_party(elsewhere), agency, "offered", by=by)
    theirs = make_case(other_organisation, by=by, received_at=london(2026, 2, 1, 9))
    _offer(theirs, add_party(theirs), agency, "offered", by=by)

    assert cells(support.support_by_agency_and_outcome(filters=filters_for(org))) == {
        "Galop": [2, 2, 0, 0, 0, 0, 0]
    }
    assert cells(support.support_by_agency_and_outcome(filters=filters_for(org, area=north))) == {
        "Galop": [1, 1, 0, 0, 0, 0, 0]
    }


def test_w15_safeguarding_referrals_by_kind(cast):
    org, by = cast.organisation, cast.officer
    case = make_case(org, by=by, received_at=london(2026, 2, 1, 9))
    child = add_party(case, PartyRole.VICTIM)
    for kind, at in (("child", IN_PERIOD), ("child", IN_PERIOD), ("adult", IN_PERIOD)):
        SafeguardingReferral.objects.create(
            case=case,
            party=child,
            kind=kind,
            local_authority="Hertfordshire",
            referred_at=at,
            concern="x",
            made_by=by,
        )
    SafeguardingReferral.objects.create(
        case=case,
        party=child,
        kind="adult",
        local_authority="H",
        referred_at=BEFORE,
        concern="x",
        made_by=by,
    )

    table = support.safeguarding_referrals(filters=filters_for(org))

    assert table.rows == [["Child at risk", 2], ["Adult at risk", 1]]
    assert table.title == "Safeguarding referrals to the local authority: 3"


def _action(case, perpetrator, remedy, status, *, by, on=date(2026, 3, 2), legal=0, other=0):
    return EnforcementAction.objects.create(
        case=case,
        perpetrator=perpetrator,
        remedy=remedy,
        status=status,
        action_date=on,
        confirmation="Witness statement" if remedy == "written_warning" else "",
        legal_costs=Decimal(legal),
        other_costs=Decimal(other),
        recorded_by=by,
    )


def test_c27_actions_and_remedies_used_by_remedy_and_stage(cast):
    org, by = cast.organisation, cast.officer
    first = make_case(org, by=by, received_at=london(2026, 2, 1, 9))
    second = make_case(org, by=by, received_at=london(2026, 2, 2, 9))
    p1, p2 = add_party(first, PartyRole.PERPETRATOR), add_party(second, PartyRole.PERPETRATOR)
    _action(first, p1, "written_warning", "applied", by=by)
    _action(second, p2, "written_warning", "ended", by=by)
    _action(first, p1, "injunction", "granted", by=by)
    _action(first, p1, "civil_injunction", "refused", by=by)
    _action(second, p2, "abc", "withdrawn", by=by, on=date(2026, 6, 14))  # last day: counted
    _action(second, p2, "abc", "proposed", by=by, on=date(2025, 12, 31))  # before

    rows = cells(actions.remedies_used(filters=filters_for(org)))

    # columns: actions, cases, proposed, applied, granted, ended, refused or withdrawn
    assert rows == {
        "Written warning": [2, 2, 0, 1, 0, 1, 0],
        "Acceptable Behaviour Contract": [1, 1, 0, 0, 0, 0, 1],
        "Injunction (Housing Act 1996 s153)": [1, 1, 0, 0, 1, 0, 0],
        "Civil injunction (ASB, Crime and Policing Act 2014)": [1, 1, 0, 0, 0, 0, 1],
    }


def test_c12_c27_plan_actions_and_safety_measures_by_status(cast):
    org, by = cast.organisation, cast.officer
    case = make_case(org, by=by, received_at=london(2026, 2, 1, 9))
    plan = ActionPlan.objects.create(case=case, created_by=by)
    victim = add_party(case, PartyRole.VICTIM)
    for kind, status, at in (
        ("action", "open", IN_PERIOD),
        ("action", "done", IN_PERIOD),
        ("action", "done", IN_PERIOD),
        ("safety_measure", "open", IN_PERIOD),
        ("safety_measure", "cancelled", IN_PERIOD),
        ("action", "open", BEFORE),
    ):
        PlanAction.objects.create(
            plan=plan,
            kind=kind,
            description="x",
            owner="Officer",
            protects=victim if kind == "safety_measure" else None,
            due_date=date(2026, 4, 1),
            status=status,
            created_at=at,
        )

    table = actions.plan_actions_used(filters=filters_for(org))

    # columns: added, to do, done, no longer needed
    assert cells(table) == {"Action": [3, 1, 2, 0], "Safety measure (C12)": [2, 1, 0, 1]}


def _closure(case, *, by, at=IN_PERIOD, score=None, n=[0]):  # noqa: B006 - a counter
    n[0] += 1
    return CaseClosure.objects.create(
        case=case,
        reason="resolved",
        rationale="Stopped",
        closed_by=by,
        closed_at=at,
        feedback_token=f"token-{n[0]}",
        satisfaction=score,
        satisfaction_method="phone" if score else "",
    )


def test_c26_c27_satisfaction_shares_of_responses(cast):
    org, by = cast.organisation, cast.officer
    for score in (5, 5, 4, 2, None, None, None, None):
        _closure(make_case(org, by=by, received_at=london(2026, 1, 5, 9)), by=by, score=score)
    _closure(make_case(org, by=by, received_at=london(2025, 6, 1, 9)), by=by, at=BEFORE, score=1)

    table = satisfaction.satisfaction_with_case_handling(filters=filters_for(org))

    assert cells(table) == {
        "5: Very satisfied": [2, "50%"],
        "4: Satisfied": [1, "25%"],
        "3: Neither": [0, "0%"],
        "2: Dissatisfied": [1, "25%"],
        "1: Very dissatisfied": [0, "0%"],
    }
    assert table.title == (
        "Satisfaction with case handling: 75% satisfied (4 responses from 8 closures, "
        "50% responded)"
    )
    assert "Average score: 4.0." in table.note


def test_c27_satisfaction_with_no_responses_shows_dashes(cast):
    org, by = cast.organisation, cast.officer
    _closure(make_case(org, by=by, received_at=london(2026, 1, 5, 9)), by=by)

    table = satisfaction.satisfaction_with_case_handling(filters=filters_for(org))

    assert table.rows[0] == ["5: Very satisfied", 0, "–"]
    assert "0 responses from 1 closures" in table.title
    assert "Average score: –." in table.note


def _repair(case, *, by, at=IN_PERIOD, repair="0", cleanup="0", kind="graffiti"):
    return Repair.objects.create(
        case=case,
        kind=kind,
        description="x",
        reported_at=at,
        repair_cost=Decimal(repair),
        cleanup_cost=Decimal(cleanup),
        recorded_by=by,
    )


def test_w16_c27_costs_sum_correctly(cast, other_organisation):
    org, by = cast.organisation, cast.officer
    case = make_case(org, by=by, received_at=london(2026, 2, 1, 9))
    perp = add_party(case, PartyRole.PERPETRATOR)
    _action(case, perp, "injunction", "granted", by=by, legal="1250.50", other="80.25")
    _action(case, perp, "civil_injunction", "applied", by=by, legal="999.99")
    _action(case, perp, "abc", "granted", by=by, on=date(2025, 12, 31), legal="5000")  # before
    _repair(case, by=by, repair="300.10", cleanup="45.00")
    _repair(case, by=by, cleanup="19.95", kind="vandalism")
    _repair(case, by=by, at=BEFORE, repair="700")  # before the period
    theirs = make_case(other_organisation, by=by, received_at=london(2026, 2, 1, 9))
    _repair(theirs, by=by, repair="123")  # another organisation's

    table = costs.costs(filters=filters_for(org))

    assert cells(table) == {
        "External legal costs": [Decimal("2250.49"), 2],
        "Non-legal external costs": [Decimal("80.25"), 1],
        "Repair costs": [Decimal("300.10"), 1],
        "Clean-up costs": [Decimal("64.95"), 2],
        "Total": [Decimal("2695.79"), ""],
    }
    assert table.title == "Costs in the period: £2,695.79"
    # The chart draws the four costs as numbers (not the total, which would double them).
    assert table.chart.datasets[0]["data"] == [2250.49, 80.25, 300.10, 64.95]


def test_c27_costs_are_zero_not_blank_when_nothing_was_spent(cast):
    table = costs.costs(filters=filters_for(cast.organisation))
    assert [row[1] for row in table.rows] == [Decimal("0.00")] * 5


def _referral(case, *, by, kind="managed_transfer", status="awaiting_panel", at=IN_PERIOD):
    return TransferReferral.objects.create(
        organisation=case.organisation,
        case=case,
        referral_type=kind,
        reason_details="Unsafe",
        urgency="urgent",
        bedrooms_needed=2,
        status=status,
        referred_by=by,
        referred_at=at,
    )


def test_w17_c25_transfer_referrals_by_type_and_status(cast):
    org, by = cast.organisation, cast.officer
    cases = [make_case(org, by=by, received_at=london(2026, 2, 1, 9)) for _ in range(4)]
    _referral(cases[0], by=by)
    _referral(cases[1], by=by, status="approved")
    _referral(cases[2], by=by, kind="management_move", status="moved")
    _referral(cases[3], by=by, status="declined", at=BEFORE)  # before

    rows = cells(transfers.transfer_referrals(filters=filters_for(org)))

    assert rows["Awaiting the Housing Panel"] == [1, 0, 1]
    assert rows["Approved"] == [1, 0, 1]
    assert rows["Moved (closed)"] == [0, 1, 1]
    assert rows["Declined"] == [0, 0, 0]


def test_w05_panel_decisions_by_outcome(cast):
    org, by = cast.organisation, cast.manager
    meeting = PanelMeeting.objects.create(
        organisation=org, meets_at=IN_PERIOD, cutoff_at=IN_PERIOD - timedelta(days=2)
    )
    later = PanelMeeting.objects.create(
        organisation=org, meets_at=IN_PERIOD + timedelta(days=7), cutoff_at=IN_PERIOD
    )
    first = _referral(make_case(org, by=by, received_at=london(2026, 2, 1, 9)), by=by)
    second = _referral(make_case(org, by=by, received_at=london(2026, 2, 1, 9)), by=by)
    for referral, meet, outcome in (
        (first, meeting, "defer"),
        (first, later, "approve"),
        (second, meeting, "decline"),
    ):
        PanelDecision.objects.create(
            referral=referral,
            meeting=meet,
            outcome=outcome,
            approve_votes=3 if outcome == "approve" else 0,
            decline_votes=3 if outcome == "decline" else 0,
            defer_votes=3 if outcome == "defer" else 0,
            manager_votes=2,
            decided_at=meet.meets_at,
            recorded_by=by,
        )

    table = transfers.panel_decisions(filters=filters_for(org))

    assert table.rows == [["Approve", 1], ["Decline", 1], ["Defer", 1]]
    assert table.title == "Housing Panel decisions: 3 on 2 referrals"


def test_letters_issued_by_kind_and_status(cast):
    org, by = cast.organisation, cast.officer
    case = make_case(org, by=by, received_at=london(2026, 2, 1, 9))
    party = add_party(case)
    templates = {
        kind: LetterTemplate.objects.create(
            organisation=org, kind=kind, version=1, subject="s", body="b"
        )
        for kind in ("acknowledgement", "closure")
    }
    for kind, status, large, at in (
        ("acknowledgement", "sent", False, IN_PERIOD),
        ("acknowledgement", "queued", True, IN_PERIOD),
        ("closure", "failed", False, IN_PERIOD),
        ("closure", "queued", False, BEFORE),
    ):
        Letter.objects.create(
            case=case,
            recipient=party,
            recipient_role="complainant",
            kind=kind,
            template=templates[kind],
            reason="r",
            delivery="post",
            status=status,
            sent_at=at if status == "sent" else None,
            pdf="letters/x.pdf" if status == "sent" else "",
            large_print=large,
            created_at=at,
        )

    table = transfers.letters_by_kind(filters=filters_for(org))

    # columns: issued, sent or posted, waiting, failed, large print
    assert cells(table) == {
        "Acknowledgement of a report (W08 / C17)": [2, 1, 1, 0, 1],
        "Case closure (W21 / C26)": [1, 0, 0, 1, 0],
    }


def test_c27_every_monitoring_section_is_on_the_page_with_its_csv(client, cast):
    org, by = cast.organisation, cast.officer
    case = make_case(org, by=by, received_at=london(2026, 2, 1, 9))
    _repair(case, by=by, repair="300.10")
    client.force_login(cast.manager)
    period = {"date_from": "2026-01-01", "date_to": "2026-06-14"}

    page = client.get("/dashboards/", period).content.decode()
    export = client.get("/dashboards/export/costs.csv", period).content.decode("utf-8-sig")

    assert "not yet available" not in page
    for slug in (
        "support-referrals",
        "safeguarding-referrals",
        "remedies",
        "plan-actions",
        "satisfaction",
        "costs",
        "transfer-referrals",
        "panel-decisions",
        "letters",
    ):
        assert f'data-table="{slug}"' in page
        assert f"/dashboards/export/{slug}.csv?" in page
    assert "Repair costs,300.10,1" in export.replace("\r", "")
