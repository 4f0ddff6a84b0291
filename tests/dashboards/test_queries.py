"""The dashboard's query count is fixed: the same for an empty organisation and a busy one,
because every figure is one aggregate query, never a query per case."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models.choices import PartyRole
from tests.factories import AreaFactory

from .builders import add_party, london, make_case, make_deadline, make_incident

pytestmark = pytest.mark.django_db

PERIOD = {"date_from": "2026-01-01", "date_to": "2026-06-14"}

# 3   the session, the user, the user's memberships (request.access)
# 1   the organisations this manager may see (their own and any partners)
# 1   the organisation's policy settings
# 6   performance: deadlines by rule, overdue now, outcomes, open cases by age, C26
#     reviews, caseload per officer
# 5   monitoring: acts, incident totals, grounds, channels, categories
# 4   hotspots: cases by area, incidents by area, top places, cases per area and month
# 1   NM01 (this year and last in one grouped query)
# 2   the filter form's area and officer choices
# 3   saving the session (savepoint, update, release: sessions are saved every request)
DASHBOARD_QUERIES = 3 + 1 + 1 + 6 + 5 + 4 + 1 + 2 + 3
# The equality page: the same 3 + 1 for the request, 10 breakdowns (eight characteristics,
# age bands, unnamed perpetrators: one grouped query each), 2 form choices, 3 session save.
EQUALITY_QUERIES = 3 + 1 + 10 + 2 + 3


def _busy(cast, n: int):
    area = AreaFactory(organisation=cast.organisation)
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
        add_party(case, PartyRole.COMPLAINANT, gender="woman")
        add_party(case, PartyRole.PERPETRATOR, gender="man")


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


def test_dashboard_served_again_within_five_minutes_runs_no_figure_queries(client, cast):
    _busy(cast, 3)
    assert _count(client, cast) == DASHBOARD_QUERIES
    # Only the request's own queries (3 + 1 organisations + 2 form choices + 3 session).
    assert _count(client, cast) == 3 + 1 + 2 + 3
