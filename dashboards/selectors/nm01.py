"""NM01, the Regulator of Social Housing's tenant satisfaction measure on anti-social
behaviour: cases opened per 1,000 homes owned in a reporting year (1 April to 31 March), and
separately the cases that involve hate incidents.

How a case is counted (the regulator's definition, applied here and nowhere else):

- A case counts in the reporting year in which its report was received (London time), so a
  report at 23:59 on 31 March belongs to the year ending that day and one at 00:00 on 1 April
  to the next.
- Every Haven case is harassment or hate, both anti-social behaviour for NM01.
- A further report about the same matter while a case is open is *not* a new case. In Haven
  a case logged with ``previous_case`` pointing at a case that was still open when the new
  report was received (not closed, or closed only afterwards) is such a further report, and
  is left out. A case whose previous case had been closed before is a new case and counts.
- Online reports (and any other report) added to an open case never create a case, so they
  cannot count.
- A case "involves a hate incident" when it is categorised as a hate crime or hate incident,
  or any of its incidents records a hate ground (W04: perceived hostility is enough).
- The NM01 return covers the whole organisation: the dashboard's area, officer and category
  filters do not apply to it.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Case as Conditional
from django.db.models import Count, F, IntegerField, Q, Value, When

from cases.models import Case
from cases.models.choices import HATE_CATEGORIES

from ..filters import DashboardFilters, london_midnight
from ..tables import Table, rate


def reporting_year_bounds(year: int):
    """1 April ``year`` 00:00 to 1 April ``year + 1`` 00:00, London time (end exclusive)."""
    return london_midnight(date(year, 4, 1)), london_midnight(date(year + 1, 4, 1))


def further_report_q() -> Q:
    """A report received while its previous case was still open: not a new case (NM01)."""
    return Q(previous_case__isnull=False) & (
        Q(previous_case__closed_at__isnull=True) | Q(previous_case__closed_at__gt=F("received_at"))
    )


def involves_hate_q() -> Q:
    """A hate category, or a hate ground on any of the case's incidents (the case keeps
    that as a flag when the incident is recorded, so no incident is read here)."""
    return Q(category__in=HATE_CATEGORIES) | Q(hate_ground_recorded=True)


def _flag(condition: Q) -> Conditional:
    return Conditional(
        When(condition, then=Value(1)), default=Value(0), output_field=IntegerField()
    )


def _nm01_rows(*, organisations, years: tuple[int, ...]) -> dict[tuple[int, int], dict[str, int]]:
    """{(organisation id, year): counted, hate, further} for the given reporting years, in
    one query grouped by organisation, year and the two flags (a handful of rows)."""
    first, last = min(years), max(years)
    start, _ = reporting_year_bounds(first)
    _, end = reporting_year_bounds(last)
    year_of = Conditional(
        *[
            When(received_at__gte=reporting_year_bounds(y)[0], then=Value(y))
            for y in range(last, first, -1)
        ],
        default=Value(first),
        output_field=IntegerField(),
    )
    found: dict[tuple[int, int], dict[str, int]] = {
        (org.pk if hasattr(org, "pk") else org, y): {"counted": 0, "hate": 0, "further": 0}
        for org in organisations
        for y in years
    }
    rows = (
        Case.objects.filter(
            organisation__in=organisations, received_at__gte=start, received_at__lt=end
        )
        .annotate(year=year_of, further=_flag(further_report_q()), hate=_flag(involves_hate_q()))
        .values("organisation", "year", "further", "hate")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:  # at most organisations x years x 4 rows
        counts = found[(row["organisation"], row["year"])]
        if row["further"]:
            counts["further"] += row["n"]
        else:
            counts["counted"] += row["n"]
            if row["hate"]:
                counts["hate"] += row["n"]
    return found


def nm01_counts(*, organisations, year: int) -> dict[int, dict[str, int]]:
    """For each organisation: cases counted, hate cases counted and further reports left
    out, in reporting year ``year``. One grouped query."""
    rows = _nm01_rows(organisations=organisations, years=(year,))
    return {org_id: counts for (org_id, _y), counts in rows.items()}


def nm01_return(*, filters: DashboardFilters) -> Table:
    """The selected reporting year beside the one before it."""
    organisation = filters.organisation
    years = (filters.reporting_year, filters.reporting_year - 1)
    found = _nm01_rows(organisations=[organisation], years=years)
    homes = organisation.homes_owned
    rows = []
    for year in years:
        counts = found[(organisation.pk, year)]
        rows.append(
            [
                f"1 April {year} to 31 March {year + 1}",
                homes,
                counts["counted"],
                rate(counts["counted"], homes),
                counts["hate"],
                rate(counts["hate"], homes),
                counts["further"],
            ]
        )
    return Table(
        slug="nm01",
        wide=True,
        title="NM01: anti-social behaviour cases per 1,000 homes",
        columns=[
            "Reporting year",
            "Homes owned",
            "Cases opened",
            "Per 1,000 homes",
            "Involving hate incidents",
            "Hate per 1,000 homes",
            "Further reports not counted",
        ],
        rows=rows,
        note=(
            "Counted as the regulator defines it: a further report while a case is open is not "
            "a new case. For the whole organisation, whatever the filters above. "
            + ("" if homes else "Homes owned is not set for this organisation, so no rate.")
        ),
    )
