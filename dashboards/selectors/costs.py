"""Costs (C27, W16, C25): external legal and non-legal costs of action against
perpetrators, and repair and clean-up costs of damage. Summed in SQL, in pounds."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce

from enforcement.models import EnforcementAction
from repairs.models import Repair

from ..filters import DashboardFilters
from ..tables import Table, chart_from_columns

ZERO = Decimal("0.00")


def _pounds(amount) -> Decimal:
    """To the penny: SQLite sums decimals as floating point, PostgreSQL exactly."""
    return Decimal(amount or 0).quantize(ZERO)


def _sum(field: str):
    return Coalesce(
        Sum(field), Value(ZERO), output_field=DecimalField(max_digits=14, decimal_places=2)
    )


def costs(*, filters: DashboardFilters) -> Table:
    """C27: each kind of cost in the period, with how many actions or repairs carried one.
    Enforcement costs count by the action's date, repairs by when they were reported."""
    enforcement = EnforcementAction.objects.filter(
        filters.case_q("case__"),
        action_date__gte=filters.date_from,
        action_date__lte=filters.date_to,
    ).aggregate(
        legal=_sum("legal_costs"),
        other=_sum("other_costs"),
        with_legal=Count("pk", filter=Q(legal_costs__gt=0)),
        with_other=Count("pk", filter=Q(other_costs__gt=0)),
    )
    repairs = Repair.objects.filter(
        filters.case_q("case__"), reported_at__gte=filters.start, reported_at__lt=filters.end
    ).aggregate(
        repair=_sum("repair_cost"),
        cleanup=_sum("cleanup_cost"),
        with_repair=Count("pk", filter=Q(repair_cost__gt=0)),
        with_cleanup=Count("pk", filter=Q(cleanup_cost__gt=0)),
    )
    rows = [
        ["External legal costs", _pounds(enforcement["legal"]), enforcement["with_legal"]],
        ["Non-legal external costs", _pounds(enforcement["other"]), enforcement["with_other"]],
        ["Repair costs", _pounds(repairs["repair"]), repairs["with_repair"]],
        ["Clean-up costs", _pounds(repairs["cleanup"]), repairs["with_cleanup"]],
    ]
    total = sum((row[1] for row in rows), ZERO)
    return Table(
        slug="costs",
        title=f"Costs in the period: £{total:,.2f}",
        columns=["Cost", "Amount (£)", "Actions or repairs with this cost"],
        rows=[*rows, ["Total", total, ""]],
        note=(
            "Legal and non-legal costs are recorded on each action against a perpetrator "
            "(dated in the period); repair and clean-up costs on each repair reported in the "
            "period (W16)."
        ),
        chart=chart_from_columns("bar", rows, 0, {"Amount (£)": 1}, horizontal=True),
    )
