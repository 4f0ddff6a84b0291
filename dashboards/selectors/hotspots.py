"""Hotspots (C27 "identify hotspots"): where cases and incidents cluster, and when.

Places are compared case-insensitively with surrounding spaces ignored; an incident with no
place of its own is counted at its case's place.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import CharField, Count, F, Value
from django.db.models.functions import Coalesce, Lower, NullIf, Trim, TruncMonth

from accounts.models import Area
from cases.models import Incident
from policy.calendar import LONDON

from .. import rollup
from ..filters import DashboardFilters
from ..tables import Chart, Table, chart_from_columns, series

TOP_PLACES = 10
AREAS_CHARTED = 6


def _months(filters: DashboardFilters) -> list:
    """Every month in the period, so a quiet month shows as zero rather than vanishing."""
    months, year, month = [], filters.date_from.year, filters.date_from.month
    while (year, month) <= (filters.date_to.year, filters.date_to.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _month_key(value) -> tuple[int, int]:
    local = value.astimezone(LONDON) if hasattr(value, "astimezone") else value
    return (local.year, local.month)


def _month_label(key: tuple[int, int]) -> str:
    from datetime import date

    return date(key[0], key[1], 1).strftime("%b %Y")


def _incidents_joined_to_cases(filters: DashboardFilters):
    """Incidents in the period, for the figures that need their case's area or place. The
    organisation is given on both sides of the join so PostgreSQL reads only that
    organisation's cases to build it."""
    return Incident.objects.filter(
        filters.carried_q(),
        case__organisation=filters.organisation,
        occurred_at__gte=filters.start,
        occurred_at__lt=filters.end,
    )


def incidents_by_area(filters: DashboardFilters) -> dict[str | None, tuple[int, int]]:
    """{area name: (incidents that happened in the period, cases they were on)}. Shared with
    the monitoring section's totals (a case is in one area, so the cases add up)."""
    return _places_and_areas(filters)[1]


def _places_and_areas(filters: DashboardFilters) -> tuple[list[tuple], dict]:
    """The top places as (place, area name, incidents, cases), and the incidents and their
    cases by area: one query per dashboard, shared by the sections that show them.

    The period's incidents are first counted per place, area and case (a hash aggregate);
    from those rows the top places sum the incidents and count the cases, and the areas do
    the same. A COUNT(DISTINCT) straight over the incidents would sort every one of them."""

    def compute():
        place = Coalesce(
            NullIf(Lower(Trim("location")), Value("")),
            NullIf(Lower(Trim("case__location")), Value("")),
            output_field=CharField(),
        )
        per_case = (
            _incidents_joined_to_cases(filters)
            .annotate(place=place, place_area=F("case__area"))
            .values("place", "place_area", "case_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        inner, params = per_case.query.sql_with_params()
        areas = Area._meta.db_table
        # The inner query's columns are named place, place_area, case_id and n; only table
        # names from the models are formatted in, every value is a parameter.
        sql = (
            f"WITH per_case AS ({inner}) "  # noqa: S608
            "SELECT * FROM (SELECT 'place', per_case.place, area.name, SUM(per_case.n), "
            f"COUNT(*) FROM per_case LEFT JOIN {areas} AS area ON area.id = per_case.place_area "
            "GROUP BY per_case.place, area.name "
            "ORDER BY 4 DESC, 5 DESC, per_case.place IS NULL, per_case.place LIMIT %s) AS top "
            "UNION ALL "
            "SELECT 'area', NULL, area.name, SUM(per_case.n), COUNT(DISTINCT per_case.case_id) "
            f"FROM per_case LEFT JOIN {areas} AS area ON area.id = per_case.place_area "
            "GROUP BY area.name"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, TOP_PLACES])
            rows = cursor.fetchall()
        places = sorted(
            ((p, a, int(i), c) for kind, p, a, i, c in rows if kind == "place"),
            key=lambda r: (-r[2], -r[3], r[0] is None, r[0] or ""),
        )
        by_area = {a: (int(i), c) for kind, _p, a, i, c in rows if kind == "area"}
        return places, by_area

    return filters.shared("places_and_areas", compute)


def hotspots_by_area(*, filters: DashboardFilters) -> Table:
    """Cases received and incidents that happened in the period, by area, busiest first."""
    period = rollup.split(filters)
    by_area: dict[str, int] = {}
    if period.edges:
        by_area = {
            "" if area is None else str(area): n
            for area, n in filters.cases()
            .filter(period.edges_q("received_at"))
            .values_list("area")
            .annotate(n=Count("pk"))
            .order_by()
        }
    monthly = rollup.monthly_counts(filters, "case_area", period)
    by_area = rollup.add_counts(by_area, {area: n for (area, _detail), n in monthly.items()})
    area_names = dict(
        Area.objects.filter(organisation=filters.organisation).values_list("pk", "name")
    )
    cases: dict[str | None, int] = {}
    for area, n in by_area.items():
        name = area_names.get(int(area)) if area else None
        cases[name] = cases.get(name, 0) + n
    incidents = {name: n for name, (n, _cases) in incidents_by_area(filters).items()}
    names = sorted(
        set(cases) | set(incidents), key=lambda n: (-cases.get(n, 0), -incidents.get(n, 0), n or "")
    )
    rows = [[name or "No area", cases.get(name, 0), incidents.get(name, 0)] for name in names]
    return Table(
        slug="hotspot-areas",
        title="Cases and incidents by area",
        columns=["Area", "Cases received", "Incidents"],
        rows=rows,
        chart=chart_from_columns("bar", rows, 0, {"Cases received": 1, "Incidents": 2}),
    )


def hotspots_by_month(*, filters: DashboardFilters) -> Table:
    """Cases received per month in each area (the busiest areas charted)."""
    period = rollup.split(filters)
    found: dict[tuple, int] = {}
    if period.edges:
        found = {
            (row["area"], _month_key(row["month"])): row["n"]
            for row in filters.cases()
            .filter(period.edges_q("received_at"))
            .annotate(month=TruncMonth("received_at", tzinfo=LONDON))
            .values("area", "month")
            .annotate(n=Count("pk"))
            .order_by()
        }
    for (month, area), n in rollup.monthly_counts_by_month(filters, "case_area", period).items():
        key = (int(area) if area else None, _month_key(month))
        found[key] = found.get(key, 0) + n
    area_names = dict(
        Area.objects.filter(organisation=filters.organisation).values_list("pk", "name")
    )
    counts: dict[tuple, int] = {}
    totals: dict[str | None, int] = {}
    for (area, month), n in found.items():  # one row per area and month, not per case
        name = area_names.get(area) if area is not None else None
        counts[(name, month)] = counts.get((name, month), 0) + n
        totals[name] = totals.get(name, 0) + n
    areas = sorted(totals, key=lambda n: (-totals[n], n or ""))
    months = _months(filters)
    rows = [
        [
            _month_label(m),
            *[counts.get((a, m), 0) for a in areas],
            sum(counts.get((a, m), 0) for a in areas),
        ]
        for m in months
    ]
    labels = [a or "No area" for a in areas]
    return Table(
        slug="hotspot-months",
        wide=True,
        title="Cases received per month, by area",
        columns=["Month", *labels, "All areas"],
        rows=rows,
        chart=Chart(
            kind="line",
            labels=[row[0] for row in rows],
            datasets=[
                series(label, [row[1 + i] for row in rows], i)
                for i, label in enumerate(labels[:AREAS_CHARTED])
            ],
        ),
    )


def hotspot_places(*, filters: DashboardFilters) -> Table:
    """The places with the most incidents in the period, top first."""
    rows = [
        [(place or "Place not recorded").title(), area or "No area", incidents, cases]
        for place, area, incidents, cases in _places_and_areas(filters)[0]
    ]
    return Table(
        slug="hotspot-places",
        title=f"Top {TOP_PLACES} places by incidents",
        columns=["Place", "Area", "Incidents", "Cases"],
        rows=rows,
        chart=chart_from_columns("bar", rows, 0, {"Incidents": 2}, horizontal=True),
    )
