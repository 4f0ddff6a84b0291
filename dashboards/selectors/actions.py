"""Actions and remedies used (C27): action against perpetrators by remedy, and the action
plans' actions and safety measures (C12). One grouped query per table."""

from __future__ import annotations

from django.db.models import Count, Q

from enforcement.models import ActionStatus as EnforcementStatus
from enforcement.models import EnforcementAction, Remedy
from support.models import ActionKind, PlanAction
from support.models import ActionStatus as PlanActionStatus

from .. import rollup
from ..filters import DashboardFilters
from ..tables import Table, chart_from_columns

# What became of an action against a perpetrator, as columns.
REMEDY_STAGES = (
    ("Proposed", (EnforcementStatus.PROPOSED,)),
    ("Applied for or issued", (EnforcementStatus.APPLIED,)),
    ("Granted or in force", (EnforcementStatus.GRANTED,)),
    ("Ended", (EnforcementStatus.ENDED,)),
    ("Refused or withdrawn", (EnforcementStatus.REFUSED, EnforcementStatus.WITHDRAWN)),
)


def remedies_used(*, filters: DashboardFilters) -> Table:
    """C27 "actions and remedies used": actions against perpetrators dated in the period
    (the warning's or application's date), by remedy and where each stands now."""
    found = (
        EnforcementAction.objects.filter(
            filters.case_q("case__"),
            action_date__gte=filters.date_from,
            action_date__lte=filters.date_to,
        )
        .values("remedy")
        .annotate(
            n=Count("pk"),
            cases=Count("case", distinct=True),
            **{
                f"stage{i}": Count("pk", filter=Q(status__in=statuses))
                for i, (_label, statuses) in enumerate(REMEDY_STAGES)
            },
        )
        .order_by("-n", "remedy")
    )
    rows = [
        [
            Remedy(row["remedy"]).label,
            row["n"],
            row["cases"],
            *[row[f"stage{i}"] for i in range(len(REMEDY_STAGES))],
        ]
        for row in found
    ]
    return Table(
        slug="remedies",
        wide=True,
        title=f"Action against perpetrators: {sum(row[1] for row in rows)} actions",
        columns=["Remedy", "Actions", "Cases", *[label for label, _ in REMEDY_STAGES]],
        rows=rows,
        note="Actions dated in the period (the warning given or the application made), by "
        "where each stands now.",
        chart=chart_from_columns("bar", rows, 0, {"Actions": 1}, horizontal=True),
    )


def plan_actions_used(*, filters: DashboardFilters) -> Table:
    """The action plans' actions and C12 safety measures added in the period, by status."""
    period = rollup.split(filters)
    counts = {}
    if period.edges:
        counts = {
            (row["kind"], row["status"]): row["n"]
            for row in PlanAction.objects.filter(
                filters.case_q("plan__case__"), period.edges_q("created_at")
            )
            .values("kind", "status")
            .annotate(n=Count("pk"))
            .order_by()
        }
    counts = rollup.add_counts(counts, rollup.monthly_counts(filters, "plan_action", period))
    rows = []
    for kind in ActionKind:
        cells = [counts.get((kind.value, status.value), 0) for status in PlanActionStatus]
        rows.append([kind.label, sum(cells), *cells])
    return Table(
        slug="plan-actions",
        title="Action plans: actions and safety measures",
        columns=["Kind", "Added", *[status.label for status in PlanActionStatus]],
        rows=rows,
        note="Actions added to case action plans in the period (C21, C22), and safety "
        "measures for victims and witnesses (C12), by their status now.",
        chart=chart_from_columns(
            "bar",
            rows,
            0,
            {status.label: 2 + i for i, status in enumerate(PlanActionStatus)},
            stacked=True,
            horizontal=True,
        ),
    )
