"""Reads for the triage queue, scoped to the user's organisation."""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from ..models import Case
from ..models.choices import OPEN_STATUSES
from ..models.online import OnlineReport


def online_reports_for(*, access, status: str | None = None) -> QuerySet[OnlineReport]:
    reports = OnlineReport.objects.filter(organisation=access.organisation).select_related(
        "case", "decided_by"
    )
    if status:
        reports = reports.filter(status=status)
    return reports.order_by("-received_at", "-pk")


def online_report_get(*, access, pk: int) -> OnlineReport:
    """The report, or 404 if it belongs to another organisation."""
    return get_object_or_404(
        OnlineReport.objects.select_related("organisation", "case", "decided_by"),
        pk=pk,
        organisation=access.organisation,
    )


def open_cases_about(*, report: OnlineReport) -> QuerySet[Case]:
    """Open cases naming someone the report names: the candidates to add it to (NM01)."""
    answers = report.answers
    names = [
        answers.get(field, "").strip()
        for field in ("full_name", "victim_name", "perpetrator_name")
        if answers.get(field, "").strip()
    ]
    match = Q(pk__in=[])
    for name in names:
        match |= Q(parties__person__full_name__iexact=name)
    cases = Case.objects.filter(organisation=report.organisation, status__in=OPEN_STATUSES)
    return cases.filter(match).distinct().order_by("-received_at")


def open_cases(*, report: OnlineReport) -> QuerySet[Case]:
    return Case.objects.filter(organisation=report.organisation, status__in=OPEN_STATUSES).order_by(
        "-received_at"
    )
