"""Which parts of a case have rows (``cases.views.browse._case_contents``): one statement,
compiled by the ORM once per process and run with each case's key."""

import pytest
from django.db import connection
from django.db.models import CharField, Value
from django.test.utils import CaptureQueriesContext

from cases.services.notes import note_add
from cases.views.browse import CASE_PARTS, _case_contents, _case_contents_sql
from tests.cases.factories import make_case

pytestmark = pytest.mark.django_db


def orm_contents(case) -> set[str]:
    """The same question asked through the ORM, compiled afresh."""
    probes = [
        model.objects.filter(case_id=case.pk).order_by().values_list(Value(part, CharField()))
        for part, model in CASE_PARTS.items()
    ]
    return {row[0] for row in probes[0].union(*probes[1:])}


def test_each_case_gets_its_own_parts_from_the_one_compiled_statement(cast):
    noted = make_case(cast.organisation, cast.staff, assigned_officer=cast.officer)
    note_add(case=noted, by=cast.officer, text="Called round.")
    plain = make_case(cast.organisation, cast.staff)
    _case_contents_sql.cache_clear()
    first = _case_contents(noted)
    assert "notes" in first and first == orm_contents(noted)
    # The second case reuses the statement compiled for the first, with its own key.
    second = _case_contents(plain)
    assert "notes" not in second and second == orm_contents(plain)
    assert _case_contents(noted) == first
    assert _case_contents_sql.cache_info().misses == 1


def test_the_contents_are_one_query(cast):
    case = make_case(cast.organisation, cast.staff)
    with CaptureQueriesContext(connection) as captured:
        _case_contents(case)
    assert len(captured) == 1
    assert f"= {case.pk}" in captured.captured_queries[0]["sql"]
