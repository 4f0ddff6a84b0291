"""The dashboards count an incident's acts from its rows: a correction moves the count."""

import pytest

from cases.services.records import incident_update
from dashboards.selectors import monitoring

from .builders import filters_for, london, make_case, make_incident

pytestmark = pytest.mark.django_db


def test_w23_c27_incident_types_count_the_corrected_act_and_not_the_old_one(cast):
    org, by = cast.organisation, cast.officer
    case = make_case(org, by=by, received_at=london(2026, 2, 1, 9))
    incident = make_incident(case, by=by, occurred_at=london(2026, 2, 1, 8), acts=["verbal_abuse"])
    make_incident(case, by=by, occurred_at=london(2026, 3, 1, 8), acts=["verbal_abuse"])
    before = monitoring.incidents_by_act(filters=filters_for(org))
    assert before.rows == [["Verbal abuse or insults", 2]]

    incident_update(
        incident=incident,
        by=by,
        reason="It was graffiti on the door",
        expected_version=incident.version,
        acts=["graffiti"],
    )

    after = monitoring.incidents_by_act(filters=filters_for(org))
    assert after.rows == [
        ["Graffiti or offensive written material", 1],
        ["Verbal abuse or insults", 1],
    ]
    assert after.title == "Incidents in the period: 2 on 1 cases"
