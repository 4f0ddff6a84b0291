"""Reads of deadlines for the case page's panel, My work and the manager's team view."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Case as Conditional
from django.db.models import IntegerField, QuerySet, Value, When
from django.utils import timezone

from accounts import permissions
from cases.models import Case
from policy.calendar import LONDON

from .models import LIVE_STATES, Deadline, DeadlineState
from .status import due_status

SOON_DAYS = 7


@dataclass(frozen=True)
class Horizon:
    """Today's and this week's limits in London time."""

    now: datetime
    end_of_today: datetime
    end_of_week: datetime

    @classmethod
    def at(cls, now: datetime | None = None) -> Horizon:
        now = now or timezone.now()
        today = now.astimezone(LONDON).date()
        midnight = datetime.combine(today + timedelta(days=1), time(0), tzinfo=LONDON)
        return cls(now, midnight, midnight + timedelta(days=SOON_DAYS - 1))


def deadlines_for_case(case: Case) -> QuerySet[Deadline]:
    """All of a case's deadlines, live ones first by due time, then closed ones, newest first.

    The caller has already checked the user may see the case (``case_get_for_user``).
    """
    return (
        Deadline.objects.filter(case=case)
        .select_related("met_by", "waived_by", "policy_rule")
        .annotate(
            live_first=Conditional(
                When(state__in=LIVE_STATES, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("live_first", "due_at", "pk")
    )


def _my_deadlines(*, user, access) -> QuerySet[Deadline]:
    """Deadlines on the cases assigned to the user in the organisation they are working in.

    Filtered on ``Deadline.organisation`` and the case's officer rather than through
    ``cases_visible_to``: a case assigned to an officer or a manager is always one they may
    open (restricted or not), so the visibility subquery only made PostgreSQL hash every
    case of the organisation. Users who do not work cases get nothing.
    """
    if access.organisation is None or not access.can(permissions.WORK_CASES):
        return Deadline.objects.none()
    return Deadline.objects.filter(organisation=access.organisation, case__assigned_officer=user)


def deadlines_for_officer(*, user, access, horizon: Horizon) -> QuerySet[Deadline]:
    """My work: live deadlines on the user's own cases, overdue or due within the week."""
    return (
        _my_deadlines(user=user, access=access)
        .filter(state__in=LIVE_STATES, due_at__lt=horizon.end_of_week)
        .exclude(rule="c26_appeal_window")
        .select_related("case", "policy_rule")
        .order_by("due_at", "pk")
    )


def deadlines_recently_met_by_officer(*, user, access, horizon: Horizon) -> QuerySet[Deadline]:
    """My work's "met in the last seven days", newest first: read from the partial index of
    met deadlines by ``met_at`` (``deadline_met_at_idx``), not by probing each of the
    officer's cases for its deadlines."""
    return (
        _my_deadlines(user=user, access=access)
        .filter(state=DeadlineState.MET, met_at__gte=horizon.now - timedelta(days=SOON_DAYS))
        .exclude(rule="c26_appeal_window")
        .select_related("case", "met_by")
        .order_by("-met_at", "-pk")
    )


def deadlines_for_team(*, user, access, horizon: Horizon) -> QuerySet[Deadline]:
    """A manager's view: every overdue or due-soon deadline on the organisation's cases.

    Managers and organisation admins may open every case of the organisation, so the
    deadline's own ``organisation`` scopes it (index ``deadline_live_org_due_idx``) without
    joining all the organisation's cases."""
    if access.organisation is None or not access.can(permissions.MANAGE):
        return Deadline.objects.none()
    return (
        Deadline.objects.filter(
            organisation=access.organisation,
            state__in=LIVE_STATES,
            due_at__lt=horizon.end_of_week,
        )
        .exclude(rule="c26_appeal_window")
        .select_related("case", "case__assigned_officer")
        .order_by("due_at", "pk")
    )


def bucket(deadline: Deadline, horizon: Horizon) -> str:
    if deadline.state == DeadlineState.OVERDUE or deadline.due_at < horizon.now:
        return "Overdue"
    if deadline.due_at < horizon.end_of_today:
        return "Due today"
    return "Due this week"


@dataclass
class CaseWork:
    """One case on My work with its live deadlines, most urgent first; the case's own
    bucket is its most urgent deadline's."""

    case: Case
    deadlines: list[Deadline]
    bucket: str
    complainant: str = ""


BUCKETS = ("Overdue", "Due today", "Due this week")


def deadlines_by_case(deadlines, *, horizon: Horizon, calendar) -> list[CaseWork]:
    """Deadlines (sorted by due time) grouped into one entry per case, each deadline given
    its ``status`` in words; cases in order of their most urgent deadline."""
    groups: dict[int, CaseWork] = {}
    for deadline in deadlines:
        deadline.status = due_status(due_at=deadline.due_at, now=horizon.now, calendar=calendar)
        found = groups.get(deadline.case_id)
        if found is None:
            groups[deadline.case_id] = CaseWork(
                case=deadline.case, deadlines=[deadline], bucket=bucket(deadline, horizon)
            )
        else:
            found.deadlines.append(deadline)
    # A deadline the sweep has marked overdue may sort after an open one due earlier.
    work = list(groups.values())
    for entry in work:
        entry.bucket = min((bucket(d, horizon) for d in entry.deadlines), key=BUCKETS.index)
    return sorted(work, key=lambda entry: BUCKETS.index(entry.bucket))
