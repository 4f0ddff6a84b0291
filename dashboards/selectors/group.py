"""A group and its partners side by side: the headline figures for each organisation a
group-level manager may see, in three grouped queries whatever the number of partners."""

from __future__ import annotations

from django.db.models import Count, F, Q

from accounts.models import Organisation
from cases.models import Case
from cases.models.choices import HATE_CATEGORIES, OPEN_STATUSES
from deadlines.models import LIVE_STATES, Deadline, DeadlineState

from ..filters import DashboardFilters
from ..tables import Table, chart_from_columns, percent, rate
from .nm01 import nm01_counts


def organisations_side_by_side(
    *, organisations: list[Organisation], filters: DashboardFilters
) -> Table:
    received = filters.received_q()
    cases = {
        row["organisation"]: row
        for row in Case.objects.filter(organisation__in=organisations)
        .values("organisation")
        .annotate(
            received=Count("pk", filter=received),
            hate=Count("pk", filter=received & Q(category__in=HATE_CATEGORIES)),
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        )
        .order_by()
    }
    now = filters.now
    deadlines = {
        row["organisation"]: row
        for row in Deadline.objects.filter(organisation__in=organisations)
        # Only the rows counted below: due in the period, or live and overdue now.
        .filter(
            Q(due_at__gte=filters.start, due_at__lt=filters.end)
            | Q(state__in=LIVE_STATES, due_at__lte=now)
        )
        .exclude(window=True)
        .values("organisation")
        .annotate(
            due=Count(
                "pk",
                filter=Q(due_at__gte=filters.start, due_at__lt=filters.end)
                & ~Q(state=DeadlineState.WAIVED),
            ),
            on_time=Count(
                "pk",
                filter=Q(due_at__gte=filters.start, due_at__lt=filters.end)
                & Q(state=DeadlineState.MET, met_at__lte=F("due_at")),
            ),
            overdue_now=Count("pk", filter=Q(state__in=LIVE_STATES, due_at__lte=now)),
        )
        .order_by()
    }
    nm01 = nm01_counts(organisations=organisations, year=filters.reporting_year)
    empty: dict = {}
    rows = []
    for org in organisations:  # the group and its partners, a handful of rows
        c, d, n = cases.get(org.pk, empty), deadlines.get(org.pk, empty), nm01.get(org.pk, empty)
        rows.append(
            [
                org.name,
                c.get("received", 0),
                c.get("hate", 0),
                c.get("open", 0),
                percent(d.get("on_time", 0), d.get("due", 0)),
                d.get("overdue_now", 0),
                rate(n.get("counted", 0), org.homes_owned),
                rate(n.get("hate", 0), org.homes_owned),
            ]
        )
    year = filters.reporting_year
    return Table(
        slug="group",
        wide=True,
        title="The group and its partners",
        columns=[
            "Organisation",
            "Cases received",
            "Of which hate",
            "Open now",
            "Deadlines on time",
            "Overdue now",
            f"NM01 {year}/{str(year + 1)[-2:]} per 1,000 homes",
            "NM01 hate per 1,000 homes",
        ],
        rows=rows,
        note="Each organisation on its own policy's timescales; waived deadlines not counted.",
        chart=chart_from_columns("bar", rows, 0, {"Cases received": 1, "Open now": 3}),
    )


def organisations_for_manager(*, access) -> list[Organisation]:
    """Whose dashboards this manager may see: the organisation they work in and, when it is
    a group, its partners (C27 across the group). Nothing else, whatever they ask for."""
    own = access.organisation
    return [own, *Organisation.objects.filter(group=own).order_by("name")]
