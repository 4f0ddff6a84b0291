"""Monitoring, equality and hotspot figures (C27, W23) on hand-built data."""

import pytest
from django.db import connection

from cases.models.choices import PartyRole
from dashboards.selectors import equality, hotspots, monitoring
from dashboards.suppression import SUPPRESSED, suppress

from .builders import add_party, cells, filters_for, london, make_case, make_incident

pytestmark = pytest.mark.django_db


def test_w23_c27_number_and_type_of_incidents_counts_acts_in_the_period(cast):
    org, by = cast.organisation, cast.officer
    case = make_case(org, by=by, received_at=london(2026, 2, 1, 9))
    make_incident(case, by=by, occurred_at=london(2026, 2, 1, 8), acts=["verbal_abuse", "threats"])
    make_incident(case, by=by, occurred_at=london(2026, 3, 1, 8), acts=["verbal_abuse"])
    make_incident(case, by=by, occurred_at=london(2025, 12, 31, 23), acts=["assault"])  # before

    table = monitoring.incidents_by_act(filters=filters_for(org))

    assert table.title == "Incidents in the period: 2 on 1 cases"
    assert table.rows == [["Verbal abuse or insults", 2], ["Threats of violence", 1]]


def test_w23_c27_hate_grounds_and_reporting_channels(cast):
    org, by = cast.organisation, cast.officer
    hate = make_case(
        org, by=by, received_at=london(2026, 2, 1, 9), category="hate_crime", channel="website"
    )
    make_incident(hate, by=by, occurred_at=london(2026, 2, 1, 8), grounds=["race", "religion"])
    other = make_case(org, by=by, received_at=london(2026, 2, 2, 9), channel="phone")
    make_incident(other, by=by, occurred_at=london(2026, 2, 2, 8), grounds=["race"])
    make_case(org, by=by, received_at=london(2026, 2, 3, 9), channel="phone")

    grounds = monitoring.incidents_by_ground(filters=filters_for(org))
    channels = monitoring.cases_by_channel(filters=filters_for(org))

    assert grounds.rows == [["Race or ethnicity", 2], ["Religion or belief", 1]]
    assert channels.rows == [["Telephone", 2, 0, "67%"], ["Website", 1, 1, "33%"]]


def test_w03_course_of_conduct_counted_by_category(cast):
    org, by = cast.organisation, cast.officer
    make_case(org, by=by, received_at=london(2026, 2, 1, 9), course_of_conduct=True)
    make_case(org, by=by, received_at=london(2026, 2, 1, 9))
    make_case(
        org,
        by=by,
        received_at=london(2026, 2, 1, 9),
        category="hate_incident",
        original_category="harassment",
    )

    rows = cells(monitoring.cases_by_category(filters=filters_for(org)))

    assert rows == {"Harassment": [2, 1, 0], "Hate incident": [1, 0, 1]}


def test_suppress_hides_every_count_below_five():
    assert [suppress(n) for n in (0, 1, 4, 5, 12)] == [SUPPRESSED] * 3 + [5, 12]


def test_w23_c27_equality_data_suppresses_small_numbers(cast):
    org, by = cast.organisation, cast.officer
    for i in range(5):
        case = make_case(org, by=by, received_at=london(2026, 2, 1, 9))
        add_party(case, PartyRole.COMPLAINANT, gender="woman", ethnicity="white_british")
        if i < 3:
            add_party(case, PartyRole.PERPETRATOR, gender="man")
    # The same person as complainant on two cases is one complainant.
    twice = add_party(make_case(org, by=by, received_at=london(2026, 2, 1, 9)), gender="man")
    second = make_case(org, by=by, received_at=london(2026, 3, 1, 9))
    second.parties.create(person=twice.person, role=PartyRole.COMPLAINANT)
    # Outside the period: not counted.
    add_party(make_case(org, by=by, received_at=london(2025, 2, 1, 9)), gender="woman")

    gender = cells(equality.equality_by(filters=filters_for(org), characteristic="gender"))

    # columns: complainants, victims, perpetrators
    assert gender["Woman"] == [5, SUPPRESSED, SUPPRESSED]
    assert gender["Man"] == [SUPPRESSED, SUPPRESSED, SUPPRESSED]  # 1 and 3: both hidden
    assert gender["Not asked"] == [SUPPRESSED, SUPPRESSED, SUPPRESSED]
    assert (
        "fewer than 5"
        in equality.equality_by(filters=filters_for(org), characteristic="gender").note
    )


def test_c27_equality_age_bands_from_date_of_birth(cast):
    from datetime import date

    org, by = cast.organisation, cast.officer
    for _ in range(5):
        # 17 on 14 June 2026 (the period's last day): under 18.
        add_party(
            make_case(org, by=by, received_at=london(2026, 2, 1, 9)),
            date_of_birth=date(2008, 6, 15),
        )
    for _ in range(6):
        # 18 that very day.
        add_party(
            make_case(org, by=by, received_at=london(2026, 2, 1, 9)),
            date_of_birth=date(2008, 6, 14),
        )

    rows = cells(equality.equality_by_age(filters=filters_for(org)))

    assert rows["Under 18"][0] == 5
    assert rows["18 to 24"][0] == 6
    assert rows["Not recorded"][0] == SUPPRESSED


def test_c27_hotspots_put_the_busiest_places_and_areas_first(cast, area):
    from tests.factories import AreaFactory

    org, by = cast.organisation, cast.officer
    north = AreaFactory(organisation=org, name="North")
    quiet = make_case(org, by=by, received_at=london(2026, 2, 1, 9), area=area, location="Park")
    make_incident(quiet, by=by, occurred_at=london(2026, 2, 1, 8))
    busy = make_case(
        org, by=by, received_at=london(2026, 2, 1, 9), area=north, location="Brook Court"
    )
    make_incident(busy, by=by, occurred_at=london(2026, 2, 1, 8), location="  brook court ")
    make_incident(busy, by=by, occurred_at=london(2026, 2, 8, 8))  # at the case's place
    busy2 = make_case(org, by=by, received_at=london(2026, 3, 1, 9), area=north)
    make_incident(busy2, by=by, occurred_at=london(2026, 3, 1, 8), location="Brook Court")

    places = hotspots.hotspot_places(filters=filters_for(org))
    areas = hotspots.hotspots_by_area(filters=filters_for(org))
    months = cells(hotspots.hotspots_by_month(filters=filters_for(org)))

    assert places.rows[0] == ["Brook Court", "North", 3, 2]
    assert places.rows[1] == ["Park", "Central", 1, 1]
    assert areas.rows == [["North", 2, 3], ["Central", 1, 1]]
    assert months["Feb 2026"] == [1, 1, 2]  # North, Central, all
    assert months["Mar 2026"] == [1, 0, 1]
    assert months["Jan 2026"] == [0, 0, 0]  # a quiet month still shows


@pytest.mark.skipif(connection.vendor != "postgresql", reason="GROUPING SETS is PostgreSQL's")
def test_c27_equality_counted_in_one_pass_equal_the_breakdowns_counted_one_by_one(cast):
    from datetime import date

    org, by = cast.organisation, cast.officer
    people = []
    for i in range(12):
        case = make_case(org, by=by, received_at=london(2026, 2, 1 + i, 9))
        people.append(
            add_party(
                case,
                [PartyRole.COMPLAINANT, PartyRole.VICTIM, PartyRole.PERPETRATOR][i % 3],
                gender=["woman", "man", ""][i % 3],
                religion=["none", "christian", "muslim", ""][i % 4],
                date_of_birth=None if i % 5 == 0 else date(1950 + 5 * i, 3, 1),
            )
        )
    # One person in two roles, and twice in the same role on another case.
    later = make_case(org, by=by, received_at=london(2026, 3, 1, 9))
    later.parties.create(person=people[0].person, role=PartyRole.VICTIM)
    later.parties.create(person=people[1].person, role=PartyRole.COMPLAINANT)
    filters = filters_for(org)

    one_pass = equality._counts_in_one_pass(filters)

    assert one_pass == {
        field: equality._counts_of(filters, field) for field in (*equality.FIELDS, equality.AGE)
    }
    assert one_pass["gender"][(PartyRole.COMPLAINANT.value, "woman")] == 4
