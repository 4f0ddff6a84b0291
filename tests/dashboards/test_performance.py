"""Performance figures (C27, C26, W03) on hand-built data with known answers."""

from datetime import timedelta

import pytest

from accounts.models import Role
from cases.models.choices import RiskLevel
from dashboards.selectors import performance
from deadlines.models import DeadlineRule, DeadlineState
from tests.deadline_helpers import apply_preset
from tests.factories import member

from .builders import NOW, cells, filters_for, london, make_case, make_deadline

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _circle_anglia(cast):
    """The rules' titles and timescales are those of the Circle Anglia 2009 preset."""
    apply_preset(cast.organisation, "circle_anglia_2009")


def test_w23_c27_on_time_share_leaves_waived_deadlines_out_of_the_denominator(cast):
    case = make_case(cast.organisation, by=cast.staff, received_at=london(2026, 2, 1, 9))
    due = london(2026, 3, 1, 9)
    make_deadline(case, due_at=due, state=DeadlineState.MET, met_at=due - timedelta(hours=1))
    make_deadline(
        case, due_at=due, state=DeadlineState.MET, met_at=due, rule=DeadlineRule.C20_INTERVIEW
    )
    make_deadline(
        case,
        due_at=due,
        state=DeadlineState.MET,
        met_at=due + timedelta(minutes=1),
        rule=DeadlineRule.W13_WELFARE_CALL,
    )
    make_deadline(case, due_at=due, state=DeadlineState.OVERDUE, rule=DeadlineRule.C21_ACTION_PLAN)
    make_deadline(
        case,
        due_at=due,
        state=DeadlineState.WAIVED,
        waived_by=cast.manager,
        rule=DeadlineRule.C19_REPAIR,
    )
    # Due outside the period: not counted at all.
    make_deadline(
        case,
        due_at=london(2025, 12, 31, 23, 59),
        state=DeadlineState.MET,
        met_at=due,
        rule=DeadlineRule.C22_PLAN_REVIEW,
    )

    table = performance.deadline_performance(filters=filters_for(cast.organisation))

    rows = cells(table)
    # columns: policy, due (excl. waived), on time, late, overdue, pending, waived, on time %
    assert rows["Contact the complainant"][1:] == [1, 1, 0, 0, 0, 0, "100%"]
    assert rows["Interview the complainant"][1:] == [1, 1, 0, 0, 0, 0, "100%"]
    assert rows["Welfare call to the complainant"][1:] == [1, 0, 1, 0, 0, 0, "0%"]
    assert rows["Agree an action plan"][1:] == [1, 0, 0, 1, 0, 0, "0%"]
    # The waived repair: counted as waived, not in "due", no percentage to give.
    assert rows["Remove graffiti or make an emergency repair"][1:] == [0, 0, 0, 0, 0, 1, "–"]
    # The review due the day before the period starts is not counted in it.
    assert rows["Review the action plan"][1:] == [0, 0, 0, 0, 0, 0, "–"]
    assert "excluded from the denominator" in table.note


def test_c27_on_time_share_with_a_waived_deadline_among_the_same_rule(cast):
    case = make_case(cast.organisation, by=cast.staff, received_at=london(2026, 2, 1, 9))
    due = london(2026, 3, 1, 9)
    for _ in range(3):
        make_deadline(case, due_at=due, state=DeadlineState.MET, met_at=due - timedelta(hours=2))
    other = make_case(cast.organisation, by=cast.staff, received_at=london(2026, 2, 1, 9))
    make_deadline(other, due_at=due, state=DeadlineState.MET, met_at=due + timedelta(hours=2))
    third = make_case(cast.organisation, by=cast.staff, received_at=london(2026, 2, 1, 9))
    make_deadline(third, due_at=due, state=DeadlineState.WAIVED, waived_by=cast.manager)

    rows = cells(performance.deadline_performance(filters=filters_for(cast.organisation)))

    # 3 on time out of 4 counted (the waived one is left out): 75%, not 60%.
    assert rows["Contact the complainant"] == ["within 24 hours", 4, 3, 1, 0, 0, 1, "75%"]


def test_open_deadline_not_yet_due_is_still_open_not_late(cast):
    case = make_case(cast.organisation, by=cast.staff, received_at=london(2026, 6, 14, 9))
    make_deadline(case, due_at=london(2026, 6, 14, 23), state=DeadlineState.OPEN)
    filters = filters_for(cast.organisation, now=london(2026, 6, 14, 22))

    rows = cells(performance.deadline_performance(filters=filters))

    assert rows["Contact the complainant"][1:] == [1, 0, 0, 0, 1, 0, "0%"]


def test_overdue_now_counts_live_deadlines_past_due_whatever_the_period(cast):
    case = make_case(cast.organisation, by=cast.staff, received_at=london(2025, 1, 1, 9))
    make_deadline(case, due_at=london(2025, 1, 2, 9), state=DeadlineState.OVERDUE)
    make_deadline(
        case,
        due_at=NOW - timedelta(hours=1),
        state=DeadlineState.OPEN,
        rule=DeadlineRule.W13_WELFARE_CALL,
    )
    make_deadline(
        case,
        due_at=NOW + timedelta(hours=1),
        state=DeadlineState.OPEN,
        rule=DeadlineRule.C20_INTERVIEW,
    )
    make_deadline(
        case,
        due_at=london(2025, 1, 2, 9),
        state=DeadlineState.MET,
        met_at=london(2025, 1, 3, 9),
        rule=DeadlineRule.C21_ACTION_PLAN,
    )

    table = performance.deadlines_overdue_now(filters=filters_for(cast.organisation))

    assert table.title == "Overdue deadlines now: 2"
    assert {row[0]: row[1] for row in table.rows} == {
        "Contact the complainant": 1,
        "Welfare call to the complainant": 1,
    }


def test_c26_open_cases_by_risk_and_age_show_the_three_month_reviews_due(cast):
    org, by = cast.organisation, cast.staff
    make_case(org, by=by, received_at=NOW - timedelta(days=10), risk_level=RiskLevel.HIGH)
    make_case(org, by=by, received_at=NOW - timedelta(days=60), risk_level=RiskLevel.HIGH)
    make_case(org, by=by, received_at=NOW - timedelta(days=100), risk_level=RiskLevel.MEDIUM)
    make_case(org, by=by, received_at=NOW - timedelta(days=200), risk_level=RiskLevel.HIGH)
    make_case(org, by=by, received_at=NOW - timedelta(days=400), risk_level=RiskLevel.STANDARD)
    make_case(  # closed: not open, not counted
        org, by=by, received_at=NOW - timedelta(days=100), closed_at=NOW - timedelta(days=1)
    )

    rows = cells(performance.open_cases_by_risk_and_age(filters=filters_for(org)))

    # bands: <1m, 1-3m, 3-6m, 6-12m, 12m+, all open, 3 months or more
    assert rows["High"] == [1, 1, 0, 1, 0, 3, 1]
    assert rows["Medium"] == [0, 0, 1, 0, 0, 1, 1]
    assert rows["Standard"] == [0, 0, 0, 0, 1, 1, 1]


def test_c26_case_review_deadlines_overdue_and_due_soon(cast):
    org = cast.organisation
    case = make_case(org, by=cast.staff, received_at=NOW - timedelta(days=95))
    make_deadline(
        case,
        rule=DeadlineRule.C26_CASE_REVIEW,
        due_at=NOW - timedelta(days=3),
        state=DeadlineState.OVERDUE,
        started_at=NOW - timedelta(days=95),
    )
    soon = make_case(org, by=cast.staff, received_at=NOW - timedelta(days=85))
    make_deadline(
        soon,
        rule=DeadlineRule.C26_CASE_REVIEW,
        due_at=NOW + timedelta(days=5),
        started_at=NOW - timedelta(days=85),
    )

    rows = cells(performance.case_reviews_due(filters=filters_for(org)))

    assert rows == {"Overdue": [1], "Due in the next 14 days": [1], "Due later": [0]}


def test_caseload_per_officer_counts_open_cases_by_risk(cast):
    org = cast.organisation
    second = member(org, Role.OFFICER, full_name="Owen Officer")
    for level in (RiskLevel.HIGH, RiskLevel.HIGH, RiskLevel.MEDIUM):
        make_case(
            org,
            by=cast.staff,
            received_at=london(2026, 3, 1, 9),
            assigned_officer=cast.officer,
            risk_level=level,
        )
    make_case(
        org,
        by=cast.staff,
        received_at=london(2026, 3, 1, 9),
        assigned_officer=cast.officer,
        closed_at=london(2026, 4, 1, 9),
    )
    make_case(
        org,
        by=cast.staff,
        received_at=london(2025, 3, 1, 9),
        assigned_officer=second,
        risk_level=RiskLevel.STANDARD,
    )

    rows = cells(performance.caseload_per_officer(filters=filters_for(org)))

    # open, high, medium, standard, received in period, closed in period
    assert rows["Olivia Officer"] == [3, 2, 1, 0, 4, 1]
    assert rows["Owen Officer"] == [1, 0, 0, 1, 0, 0]


def test_w03_course_of_conduct_and_outcomes_of_the_period_cases(cast):
    org, by = cast.organisation, cast.staff
    make_case(org, by=by, received_at=london(2026, 2, 1, 9), course_of_conduct=True)
    make_case(org, by=by, received_at=london(2026, 2, 1, 9), closed_at=london(2026, 3, 1, 9))
    make_case(
        org,
        by=by,
        received_at=london(2026, 2, 1, 9),
        closed_at=london(2026, 6, 1, 9),
        category="hate_crime",
    )
    make_case(org, by=by, received_at=london(2025, 2, 1, 9), course_of_conduct=True)  # before

    rows = cells(performance.case_outcomes(filters=filters_for(org)))

    assert rows["Received"] == [3, "100%"]
    assert rows["Closed"] == [2, "67%"]
    assert rows["Closed within three months"] == [1, "33%"]
    assert rows["Still open"] == [1, "33%"]
    assert rows["Course of conduct: two or more incidents (W03)"] == [1, "33%"]
    assert rows["Hate crime or hate incident"] == [1, "33%"]


def test_filters_by_area_officer_and_category(cast, area):
    org, by = cast.organisation, cast.staff
    make_case(
        org, by=by, received_at=london(2026, 2, 1, 9), area=area, assigned_officer=cast.officer
    )
    make_case(org, by=by, received_at=london(2026, 2, 1, 9), category="hate_incident")
    make_case(cast.other_organisation, by=cast.outsider, received_at=london(2026, 2, 1, 9))

    def received(**kw):
        return cells(performance.case_outcomes(filters=filters_for(org, **kw)))["Received"][0]

    assert received() == 2
    assert received(area=area) == 1
    assert received(officer=cast.officer) == 1
    assert received(category="hate_incident") == 1
    assert received(category="hate_crime") == 0


def test_c27_group_side_by_side_counts_deadlines_of_the_period_and_overdue_now(cast):
    from dashboards.selectors.group import organisations_side_by_side
    from tests.factories import OrganisationFactory

    partner = OrganisationFactory(name="Partner Homes", code="PTN", group=cast.organisation)
    case = make_case(cast.organisation, by=cast.staff, received_at=london(2025, 11, 1, 9))
    in_period = london(2026, 3, 1, 9)
    make_deadline(case, due_at=in_period, state=DeadlineState.MET, met_at=in_period)
    make_deadline(
        case,
        due_at=in_period,
        state=DeadlineState.MET,
        met_at=in_period + timedelta(hours=2),
        rule=DeadlineRule.C20_INTERVIEW,
    )
    # Before the period: not in the on-time share, but still overdue now.
    make_deadline(case, due_at=london(2025, 12, 1, 9), rule=DeadlineRule.C21_ACTION_PLAN)
    make_deadline(
        case,
        due_at=london(2025, 12, 1, 9),
        state=DeadlineState.MET,
        met_at=london(2025, 12, 9, 9),
        rule=DeadlineRule.C19_OFFICER_CONTACT,
    )

    table = organisations_side_by_side(
        organisations=[cast.organisation, partner], filters=filters_for(cast.organisation)
    )

    rows = cells(table)
    # columns: received, hate, open, on time, overdue now, NM01, NM01 hate
    assert rows[cast.organisation.name][3:5] == ["50%", 1]
    assert rows["Partner Homes"][3:5] == ["–", 0]
