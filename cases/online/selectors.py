"""Reads for the triage queue, scoped to the user's organisation."""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from ..models import Case
from ..models.choices import OPEN_STATUSES
from ..models.online import OnlineReport
from ..selectors import cases_visible_to, restricted_cases_hidden_from


def online_reports_visible_to(*, user, access) -> QuerySet[OnlineReport]:
    """Every report of the organisation, except one made part of a restricted case this user
    may not open: it names the same people the restriction hides."""
    if access.organisation is None:
        return OnlineReport.objects.none()
    return OnlineReport.objects.filter(organisation=access.organisation).exclude(
        case__in=restricted_cases_hidden_from(user=user, access=access)
    )


def online_reports_for(*, user, access, status: str | None = None) -> QuerySet[OnlineReport]:
    reports = online_reports_visible_to(user=user, access=access).select_related(
        "case", "decided_by"
    )
    if status:
        reports = reports.filter(status=status)
    return reports.order_by("-received_at", "-pk")


def online_report_get(*, user, access, pk: int) -> OnlineReport:
    """The report, or 404 if it belongs to another organisation or to a restricted case
    this user may not open."""
    return get_object_or_404(
        online_reports_visible_to(user=user, access=access).select_related(
            "organisation", "case", "decided_by"
        ),
        pk=pk,
    )


def open_cases(*, report: OnlineReport, user, access) -> QuerySet[Case]:
    """The open cases of the report's organisation this user may open: the only ones
    "Add to an existing case" offers or accepts."""
    return (
        cases_visible_to(user=user, access=access)
        .filter(organisation=report.organisation, status__in=OPEN_STATUSES)
        .order_by("-received_at")
    )


def open_cases_about(*, report: OnlineReport, user, access) -> QuerySet[Case]:
    """Open cases naming someone the report names: the candidates to add it to (NM01).

    Only among the cases this user may open: whether a restricted case they may not open
    names someone is never shown, not even as a narrower list or a count.
    """
    answers = report.answers
    names = [
        answers.get(field, "").strip()
        for field in ("full_name", "victim_name", "perpetrator_name")
        if answers.get(field, "").strip()
    ]
    match = Q(pk__in=[])
    for name in names:
        match |= Q(parties__person__full_name__iexact=name)
    cases = open_cases(report=report, user=user, access=access)
    return cases.filter(match).distinct().order_by("-received_at")
