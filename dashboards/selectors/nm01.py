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

from django.db.models import Count, Exists, F, OuterRef, Q

from cases.models import Case, IncidentGroundEntry
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
    return Q(category__in=HATE_CATEGORIES) | Q(
        Exists(IncidentGroundEntry.objects.filter(incident__case=OuterRef("pk")))
    )


def nm01_counts(*, organisations, year: int) -> dict[int, dict[str, int]]:
    """For each organisation: cases counted, hate cases counted and further reports left
    out, in reporting year ``year``. One grouped query."""
    start, end = reporting_year_bounds(year)
    further = further_report_q()
    return {
        row["organisation"]: row
        for row in Case.objects.filter(
            organisation__in=organisations, received_at__gte=start, received_at__lt=end
        )
        .values("organisation")
        .annotate(
            counted=Count("pk", filter=~further),
            hate=Count("pk", filter=~further & involves_hate_q()),
            further=Count("pk", filter=further),
        )
        .order_by()
    }


def nm01_return(*, filters: DashboardFilters) -> Table:
    """The selected reporting year beside the one before it."""
    organisation = filters.organisation
    years = (filters.reporting_year, filters.reporting_year - 1)
    start, _ = reporting_year_bounds(years[1])
    _, end = reporting_year_bounds(years[0])
    further = further_report_q()
    hate = involves_hate_q()
    found = Case.objects.filter(
        organisation=organisation, received_at__gte=start, received_at__lt=end
    ).aggregate(
        **{
            f"{name}_{year}": Count(
                "pk", filter=condition & Q(received_at__gte=s, received_at__lt=e)
            )
            for year in years
            for s, e in [reporting_year_bounds(year)]
            for name, condition in (
                ("counted", ~further),
                ("hate", ~further & hate),
                ("further", further),
            )
        }
    )
    homes = organisation.homes_owned
    rows = []
    for year in years:
        counted, hate_cases = found[f"counted_{year}"], found[f"hate_{year}"]
        rows.append(
            [
                f"1 April {year} to 31 March {year + 1}",
                homes,
                counted,
                rate(counted, homes),
                hate_cases,
                rate(hate_cases, homes),
                found[f"further_{year}"],
            ]
        )
    return Table(
        slug="nm01",
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
