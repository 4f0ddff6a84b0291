"""What a case keeps from its incidents: the hate-ground flag (W04) that NM01 counts, and
the organisation every incident and deadline carries for the dashboards."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import Incident
from cases.services.records import incident_record
from dashboards.filters import reporting_year_of
from dashboards.selectors.nm01 import nm01_counts
from deadlines.models import Deadline
from tests.cases.factories import make_case

pytestmark = pytest.mark.django_db


def _incident(case, by, **kwargs):
    return incident_record(
        case=case,
        by=by,
        occurred_at=timezone.now() - timedelta(hours=1),
        description="Shouting in the stairwell",
        acts=["verbal_abuse"],
        **kwargs,
    )


def test_w04_an_incident_with_a_hate_ground_marks_its_harassment_case_as_involving_hate(cast):
    case = make_case(cast.organisation, cast.staff)
    _incident(case, cast.officer)
    case.refresh_from_db()
    assert not case.hate_ground_recorded

    _incident(case, cast.officer, grounds=["race"], perceived_by="victim")

    case.refresh_from_db()
    assert case.hate_ground_recorded
    # The change is kept in the case's history, with the reason.
    change = case.history.filter(hate_ground_recorded=True).earliest("history_date")
    assert change.history_change_reason == "Hostility on a protected ground recorded"


def test_nm01_counts_a_harassment_case_as_hate_once_an_incident_records_a_ground(cast):
    case = make_case(cast.organisation, cast.staff)
    year = reporting_year_of(timezone.localdate(case.received_at))

    def hate_counted():
        return nm01_counts(organisations=[cast.organisation], year=year)[cast.organisation.pk][
            "hate"
        ]

    _incident(case, cast.officer)
    assert hate_counted() == 0
    _incident(case, cast.officer, grounds=["religion"], perceived_by="other")
    assert hate_counted() == 1


def test_incidents_and_deadlines_carry_their_case_organisation(cast):
    case = make_case(cast.organisation, cast.staff)
    _incident(case, cast.officer)

    organisations = set(Incident.objects.filter(case=case).values_list("organisation", flat=True))
    organisations |= set(Deadline.objects.filter(case=case).values_list("organisation", flat=True))
    assert organisations == {cast.organisation.pk}
    assert Deadline.objects.filter(case=case).exists()  # opening the case started deadlines
