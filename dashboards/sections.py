"""The dashboard's sections, in page order, each a list of selectors returning a ``Table``.

To add a section, write a selector ``def x(*, filters) -> Table`` in a module for its
subject under ``dashboards/selectors/`` and add it here: the page, its chart and its CSV
export follow from the table.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import connection, connections

from .filters import DashboardFilters
from .selectors import (
    actions,
    costs,
    equality,
    hotspots,
    monitoring,
    nm01,
    performance,
    satisfaction,
    support,
    transfers,
)
from .tables import Table

Selector = Callable[..., Table]


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    selectors: tuple[tuple[str, Selector], ...]
    # Which dashboard page shows it. Equality monitoring has its own page: it is read less
    # often, by fewer people, and its nine breakdowns would double the main page's time.
    page: str = "overview"


PAGES = {"overview": "Performance and monitoring", "equality": "Equality monitoring"}


SECTIONS: tuple[Section, ...] = (
    Section(
        "performance",
        "Performance",
        (
            ("deadline-performance", performance.deadline_performance),
            ("overdue-now", performance.deadlines_overdue_now),
            ("case-outcomes", performance.case_outcomes),
            ("open-cases-age", performance.open_cases_by_risk_and_age),
            ("case-reviews", performance.case_reviews_due),
            ("caseload", performance.caseload_per_officer),
        ),
    ),
    Section(
        "monitoring",
        "Monitoring",
        (
            ("incident-types", monitoring.incidents_by_act),
            ("hate-grounds", monitoring.incidents_by_ground),
            ("channels", monitoring.cases_by_channel),
            ("categories", monitoring.cases_by_category),
        ),
    ),
    Section(
        "support",
        "Support offered and referrals made",
        (
            ("support-referrals", support.support_by_agency_and_outcome),
            ("safeguarding-referrals", support.safeguarding_referrals),
        ),
    ),
    Section(
        "actions",
        "Actions and remedies used",
        (
            ("remedies", actions.remedies_used),
            ("plan-actions", actions.plan_actions_used),
        ),
    ),
    Section(
        "satisfaction",
        "Satisfaction with case handling",
        (("satisfaction", satisfaction.satisfaction_with_case_handling),),
    ),
    Section("costs", "Costs", (("costs", costs.costs),)),
    Section(
        "transfers",
        "Transfers and letters",
        (
            ("transfer-referrals", transfers.transfer_referrals),
            ("panel-decisions", transfers.panel_decisions),
            ("letters", transfers.letters_by_kind),
        ),
    ),
    Section(
        "hotspots",
        "Hotspots",
        (
            ("hotspot-areas", hotspots.hotspots_by_area),
            ("hotspot-places", hotspots.hotspot_places),
            ("hotspot-months", hotspots.hotspots_by_month),
        ),
    ),
    Section("nm01", "NM01 return", (("nm01", nm01.nm01_return),)),
    Section(
        "equality",
        "Equality of complainants, victims and perpetrators",
        (
            *[
                (
                    f"equality-{field.replace('_', '-')}",
                    partial(equality.equality_by, characteristic=field),
                )
                for field, _title, _choices in equality.CHARACTERISTICS
            ],
            ("equality-age", equality.equality_by_age),
            ("equality-unnamed-perpetrators", equality.unnamed_perpetrators),
        ),
        page="equality",
    ),
)

SELECTORS: dict[str, Selector] = {
    slug: selector for section in SECTIONS for slug, selector in section.selectors
}


# The order the sections are computed in when they run side by side. The slowest (each reads
# a year's incidents, deadlines or plan actions) start first, so no long one is left until
# the end while the other connection sits idle. Sections that read a figure another section
# computes (dashboards.filters.DashboardFilters.shared) go last, so they find it ready
# rather than wait for it while holding a connection.
SLOWEST = ("hotspot-places", "deadline-performance", "plan-actions", "caseload")
SHARING = ("hotspot-areas", "incident-types")


def _priority(slug: str) -> int:
    if slug in SLOWEST:
        return 0
    return 2 if slug in SHARING else 1


def dashboard_tables(
    *, filters: DashboardFilters, page: str = "overview"
) -> list[tuple[Section, list[Table]]]:
    sections = [section for section in SECTIONS if section.page == page]
    slugs = [slug for s in sections for slug, _selector in s.selectors]
    jobs = [partial(SELECTORS[slug], filters=filters) for slug in slugs]
    first = sorted(range(len(slugs)), key=lambda i: (_priority(slugs[i]), i))
    tables = iter(_run_all(jobs, threads=settings.HAVEN_DASHBOARD_THREADS, order=first))
    return [(section, [next(tables) for _ in section.selectors]) for section in sections]


def _run_all(
    jobs: list[Callable[[], Table]], *, threads: int, order: list[int] | None = None
) -> list[Table]:
    """Every job's table, in order. With ``threads`` above 1 the jobs share that many
    database connections (this thread's and ``threads - 1`` helpers'): the selectors only
    read, each is one or two aggregate queries, and PostgreSQL runs them side by side on
    separate cores. A helper closes its connection when the queue is empty, so no
    connection outlives the request. Tests run with 1: a test's data sits in a transaction
    that another connection cannot see."""
    results: list[Table | None] = [None] * len(jobs)
    errors: list[BaseException] = []
    pending: queue.SimpleQueue[int] = queue.SimpleQueue()
    for index in order if order is not None else range(len(jobs)):
        pending.put(index)

    session = _reporting_session if threads > 1 else nullcontext

    def work() -> None:
        with session():
            while not errors:
                try:
                    index = pending.get_nowait()
                except queue.Empty:
                    return
                try:
                    results[index] = jobs[index]()
                except BaseException as error:  # re-raised in the request's thread below
                    errors.append(error)

    def helper() -> None:
        try:
            work()
        finally:
            connections.close_all()

    helpers = [threading.Thread(target=helper) for _ in range(max(threads, 1) - 1)]
    for thread in helpers:
        thread.start()
    work()
    for thread in helpers:
        thread.join()
    if errors:
        raise errors[0]
    return results  # type: ignore[return-value]


# PostgreSQL settings for the dashboard's connections while it computes. The sections already
# run side by side (above), so PostgreSQL's own parallel workers would only compete with them
# for the same cores; and a little more sort memory keeps the hotspot grouping off disk.
REPORTING_SETTINGS = {"max_parallel_workers_per_gather": "0", "work_mem": "32MB"}


@contextmanager
def _reporting_session():
    if connection.vendor != "postgresql":
        yield
        return
    names, values = list(REPORTING_SETTINGS), list(REPORTING_SETTINGS.values())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config(name, value, false) "
            "FROM unnest(%s::text[], %s::text[]) AS s(name, value)",
            [names, values],
        )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config(name, reset_val, false) FROM pg_settings WHERE name = ANY(%s)",
                [names],
            )


def table_for(*, slug: str, filters: DashboardFilters) -> Table | None:
    selector = SELECTORS.get(slug)
    return None if selector is None else selector(filters=filters)
