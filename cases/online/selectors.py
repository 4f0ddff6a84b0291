"""Reads for the triage queue, scoped to the user's organisation."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from deadlines.status import DueStatus, due_status
from policy.calendar import WorkingCalendar, add_hours
from policy.selectors import rule_words_in_force

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


# W08/C17: the complainant is contacted within 24 hours of the report, which for an online
# report is when the resident sent it (the case opened from it keeps that time).
FIRST_CONTACT_HOURS = 24
FIRST_CONTACT_RULE = "w08_first_contact"


@dataclass(frozen=True)
class TriageClock:
    """The first-contact promise an online report waiting for triage runs under."""

    promise: str
    clause: str

    def due_at(self, report: OnlineReport) -> datetime:
        return add_hours(report.received_at, FIRST_CONTACT_HOURS)

    def status(self, report: OnlineReport, *, now: datetime) -> DueStatus:
        # Elapsed hours: the calendar's working days play no part in "within 24 hours".
        return due_status(due_at=self.due_at(report), now=now, calendar=WorkingCalendar())


def triage_clock(*, organisation) -> TriageClock:
    """The organisation's words for the first-contact promise and its clause (W08 under WCH
    2022, C17 under Circle Anglia 2009), shown behind "Why is this due?"."""
    rule = rule_words_in_force(organisation.pk, FIRST_CONTACT_RULE)
    if rule is None:
        return TriageClock(
            promise="The complainant is to be contacted within 24 hours of the report.",
            clause="",
        )
    return TriageClock(promise=rule.promise, clause=rule.clause)
