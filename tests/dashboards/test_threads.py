"""The dashboard computes its sections on several database connections at once
(HAVEN_DASHBOARD_THREADS, 2 on PostgreSQL). The figures must be exactly those of a one-by-one
run, an error in any section must reach the request, and no helper or connection may
outlive it. Transactional: helper connections only see committed data."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection

from cases.models.choices import Category, PartyRole
from dashboards import sections
from deadlines.models import DeadlineRule, DeadlineState

from .builders import (
    add_party,
    filters_for,
    london,
    make_case,
    make_deadline,
    make_incident,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _data(cast):
    org, by = cast.organisation, cast.staff
    for day in range(1, 25):
        case = make_case(
            org,
            by=by,
            received_at=london(2026, 2, day, 10),
            category=Category.HATE_CRIME if day % 3 else Category.HARASSMENT,
            location=f"Block {day % 4}",
        )
        make_incident(
            case,
            by=by,
            occurred_at=london(2026, 2, day, 9),
            acts=["threats", "verbal_abuse"][: 1 + day % 2],
            grounds=["race"] if day % 3 else [],
        )
        due = london(2026, 3, day, 9)
        make_deadline(
            case,
            due_at=due,
            state=DeadlineState.MET,
            met_at=due + timedelta(hours=day % 5 - 2),
            rule=DeadlineRule.W13_WELFARE_CALL,
        )
        make_deadline(case, due_at=due)
        add_party(case, PartyRole.VICTIM, gender="woman" if day % 2 else "man")


def _figures(page: str, filters, threads: int, settings) -> list:
    settings.HAVEN_DASHBOARD_THREADS = threads
    return [
        (table.slug, table.title, table.rows)
        for _section, tables in sections.dashboard_tables(filters=filters, page=page)
        for table in tables
    ]


@pytest.mark.parametrize("page", ["overview", "equality"])
def test_sections_computed_side_by_side_equal_those_computed_one_by_one(cast, settings, page):
    _data(cast)
    filters = filters_for(cast.organisation)
    one_by_one = _figures(page, filters, 1, settings)
    side_by_side = _figures(page, filters_for(cast.organisation), 3, settings)
    assert side_by_side == one_by_one
    assert any(rows for _slug, _title, rows in one_by_one)  # the data set shows up


def test_a_failing_section_fails_the_request_and_leaves_no_helper_behind(
    cast, settings, monkeypatch
):
    def broken(*, filters):
        raise RuntimeError("section failed")

    monkeypatch.setitem(sections.SELECTORS, "channels", broken)
    settings.HAVEN_DASHBOARD_THREADS = 3
    threads_before = threading.active_count()
    with pytest.raises(RuntimeError, match="section failed"):
        sections.dashboard_tables(filters=filters_for(cast.organisation), page="overview")
    assert threading.active_count() == threads_before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL session settings")
def test_helper_connections_are_closed_and_the_request_connection_is_reset(cast, settings):
    def backends() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            )
            return cursor.fetchone()[0]

    def work_mem() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SHOW work_mem")
            return cursor.fetchone()[0]

    before, memory = backends(), work_mem()
    _figures("overview", filters_for(cast.organisation), 3, settings)
    # A closed connection's server process leaves pg_stat_activity a moment later.
    deadline = time.monotonic() + 5
    while backends() > before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert backends() <= before
    assert work_mem() == memory
