"""Support offered and referrals made, by agency and outcome (W12, W15, C27).

Support is counted by when it was offered; safeguarding referrals by when they were made.
One grouped query per table.
"""

from __future__ import annotations

from django.db.models import Count, Q

from support.models import (
    Agency,
    SafeguardingKind,
    SafeguardingReferral,
    SupportReferral,
    SupportStatus,
)

from .. import rollup
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
    period = rollup.split(filters)
    by_agency: dict[int, dict[str, int]] = {}
    if period.edges:
        for row in (
            SupportReferral.objects.filter(filters.case_q("case__"), period.edges_q("offered_at"))
            .values("agency")
            .annotate(
                n=Count("pk"),
                referrals_made=Count("pk", filter=Q(referred_at__isnull=False)),
                **{status.value: Count("pk", filter=Q(status=status)) for status in OUTCOMES},
            )
            .order_by()
        ):
            by_agency[row.pop("agency")] = row
    for (agency, detail), n in rollup.monthly_counts(filters, "support_offer", period).items():
        status, referred = detail.split("|")
        row = by_agency.setdefault(
            int(agency), {"n": 0, "referrals_made": 0, **{s.value: 0 for s in OUTCOMES}}
        )
        row["n"] += n
        row["referrals_made"] += n if referred == "1" else 0
        if status in row and status not in ("n", "referrals_made"):
            row[status] += n
    # Every agency of the organisation (and any other a referral names): one query always.
    names = dict(
        Agency.objects.filter(
            Q(organisation=filters.organisation) | Q(pk__in=list(by_agency))
        ).values_list("pk", "name")
    )
    merged: dict[str, dict[str, int]] = {}  # by name, as the page has always grouped them
    for agency, row in by_agency.items():
        into = merged.setdefault(names[agency], dict.fromkeys(row, 0))
        for column, n in row.items():
            into[column] += n
    found = [
        {"agency__name": name, **row}
        for name, row in sorted(merged.items(), key=lambda item: (-item[1]["n"], item[0]))
    ]
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
