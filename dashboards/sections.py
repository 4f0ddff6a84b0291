"""The dashboard's sections, in page order, each a list of selectors returning a ``Table``.

To add a section, write a selector ``def x(*, filters) -> Table`` in a module for its
subject under ``dashboards/selectors/`` and add it here: the page, its chart and its CSV
export follow from the table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

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


def dashboard_tables(
    *, filters: DashboardFilters, page: str = "overview"
) -> list[tuple[Section, list[Table]]]:
    return [
        (section, [selector(filters=filters) for _slug, selector in section.selectors])
        for section in SECTIONS
        if section.page == page
    ]


def table_for(*, slug: str, filters: DashboardFilters) -> Table | None:
    selector = SELECTORS.get(slug)
    return None if selector is None else selector(filters=filters)
