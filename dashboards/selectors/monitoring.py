"""Monitoring (C27, W23): what happened, on what grounds, and how it was reported.

Incidents are counted by when they happened; cases by when the report was received. One
grouped query per section.
"""

from __future__ import annotations

from django.db.models import Count, F, Q

from cases.models import IncidentActEntry, IncidentGroundEntry
from cases.models.choices import HATE_CATEGORIES, Category, Channel, HateGround, IncidentAct

from .. import rollup
from ..filters import DashboardFilters
from ..tables import Table, chart_from_columns, percent
from .hotspots import incidents_by_area


def _entry_counts(filters: DashboardFilters, model, field: str, fact: str) -> dict[str, int]:
    """{act or ground: entries} on the period's incidents: the whole months from the monthly
    counts (dashboards.rollup), the other days from the incidents themselves."""
    period = rollup.split(filters)
    counts: dict[str, int] = {}
    if period.edges:
        counts = dict(
            model.objects.filter(
                filters.carried_q("incident__"), period.edges_q("incident__occurred_at")
            )
            .values_list(field)
            .annotate(n=Count("pk"))
            .order_by()
        )
    monthly = rollup.monthly_counts(filters, fact, period)
    return rollup.add_counts(counts, {key: n for (key, _detail), n in monthly.items()})


def _by_count(counts: dict[str, int]) -> list[tuple[str, int]]:
    """Most first, then by code (as the grouped query ordered them)."""
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def incidents_by_act(*, filters: DashboardFilters) -> Table:
    """Number and type of incidents: each act recorded in an incident in the period (an
    incident may be of several types, so the acts add up to more than the incidents)."""
    rows = [
        [IncidentAct(act).label, n]
        for act, n in _by_count(_entry_counts(filters, IncidentActEntry, "act", "act"))
    ]
    by_area = incidents_by_area(filters).values()
    incidents, cases = sum(n for n, _ in by_area), sum(c for _, c in by_area)
    return Table(
        slug="incident-types",
        title=f"Incidents in the period: {incidents} on {cases} cases",
        columns=["Type of incident", "Incidents"],
        rows=rows,
        note="An incident can be of more than one type.",
        chart=chart_from_columns("bar", rows, 0, {"Incidents": 1}, horizontal=True),
    )


def incidents_by_ground(*, filters: DashboardFilters) -> Table:
    """Hate and harassment grounds perceived in the period's incidents (W04, C06)."""
    rows = [
        [HateGround(ground).label, n]
        for ground, n in _by_count(_entry_counts(filters, IncidentGroundEntry, "ground", "ground"))
    ]
    return Table(
        slug="hate-grounds",
        title="Hate and harassment grounds",
        columns=["Ground", "Incidents"],
        rows=rows,
        note="Hostility perceived by the victim or anyone else (W04); one incident may have "
        "several grounds.",
        chart=chart_from_columns("bar", rows, 0, {"Incidents": 1}, horizontal=True),
    )


def cases_by_channel(*, filters: DashboardFilters) -> Table:
    """W07 / C13: how the period's reports reached the landlord."""
    period = rollup.split(filters)
    hate = Q(category__in=HATE_CATEGORIES)
    counts: dict[str, dict[str, int]] = {}
    if period.edges:
        for row in (
            filters.cases()
            .filter(period.edges_q("received_at"))
            .values("channel")
            .annotate(n=Count("pk"), hate=Count("pk", filter=hate))
            .order_by()
        ):
            counts[row["channel"]] = {"n": row["n"], "hate": row["hate"]}
    for (channel, is_hate), n in rollup.monthly_counts(filters, "case_channel", period).items():
        found = counts.setdefault(channel, {"n": 0, "hate": 0})
        found["n"] += n
        found["hate"] += n if is_hate == "1" else 0
    found = [
        {"channel": channel, **row}
        for channel, row in sorted(counts.items(), key=lambda item: (-item[1]["n"], item[0]))
    ]
    total = sum(row["n"] for row in found)
    rows = [
        [Channel(row["channel"]).label, row["n"], row["hate"], percent(row["n"], total)]
        for row in found
    ]
    return Table(
        slug="channels",
        title="How reports were made",
        columns=["Channel", "Cases", "Of which hate", "Share"],
        rows=rows,
        chart=chart_from_columns("doughnut", rows, 0, {"Cases": 1}),
    )


def cases_by_category(*, filters: DashboardFilters) -> Table:
    """Cases received by category, with the courses of conduct among them (W03)."""
    period = rollup.split(filters)
    counts: dict[str, list[int]] = {}
    if period.edges:
        for row in (
            filters.cases()
            .filter(period.edges_q("received_at"))
            .values("category")
            .annotate(
                n=Count("pk"),
                course_of_conduct=Count("pk", filter=Q(course_of_conduct=True)),
                recategorised=Count("pk", filter=~Q(original_category=F("category"))),
            )
            .order_by()
        ):
            counts[row["category"]] = [row["n"], row["course_of_conduct"], row["recategorised"]]
    for (category, marks), n in rollup.monthly_counts(filters, "case_category", period).items():
        found = counts.setdefault(category, [0, 0, 0])
        found[0] += n
        found[1] += n if marks[0] == "1" else 0
        found[2] += n if marks[1] == "1" else 0
    rows = [
        [Category(category).label, *found]
        for category, found in sorted(counts.items(), key=lambda item: (-item[1][0], item[0]))
    ]
    return Table(
        slug="categories",
        title="Cases by category",
        columns=["Category", "Cases", "Course of conduct (W03)", "Recategorised (C07)"],
        rows=rows,
        chart=chart_from_columns(
            "bar", rows, 0, {"Cases": 1, "Course of conduct (W03)": 2}, horizontal=False
        ),
    )
