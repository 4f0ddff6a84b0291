"""Reads: an organisation's schedule with Haven's defaults filled in, and what is due to go
(the same querysets the sweep disposes of, so the dry run and the next-month list say
exactly what a run would do)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from accounts.models import Organisation
from cases.models import Case, CaseAccess, OnlineReport, OnlineReportAccess, Person
from cases.models.choices import Status
from enforcement.models import ActionStatus, EnforcementAction, Remedy
from transfers.choices import ReferralStatus
from transfers.models import TransferReferral

from .defaults import DEFAULTS
from .models import (
    Disposal,
    ErasureRequest,
    LegalHold,
    RetentionKind,
    RetentionRule,
    RetentionRun,
    period_delta,
)

# A court order granted on the case (and so the longer rule): the remedies a court grants.
COURT_ORDER_REMEDIES = (
    Remedy.INJUNCTION,
    Remedy.CIVIL_INJUNCTION,
    Remedy.RESTRAINING_ORDER,
    Remedy.DEMOTION,
    Remedy.POSSESSION_GROUND_2,
    Remedy.POSSESSION_GROUND_14,
)
GRANTED = (ActionStatus.GRANTED, ActionStatus.ENDED)
UNSUCCESSFUL = (ReferralStatus.DECLINED, ReferralStatus.WITHDRAWN)
NEXT_MONTH = relativedelta(months=1)


@dataclass
class EffectiveRule:
    kind: str
    label: str
    amount: int
    unit: str
    reason: str
    basis: str
    is_default: bool
    row: RetentionRule | None

    @property
    def period(self) -> relativedelta:
        return period_delta(self.amount, self.unit)

    def cutoff(self, at: datetime) -> datetime:
        """Records whose clock started at or before this have had their time."""
        return at - self.period

    @property
    def period_display(self) -> str:
        unit = self.unit[:-1] if self.amount == 1 else self.unit
        return f"{self.amount} {unit}"


def retention_schedule(*, organisation: Organisation) -> dict[str, EffectiveRule]:
    """Every kind, in order: the organisation's rule, or Haven's default where it has none."""
    rows = {r.kind: r for r in RetentionRule.objects.filter(organisation=organisation)}
    schedule = {}
    for kind, label in RetentionKind.choices:
        default = DEFAULTS[kind]
        row = rows.get(kind)
        schedule[kind] = EffectiveRule(
            kind=kind,
            label=str(label),
            amount=row.amount if row else default.amount,
            unit=row.unit if row else default.unit,
            reason=row.reason if row else default.basis,
            basis=default.basis,
            is_default=row is None,
            row=row,
        )
    return schedule


def _standing_hold():
    return LegalHold.objects.filter(case=OuterRef("pk"), released_at__isnull=True)


def anonymised_ids(model: str):
    return Disposal.objects.filter(model=model).values("object_id")


def _court_order():
    return EnforcementAction.objects.filter(
        case=OuterRef("pk"), remedy__in=COURT_ORDER_REMEDIES, status__in=GRANTED
    )


def cases_due(
    *, organisation: Organisation, at: datetime, schedule: dict[str, EffectiveRule], held: bool
) -> QuerySet[Case]:
    """Closed cases whose time is up at ``at``, not yet anonymised. ``held=False``: those the
    sweep takes (no standing hold); ``held=True``: those a hold keeps. A case waits while a
    later case about the same people ("New report about the same people") keeps its data:
    the earlier one may show a course of conduct."""
    ordinary = schedule[RetentionKind.CLOSED_CASE].cutoff(at)
    ordered = schedule[RetentionKind.CLOSED_CASE_COURT_ORDER].cutoff(at)
    later_live = Case.objects.filter(previous_case=OuterRef("pk")).exclude(
        pk__in=anonymised_ids("cases.Case")
    )
    hold = Exists(_standing_hold())
    return (
        Case.objects.filter(organisation=organisation, status=Status.CLOSED)
        .annotate(court_order=Exists(_court_order()))
        .filter(
            Q(court_order=False, closed_at__lte=ordinary)
            | Q(court_order=True, closed_at__lte=ordered)
        )
        .exclude(pk__in=anonymised_ids("cases.Case"))
        .exclude(Exists(later_live))
        .filter(hold if held else ~hold)
        .order_by("closed_at", "pk")
    )


def online_reports_due(
    *, organisation: Organisation, at: datetime, schedule: dict[str, EffectiveRule]
) -> QuerySet[OnlineReport]:
    cutoff = schedule[RetentionKind.REJECTED_ONLINE_REPORT].cutoff(at)
    return OnlineReport.objects.filter(
        organisation=organisation,
        status=OnlineReport.Status.REJECTED,
        case__isnull=True,
        decided_at__lte=cutoff,
    ).order_by("decided_at", "pk")


def access_logs_due(
    *, organisation: Organisation, at: datetime, schedule: dict[str, EffectiveRule]
) -> tuple[QuerySet[CaseAccess], QuerySet[OnlineReportAccess]]:
    """Access-log rows older than the rule; a held case keeps its log."""
    cutoff = schedule[RetentionKind.ACCESS_LOG].cutoff(at)
    held = LegalHold.objects.filter(released_at__isnull=True).values("case_id")
    return (
        CaseAccess.objects.filter(case__organisation=organisation, at__lte=cutoff).exclude(
            case_id__in=held
        ),
        OnlineReportAccess.objects.filter(report__organisation=organisation, at__lte=cutoff),
    )


def transfers_due(
    *, organisation: Organisation, at: datetime, schedule: dict[str, EffectiveRule]
) -> QuerySet[TransferReferral]:
    cutoff = schedule[RetentionKind.UNSUCCESSFUL_TRANSFER].cutoff(at)
    held = LegalHold.objects.filter(released_at__isnull=True).values("case_id")
    return (
        TransferReferral.objects.filter(organisation=organisation, status__in=UNSUCCESSFUL)
        .annotate(ended_at=Coalesce("decided_at", "referred_at"))
        .filter(ended_at__lte=cutoff)
        .exclude(pk__in=anonymised_ids("transfers.TransferReferral"))
        .exclude(case_id__in=anonymised_ids("cases.Case"))
        .exclude(case_id__in=held)
        .order_by("ended_at", "pk")
    )


LIST_LIMIT = 200


@dataclass
class Due:
    """What a sweep at ``at`` would take for one organisation (the dry run, the next month)."""

    at: datetime
    cases: list[Case]
    cases_count: int
    held_cases: list[Case]
    online_reports: list[OnlineReport]
    online_reports_count: int
    transfers: list[TransferReferral]
    transfers_count: int
    access_logs_count: int

    @property
    def nothing(self) -> bool:
        return not (
            self.cases_count
            or self.online_reports_count
            or self.transfers_count
            or self.access_logs_count
        )


def _with_due(rows, clock: str, rule_of, schedule):
    for row in rows:
        rule = schedule[rule_of(row)]
        row.retention_rule = rule
        row.retention_due_at = getattr(row, clock) + rule.period
    return rows


def retention_due(*, organisation: Organisation, at: datetime) -> Due:
    """Everything whose time is up by ``at`` (now for a dry run, a month ahead for the
    managers' list), the first LIST_LIMIT of each kind with its due date, and the counts."""
    schedule = retention_schedule(organisation=organisation)

    def case_rule(case):
        return (
            RetentionKind.CLOSED_CASE_COURT_ORDER if case.court_order else RetentionKind.CLOSED_CASE
        )

    cases = cases_due(organisation=organisation, at=at, schedule=schedule, held=False)
    held = cases_due(organisation=organisation, at=at, schedule=schedule, held=True)
    reports = online_reports_due(organisation=organisation, at=at, schedule=schedule)
    transfers = transfers_due(organisation=organisation, at=at, schedule=schedule)
    case_log, report_log = access_logs_due(organisation=organisation, at=at, schedule=schedule)
    return Due(
        at=at,
        cases=_with_due(list(cases[:LIST_LIMIT]), "closed_at", case_rule, schedule),
        cases_count=cases.count(),
        held_cases=_with_due(
            list(held.prefetch_related(_standing_holds_prefetch())[:LIST_LIMIT]),
            "closed_at",
            case_rule,
            schedule,
        ),
        online_reports=_with_due(
            list(reports[:LIST_LIMIT]),
            "decided_at",
            lambda r: RetentionKind.REJECTED_ONLINE_REPORT,
            schedule,
        ),
        online_reports_count=reports.count(),
        transfers=_with_due(
            list(transfers.select_related("case")[:LIST_LIMIT]),
            "ended_at",
            lambda r: RetentionKind.UNSUCCESSFUL_TRANSFER,
            schedule,
        ),
        transfers_count=transfers.count(),
        access_logs_count=case_log.count() + report_log.count(),
    )


def _standing_holds_prefetch():
    return Prefetch(
        "legal_holds",
        queryset=LegalHold.objects.filter(released_at__isnull=True).select_related("placed_by"),
        to_attr="standing_holds",
    )


def holds_standing(*, organisation: Organisation) -> QuerySet[LegalHold]:
    return (
        LegalHold.objects.filter(organisation=organisation, released_at__isnull=True)
        .select_related("case", "placed_by")
        .order_by("-placed_at")
    )


def hold_standing_for_case(*, case: Case) -> LegalHold | None:
    return (
        LegalHold.objects.filter(case=case, released_at__isnull=True)
        .select_related("placed_by")
        .first()
    )


def runs_recent(*, organisation: Organisation, limit: int = 20) -> QuerySet[RetentionRun]:
    return RetentionRun.objects.filter(organisation=organisation)[:limit]


def run_get(*, organisation: Organisation, pk: int) -> RetentionRun:
    return get_object_or_404(RetentionRun, organisation=organisation, pk=pk)


def erasure_requests(*, organisation: Organisation) -> QuerySet[ErasureRequest]:
    return ErasureRequest.objects.filter(organisation=organisation).select_related(
        "person", "recorded_by", "decided_by"
    )


def person_holding_cases(*, person: Person) -> QuerySet[Case]:
    """The person's cases under a standing legal hold: their erasure must wait."""
    return Case.objects.filter(parties__person=person).filter(Exists(_standing_hold())).distinct()


# What the public form's privacy page says, in residents' words (cases.online asks through
# settings.HAVEN_PRIVACY_RETENTION, so the lower app never imports this one).
PUBLIC_WORDS = {
    RetentionKind.CLOSED_CASE: "A case: {period} after it is closed.",
    RetentionKind.CLOSED_CASE_COURT_ORDER: "A case where a court made an order (such as an "
    "injunction or possession order): {period} after it is closed.",
    RetentionKind.REJECTED_ONLINE_REPORT: "A report we do not take up: {period} after we "
    "decide, then it is deleted with anything you attached.",
}


def privacy_retention_lines(*, organisation: Organisation) -> list[str]:
    schedule = retention_schedule(organisation=organisation)
    return [
        words.format(period=schedule[kind].period_display) for kind, words in PUBLIC_WORDS.items()
    ]
