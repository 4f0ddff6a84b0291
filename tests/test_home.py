"""Each role's home page shows what is waiting for them, counted in the database."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deadlines.models import Deadline, DeadlineRule
from policy.calendar import LONDON
from tests.cases.factories import make_case
from tests.dashboards.builders import make_deadline

pytestmark = pytest.mark.django_db
NOW = timezone.datetime(2026, 11, 25, 12, 0, tzinfo=LONDON)


def officer_case(cast, **fields):
    case = make_case(cast.organisation, cast.staff, assigned_officer=cast.officer, **fields)
    Deadline.objects.filter(case=case).delete()  # only the deadlines each test sets
    return case


@time_machine.travel(NOW, tick=False)
def test_w08_officer_home_counts_overdue_today_and_this_week(client, cast):
    case = officer_case(cast)
    make_deadline(case, due_at=NOW - timedelta(minutes=1))  # overdue by a minute
    make_deadline(
        case, due_at=NOW + timedelta(hours=11, minutes=59), rule=DeadlineRule.C19_OFFICER_CONTACT
    )  # 23:59 today
    make_deadline(
        case, due_at=NOW + timedelta(hours=12), rule=DeadlineRule.C20_INTERVIEW
    )  # midnight: tomorrow
    other = make_case(cast.other_organisation, cast.outsider, assigned_officer=cast.outsider)
    Deadline.objects.filter(case=other).delete()
    make_deadline(other, due_at=NOW - timedelta(hours=1))  # another landlord's: not counted
    client.force_login(cast.officer)
    mine = client.get(reverse("home")).context["figures"]["mine"]
    assert (mine["overdue"], mine["due_today"], mine["due_this_week"]) == (1, 1, 1)
    assert mine["open_cases"] == 1


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("role", "panels"),
    [
        ("staff", {"triage"}),
        ("officer", {"mine", "triage"}),
        ("manager", {"team", "triage"}),
        ("panel", {"panel"}),
        ("admin", {"team", "triage"}),
    ],
)
def test_home_panels_follow_the_role(client, cast, role, panels):
    client.force_login(cast.by_role()[role])
    assert set(client.get(reverse("home")).context["figures"]) == panels


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("cases", [1, 30])
def test_officer_home_query_count_does_not_grow_with_cases(client, cast, cases):
    for _ in range(cases):
        make_deadline(officer_case(cast), due_at=NOW - timedelta(hours=1))
    client.force_login(cast.officer)
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("home"))
    # session, user, memberships; my deadline counts; my open cases; online reports waiting
    # (the session, written under a minute ago, is not written again).
    assert len(queries) == 6, "\n".join(q["sql"][:80] for q in queries)
