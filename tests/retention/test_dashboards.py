"""Anonymising closed cases leaves every figure of the managers' dashboard as it was: two
years of generated case histories with case work (dashboards.generation), the overview's
every table compared before and after, with the monthly counts rebuilt after too."""

from datetime import date, timedelta

import pytest
import time_machine

from accounts.models import Role
from cases.models import Case
from dashboards import rollup, sections
from dashboards.filters import DashboardFilters
from dashboards.generation import Cast, cases_generate
from retention.models import RetentionKind
from retention.services.anonymise import REMOVED
from retention.services.schedule import retention_rule_set
from retention.sweep import retention_sweep
from tests.factories import AreaFactory, member

from .conftest import london

pytestmark = pytest.mark.django_db

NOW = london(2026, 6, 15, 12)


def _figures(organisation) -> list:
    filters = DashboardFilters(
        organisation=organisation,
        date_from=date(2024, 7, 1),
        date_to=NOW.date(),
        reporting_year=2025,
        now=NOW,
    )
    return [
        (table.slug, table.title, table.rows)
        for _section, tables in sections.dashboard_tables(filters=filters, page="overview")
        for table in tables
    ]


@time_machine.travel(NOW, tick=False)
def test_dashboard_figures_are_identical_before_and_after_closed_cases_are_anonymised(
    cast, django_capture_on_commit_callbacks
):
    areas = [AreaFactory(organisation=cast.organisation, name=n) for n in ("North", "South")]
    officers = [cast.officer, member(cast.organisation, Role.OFFICER, full_name="Omar Officer")]
    cases_generate(
        cast=Cast(cast.organisation, cast.staff, officers, cast.manager, areas),
        count=120,
        start=NOW - timedelta(days=700),
        end=NOW,
        seed=19,
        casework=True,
    )
    rollup.rollup_rebuild(organisation_id=cast.organisation.pk)
    before = _figures(cast.organisation)
    closed = Case.objects.filter(status="closed").count()
    assert closed > 10

    # Every closed case's time is up: keep them one day after closure.
    retention_rule_set(
        organisation=cast.organisation,
        kind=RetentionKind.CLOSED_CASE,
        amount=1,
        unit="days",
        reason="Test: everything closed goes",
        by=cast.admin,
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = retention_sweep(run_id="dashboards")
    anonymised = result.counts["closed_case_cases_anonymised"]
    assert anonymised >= closed - 5  # those closed in the last day wait
    assert Case.objects.filter(summary=REMOVED).count() == anonymised

    assert _figures(cast.organisation) == before
    rollup.rollup_rebuild(organisation_id=cast.organisation.pk)
    assert _figures(cast.organisation) == before
