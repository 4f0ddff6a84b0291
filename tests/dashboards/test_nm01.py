"""NM01: cases opened per 1,000 homes in a reporting year, counted as the regulator does."""

import pytest

from dashboards.filters import reporting_year_of
from dashboards.selectors.nm01 import nm01_counts, nm01_return

from .builders import cells, filters_for, london, make_case, make_incident

pytestmark = pytest.mark.django_db


def test_nm01_reporting_year_runs_1_april_to_31_march():
    from datetime import date

    assert reporting_year_of(date(2026, 3, 31)) == 2025
    assert reporting_year_of(date(2026, 4, 1)) == 2026


def test_nm01_counts_each_case_in_the_year_its_report_arrived_across_31_march(cast):
    org, by = cast.organisation, cast.staff
    org.homes_owned = 2000
    org.save()
    # The clocks went forward on 29 March 2026: these are BST wall-clock times.
    make_case(org, by=by, received_at=london(2026, 3, 31, 23, 59, 59))  # 2025/26
    make_case(org, by=by, received_at=london(2026, 4, 1, 0, 0))  # 2026/27
    make_case(org, by=by, received_at=london(2025, 4, 1, 0, 0))  # 2025/26, first moment
    make_case(org, by=by, received_at=london(2025, 3, 31, 23, 59))  # 2024/25

    rows = cells(nm01_return(filters=filters_for(org, reporting_year=2025)))

    # homes, cases, per 1,000, hate, hate per 1,000, further reports not counted
    assert rows["1 April 2025 to 31 March 2026"] == [2000, 2, "1.00", 0, "0.00", 0]
    assert rows["1 April 2024 to 31 March 2025"] == [2000, 1, "0.50", 0, "0.00", 0]
    assert nm01_counts(organisations=[org], year=2026)[org.pk]["counted"] == 1


def test_nm01_a_further_report_while_the_previous_case_is_open_is_not_a_new_case(cast):
    org, by = cast.organisation, cast.staff
    still_open = make_case(org, by=by, received_at=london(2025, 5, 1, 9))
    make_case(org, by=by, received_at=london(2025, 6, 1, 9), previous_case=still_open)
    closed_later = make_case(
        org, by=by, received_at=london(2025, 5, 2, 9), closed_at=london(2025, 7, 1, 9)
    )
    # Received while its previous case was open (it closed only afterwards): not new.
    make_case(org, by=by, received_at=london(2025, 6, 2, 9), previous_case=closed_later)
    closed_before = make_case(
        org, by=by, received_at=london(2025, 5, 3, 9), closed_at=london(2025, 7, 1, 9)
    )
    # A report after the previous case closed is a new case and counts.
    make_case(org, by=by, received_at=london(2025, 8, 1, 9), previous_case=closed_before)

    counts = nm01_counts(organisations=[org], year=2025)[org.pk]

    assert counts["counted"] == 4
    assert counts["further"] == 2


def test_nm01_counts_cases_involving_hate_incidents_by_category_or_ground(cast):
    org, by = cast.organisation, cast.staff
    make_case(org, by=by, received_at=london(2025, 5, 1, 9), category="hate_incident")
    make_case(org, by=by, received_at=london(2025, 5, 1, 9), category="hate_crime")
    with_ground = make_case(org, by=by, received_at=london(2025, 5, 1, 9))
    make_incident(
        with_ground, by=by, occurred_at=london(2025, 5, 1, 8), grounds=["race", "religion"]
    )
    make_case(org, by=by, received_at=london(2025, 5, 1, 9))
    hate_open = make_case(org, by=by, received_at=london(2025, 4, 2, 9), category="hate_crime")
    make_case(  # a further hate report on an open case: neither counted nor hate-counted
        org,
        by=by,
        received_at=london(2025, 5, 2, 9),
        category="hate_crime",
        previous_case=hate_open,
    )

    rows = cells(nm01_return(filters=filters_for(org, reporting_year=2025)))

    assert rows["1 April 2025 to 31 March 2026"] == [1000, 5, "5.00", 4, "4.00", 1]


def test_nm01_ignores_the_dashboard_filters_and_other_organisations(cast, area):
    org, by = cast.organisation, cast.staff
    make_case(org, by=by, received_at=london(2025, 5, 1, 9))
    make_case(cast.other_organisation, by=cast.outsider, received_at=london(2025, 5, 1, 9))

    rows = cells(nm01_return(filters=filters_for(org, reporting_year=2025, area=area)))

    assert rows["1 April 2025 to 31 March 2026"][1] == 1


def test_nm01_without_homes_owned_gives_no_rate(cast):
    org = cast.organisation
    org.homes_owned = 0
    org.save()
    make_case(org, by=cast.staff, received_at=london(2025, 5, 1, 9))

    table = nm01_return(filters=filters_for(org, reporting_year=2025))

    assert cells(table)["1 April 2025 to 31 March 2026"][1:3] == [1, "–"]
    assert "Homes owned is not set" in table.note
