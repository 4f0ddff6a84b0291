"""Satisfaction with case handling (C26, C27): the feedback asked for after closure.

Closures in the period are counted by when the case was closed; a response belongs to its
closure. One aggregate query.
"""

from __future__ import annotations

from django.db.models import Avg, Count, Q

from letters.models import CaseClosure

from ..filters import DashboardFilters
from ..tables import Table, chart_from_columns, percent

SCORES = (5, 4, 3, 2, 1)  # best first, as the table reads


def satisfaction_with_case_handling(*, filters: DashboardFilters) -> Table:
    """C26 / C27: of the closures in the period, how many gave feedback, and each score's
    share of the responses. "Satisfied" is a 4 or 5 on the five-point scale."""
    found = CaseClosure.objects.filter(
        filters.case_q("case__"), closed_at__gte=filters.start, closed_at__lt=filters.end
    ).aggregate(
        closed=Count("pk"),
        responses=Count("pk", filter=Q(satisfaction__isnull=False)),
        average=Avg("satisfaction"),
        **{f"score{score}": Count("pk", filter=Q(satisfaction=score)) for score in SCORES},
    )
    responses = found["responses"]
    satisfied = found["score5"] + found["score4"]
    rows = [
        [f"{score}: {CaseClosure.SATISFACTION_LABELS[score]}", found[f"score{score}"]]
        + [percent(found[f"score{score}"], responses)]
        for score in SCORES
    ]
    average = f"{found['average']:.1f}" if found["average"] is not None else "–"
    return Table(
        slug="satisfaction",
        title=(
            f"Satisfaction with case handling: {percent(satisfied, responses)} satisfied "
            f"({responses} responses from {found['closed']} closures, "
            f"{percent(responses, found['closed'])} responded)"
        ),
        columns=["Score", "Responses", "Share of responses"],
        rows=rows,
        note=(
            f"Feedback after the closures in the period (C26), by telephone or the feedback "
            f"link. Satisfied means 4 or 5 out of 5. Average score: {average}."
        ),
        chart=chart_from_columns("bar", rows, 0, {"Responses": 1}),
    )
