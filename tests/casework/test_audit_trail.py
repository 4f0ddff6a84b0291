"""The case's audit trail shows the changes to every part of the case, whichever app keeps
it (deadlines, risk, support, plans, repairs, enforcement), with a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from support.services.referrals import agencies_ensure_defaults
from tests.casework.helpers import case_with_people
from tests.casework.test_case_page_panels import attach

pytestmark = pytest.mark.django_db


def _audit(client, cast, case):
    client.force_login(cast.manager)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("cases:audit", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_audit_trail_lists_changes_kept_by_every_app(client, cast):
    agencies_ensure_defaults(organisation=cast.organisation)
    case, victim = case_with_people(cast)
    attach(cast, case, victim, 1)

    body, _ = _audit(client, cast, case)

    for expected in (
        "Created: Deadline: ",
        "Changed: Deadline: ",  # met by the welfare call
        "Created: Assessment",
        "Created: Support referral",
        "Created: Safeguarding referral: ",
        "Created: Plan action: Safety measure",
        "Created: Action plan",
        "Created: Plan review: ",
        "Created: Repair",
        "Created: Enforcement action: Verbal warning",
    ):
        assert expected in body, expected
    # Who met the deadline by name, never a user id ("met by: (blank) → 2").
    import re

    assert re.search(r"→ \d+</div>", body) is None
    assert re.search(r"[Mm]et by: \(blank\) → [A-Z][a-z]+ [A-Z]", body), "met by a name"


def test_audit_trail_query_count_does_not_grow_with_the_records(client, cast):
    agencies_ensure_defaults(organisation=cast.organisation)
    one, _ = case_with_people(cast)
    attach(cast, one, _, 1)
    many, victim = case_with_people(cast)
    attach(cast, many, victim, 4)

    _, few_queries = _audit(client, cast, one)
    _, many_queries = _audit(client, cast, many)

    # session, user, memberships; the case; the CaseAccess insert; the history of the case,
    # its parties, incidents, contacts, notes, evidence and people (7); the 19 parts other
    # apps keep (cases.audit.OTHER_PARTS: one query each, the plan's and referral's children
    # through a subquery); the openings; the names of the records the changes refer to, one
    # query per kind (here the users who met deadlines). No session save: signing in wrote
    # it just before.
    assert few_queries == many_queries == 3 + 1 + 1 + 7 + 19 + 1 + 1
