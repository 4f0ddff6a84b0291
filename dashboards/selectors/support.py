"""Support offered and referrals made, by agency and outcome (W12, W15, C27).

Support is counted by when it was offered; safeguarding referrals by when they were made.
One grouped query per table.
"""

from __future__ import annotations

from django.db.models import Count, Q

from support.models import SafeguardingKind, SafeguardingReferral, SupportReferral, SupportStatus

from ..filters import DashboardFilters
from ..tables import Table, chart_from_columns

# Each offer's outcome as it stands now, in the order an offer moves through them.
OUTCOMES = (
    SupportStatus.OFFERED,
    SupportStatus.DECLINED,
    SupportStatus.REFERRED,
    SupportStatus.ACCEPTED,
    SupportStatus.CLOSED,
)


def support_by_agency_and_outcome(*, filters: DashboardFilters) -> Table:
    """W12 / C27: each agency's offers in the period, by their outcome now, and how many
    were referred (with consent) to the agency."""
    found = (
        SupportReferral.objects.filter(
            filters.case_q("case__"), offered_at__gte=filters.start, offered_at__lt=filters.end
        )
        .values("agency__name")
        .annotate(
            n=Count("pk"),
            referrals_made=Count("pk", filter=Q(referred_at__isnull=False)),
            **{status.value: Count("pk", filter=Q(status=status)) for status in OUTCOMES},
        )
        .order_by("-n", "agency__name")
    )
    rows = [
        [
            row["agency__name"],
            row["n"],
            *[row[status.value] for status in OUTCOMES],
            row["referrals_made"],
        ]
        for row in found
    ]
    offers = sum(row[1] for row in rows)
    referrals = sum(row[-1] for row in rows)
    outcome_columns = [f"Now: {status.label.lower()}" for status in OUTCOMES]
    return Table(
        slug="support-referrals",
        wide=True,
        title=f"Support offered: {offers} offers, {referrals} referred to an agency",
        columns=["Agency", "Offers", *outcome_columns, "Referrals made"],
        rows=rows,
        note=(
            "Support offered in the period, by the offer's outcome now. “Referrals made” "
            "counts offers passed to the agency with the person's consent (W12), whatever "
            "happened next."
        ),
        chart=chart_from_columns(
            "bar",
            rows,
            0,
            {label: 2 + i for i, label in enumerate(outcome_columns)},
            stacked=True,
            horizontal=True,
        ),
    )


def safeguarding_referrals(*, filters: DashboardFilters) -> Table:
    """W15: referrals to the local authority for a child or adult at risk, in the period."""
    counts = dict(
        SafeguardingReferral.objects.filter(
            filters.case_q("case__"), referred_at__gte=filters.start, referred_at__lt=filters.end
        )
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows = [[kind.label, counts.get(kind.value, 0)] for kind in SafeguardingKind]
    return Table(
        slug="safeguarding-referrals",
        title=f"Safeguarding referrals to the local authority: {sum(counts.values())}",
        columns=["Referral", "Referrals made"],
        rows=rows,
        note="W15: a child or adult at risk is referred to the local authority the same "
        "working day.",
    )
