"""Managed transfers and the Housing Panel (W17, W05, C25), and letters issued (C17, C22,
W20, W21): one grouped query per table."""

from __future__ import annotations

from django.db.models import Count, Q

from letters.models import Letter, LetterKind, LetterStatus
from transfers.choices import ReferralStatus, ReferralType, Vote
from transfers.models import PanelDecision, TransferReferral

from ..filters import DashboardFilters
from ..tables import Table, chart_from_columns


def transfer_referrals(*, filters: DashboardFilters) -> Table:
    """W17 / C25: referrals made in the period, by type and where each stands now."""
    counts = {
        (row["referral_type"], row["status"]): row["n"]
        for row in TransferReferral.objects.filter(
            filters.case_q("case__"), referred_at__gte=filters.start, referred_at__lt=filters.end
        )
        .values("referral_type", "status")
        .annotate(n=Count("pk"))
        .order_by()
    }
    rows = []
    for status in ReferralStatus:
        cells = [counts.get((kind.value, status.value), 0) for kind in ReferralType]
        rows.append([status.label, *cells, sum(cells)])
    return Table(
        slug="transfer-referrals",
        title=f"Transfer referrals: {sum(counts.values())}",
        columns=["Where it stands now", *[kind.label for kind in ReferralType], "All"],
        rows=rows,
        note="Referrals to the Housing Panel made in the period (W17, C25).",
        chart=chart_from_columns(
            "bar",
            rows,
            0,
            {kind.label: 1 + i for i, kind in enumerate(ReferralType)},
            stacked=True,
            horizontal=True,
        ),
    )


def panel_decisions(*, filters: DashboardFilters) -> Table:
    """W05: the panel's valid decisions in the period, by outcome."""
    found = PanelDecision.objects.filter(
        filters.case_q("referral__case__"),
        decided_at__gte=filters.start,
        decided_at__lt=filters.end,
    ).aggregate(
        **{vote.value: Count("pk", filter=Q(outcome=vote)) for vote in Vote},
        referrals=Count("referral", distinct=True),
    )
    rows = [[vote.label, found[vote.value]] for vote in Vote]
    return Table(
        slug="panel-decisions",
        title=f"Housing Panel decisions: {sum(r[1] for r in rows)} on "
        f"{found['referrals']} referrals",
        columns=["Outcome", "Decisions"],
        rows=rows,
        note="Decisions made with a quorum (W05) in the period; a deferred request can be "
        "decided again at a later meeting.",
        chart=chart_from_columns("doughnut", rows, 0, {"Decisions": 1}),
    )


def letters_by_kind(*, filters: DashboardFilters) -> Table:
    """Letters issued in the period, by kind and what became of them."""
    found = {
        row["kind"]: row
        for row in Letter.objects.filter(
            filters.case_q("case__"), created_at__gte=filters.start, created_at__lt=filters.end
        )
        .values("kind")
        .annotate(
            n=Count("pk"),
            sent=Count("pk", filter=Q(status=LetterStatus.SENT)),
            waiting=Count("pk", filter=Q(status__in=[LetterStatus.QUEUED, LetterStatus.RENDERED])),
            failed=Count("pk", filter=Q(status=LetterStatus.FAILED)),
            large_print=Count("pk", filter=Q(large_print=True)),
        )
        .order_by()
    }
    rows = []
    for kind in LetterKind:
        row = found.get(kind.value)
        if row is None:
            continue
        rows.append(
            [kind.label, row["n"], row["sent"], row["waiting"], row["failed"], row["large_print"]]
        )
    return Table(
        slug="letters",
        wide=True,
        title=f"Letters issued: {sum(r[1] for r in rows)}",
        columns=[
            "Letter",
            "Issued",
            "Sent or posted",
            "Waiting to be sent",
            "Failed",
            "Large print (W22, C28)",
        ],
        rows=rows,
        note="A letter rendered but not yet posted waits for an officer to print and post it.",
    )
