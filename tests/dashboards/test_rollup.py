"""The monthly counts (dashboards/rollup.py) give exactly the figures counted from the facts:
every section of the overview (the equality page reads no monthly counts), for any period,
with no filter, one area, officer or category, or two at once (then counted from the
facts). Generated case histories (dashboards.generation, the generator behind seed_demo
and seed_volume) over two years."""

from datetime import date, timedelta

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Role
from cases.models import Case
from cases.models.choices import Category
from dashboards import rollup, sections
from dashboards.filters import DashboardFilters
from dashboards.generation import Cast, cases_generate
from dashboards.models import MonthlyCount, Rollup
from deadlines.models import Deadline, DeadlineState
from policy.calendar import LONDON
from tests.factories import AreaFactory, member

from .builders import london, make_case, make_deadline

pytestmark = pytest.mark.django_db

NOW = london(2026, 6, 15, 12)
TODAY = NOW.date()


def _generated(cast):
    areas = [AreaFactory(organisation=cast.organisation, name=n) for n in ("North", "South")]
    officers = [cast.officer, member(cast.organisation, Role.OFFICER, full_name="Omar Officer")]
    cases_generate(
        cast=Cast(cast.organisation, cast.staff, officers, cast.manager, areas),
        count=160,
        start=NOW - timedelta(days=730),
        end=NOW,
        seed=15,
        casework=True,
    )
    return areas, officers


def _figures(filters: DashboardFilters) -> list:
    return [
        (table.slug, table.title, table.rows)
        for _section, tables in sections.dashboard_tables(filters=filters, page="overview")
        for table in tables
    ]


def _without_rollup(filters_kw: dict) -> list:
    saved = list(Rollup.objects.all())
    Rollup.objects.all().delete()
    try:
        return _figures(DashboardFilters(**filters_kw))
    finally:
        Rollup.objects.bulk_create(saved)


@time_machine.travel(NOW, tick=False)
def test_monthly_counts_give_the_figures_counted_from_the_facts(cast):
    areas, officers = _generated(cast)
    assert rollup.rollup_rebuild(organisation_id=cast.organisation.pk) > 0
    assert Rollup.objects.get(organisation=cast.organisation).covers_before == london(2026, 6, 1)
    read_from_rows = []

    @settings(
        max_examples=30,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        derandomize=True,
    )
    @given(
        date_from=st.dates(date(2024, 5, 1), TODAY),
        days=st.integers(0, 800),
        chosen=st.sampled_from(
            [
                {},
                *[{"area": area} for area in areas],
                *[{"officer": officer} for officer in officers],
                {"category": Category.HARASSMENT},
                {"category": Category.HATE_CRIME},
                {"area": areas[0], "officer": officers[0]},  # two at once: from the facts
            ]
        ),
    )
    def same_figures(date_from, days, chosen):
        date_to = min(date_from + timedelta(days=days), TODAY)
        kw = {
            "organisation": cast.organisation,
            "date_from": date_from,
            "date_to": date_to,
            "reporting_year": 2025,
            "now": NOW,
            **chosen,
        }
        with_rows = _figures(DashboardFilters(**kw))
        assert with_rows == _without_rollup(kw)
        read_from_rows.append(rollup.split(DashboardFilters(**kw)).months_from is not None)

    same_figures()
    # The check above compared something: most examples read whole months from the rows.
    assert sum(read_from_rows) > len(read_from_rows) // 2


@time_machine.travel(NOW, tick=False)
def test_whole_months_and_ragged_days_are_split_at_london_midnight(cast):
    Rollup.objects.create(
        organisation=cast.organisation, built_at=NOW, covers_before=london(2026, 6, 1)
    )

    def split(date_from, date_to, **kw):
        return rollup.split(
            DashboardFilters(
                organisation=cast.organisation,
                date_from=date_from,
                date_to=date_to,
                reporting_year=2025,
                now=NOW,
                **kw,
            )
        )

    period = split(date(2025, 6, 15), TODAY)
    assert (period.months_from, period.months_to) == (london(2025, 7, 1), london(2026, 6, 1))
    assert period.edges == (
        (london(2025, 6, 15), london(2025, 7, 1)),
        (london(2026, 6, 1), london(2026, 6, 16)),
    )
    # Whole months only: no ragged days. The clocks change inside March (UTC+0 to UTC+1).
    period = split(date(2026, 1, 1), date(2026, 3, 31))
    assert (period.months_from, period.months_to, period.edges) == (
        london(2026, 1, 1),
        london(2026, 4, 1),
        (),
    )
    assert london(2026, 4, 1).astimezone(LONDON).utcoffset() == timedelta(hours=1)
    # Less than a whole month, or two filters at once: all from the facts.
    assert split(date(2026, 2, 2), date(2026, 2, 27)).months_from is None
    area = AreaFactory(organisation=cast.organisation)
    assert split(date(2025, 1, 1), TODAY, area=area, category="hate_crime").months_from is None
    # Only the area's own rows.
    assert split(date(2025, 1, 1), TODAY, area=area).value == str(area.pk)


@time_machine.travel(NOW, tick=False)
def test_a_deadline_met_after_the_rebuild_counts_from_the_next_rebuild(cast):
    """Whole months are as fresh as the last rebuild (beat, before warming the cache)."""
    case = make_case(cast.organisation, by=cast.staff, received_at=london(2026, 2, 1, 9))
    deadline = make_deadline(case, due_at=london(2026, 3, 10, 9), state=DeadlineState.OVERDUE)
    rollup.rollup_rebuild(organisation_id=cast.organisation.pk)
    filters = {
        "organisation": cast.organisation,
        "date_from": date(2026, 3, 1),
        "date_to": date(2026, 3, 31),
        "reporting_year": 2025,
        "now": NOW,
    }

    def late_and_overdue():
        counts = sections.SELECTORS["deadline-performance"](filters=DashboardFilters(**filters))
        row = next(r for r in counts.rows if r[2])
        return row[4], row[5]

    assert late_and_overdue() == (0, 1)
    Deadline.objects.filter(pk=deadline.pk).update(
        state=DeadlineState.MET, met_at=london(2026, 6, 15, 11)
    )
    assert late_and_overdue() == (0, 1)
    rollup.rollup_rebuild(organisation_id=cast.organisation.pk)
    assert late_and_overdue() == (1, 0)


@time_machine.travel(NOW, tick=False)
def test_rebuild_replaces_the_organisations_rows_only(cast):
    case = make_case(cast.organisation, by=cast.staff, received_at=london(2026, 2, 1, 9))
    make_deadline(case, due_at=london(2026, 3, 10, 9))
    other = make_case(cast.other_organisation, by=cast.outsider, received_at=london(2026, 2, 1))
    make_deadline(other, due_at=london(2026, 3, 10, 9))
    rollup.rollup_rebuild(organisation_id=cast.other_organisation.pk)
    theirs = MonthlyCount.objects.filter(organisation=cast.other_organisation).count()
    first = rollup.rollup_rebuild(organisation_id=cast.organisation.pk)
    again = rollup.rollup_rebuild(organisation_id=cast.organisation.pk)
    assert first == again == MonthlyCount.objects.filter(organisation=cast.organisation).count()
    assert MonthlyCount.objects.filter(organisation=cast.other_organisation).count() == theirs
    assert Case.objects.count() == 2
