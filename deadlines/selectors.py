"""Reads of deadlines for the case page's panel, My work and the manager's team view."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Case as Conditional
from django.db.models import IntegerField, QuerySet, Value, When
from django.utils import timezone

from cases.models import Case
from cases.selectors import cases_visible_to
from policy.calendar import LONDON

from .models import LIVE_STATES, Deadline, DeadlineState

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


def deadlines_for_officer(*, user, access, horizon: Horizon) -> QuerySet[Deadline]:
    """My work: live deadlines on the user's own cases, overdue or due within the week."""
    return (
        Deadline.objects.filter(
            case__in=cases_visible_to(user=user, access=access).filter(assigned_officer=user),
            state__in=LIVE_STATES,
            due_at__lt=horizon.end_of_week,
        )
        .exclude(rule="c26_appeal_window")
        .select_related("case")
        .order_by("due_at", "pk")
    )


def deadlines_recently_met_by_officer(*, user, access, horizon: Horizon) -> QuerySet[Deadline]:
    return (
        Deadline.objects.filter(
            case__in=cases_visible_to(user=user, access=access).filter(assigned_officer=user),
            state=DeadlineState.MET,
            met_at__gte=horizon.now - timedelta(days=SOON_DAYS),
        )
        .exclude(rule="c26_appeal_window")
        .select_related("case", "met_by")
        .order_by("-met_at", "-pk")
    )


def deadlines_for_team(*, user, access, horizon: Horizon) -> QuerySet[Deadline]:
    """A manager's view: every overdue or due-soon deadline on the organisation's cases."""
    return (
        Deadline.objects.filter(
            case__in=cases_visible_to(user=user, access=access),
            state__in=LIVE_STATES,
            due_at__lt=horizon.end_of_week,
        )
        .exclude(rule="c26_appeal_window")
        .select_related("case", "case__assigned_officer", "case__area")
        .order_by("due_at", "pk")
    )


def bucket(deadline: Deadline, horizon: Horizon) -> str:
    if deadline.state == DeadlineState.OVERDUE or deadline.due_at < horizon.now:
        return "Overdue"
    if deadline.due_at < horizon.end_of_today:
        return "Due today"
    return "Due this week"
