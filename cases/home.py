"""The figures on each user's home page: what is waiting for them, by role, in a few counts."""

from django.db.models import Count, Q

from accounts import permissions
from accounts.models import Role
from deadlines.models import LIVE_STATES, Deadline
from deadlines.selectors import Horizon

from .models import OnlineReport
from .models.choices import Status
from .selectors import cases_visible_to

# How many requests waiting for a panel member's vote the home page lists by name.
AWAITING_SHOWN = 5


def _deadline_counts(deadlines, horizon: Horizon) -> dict[str, int]:
    return deadlines.exclude(rule="c26_appeal_window").aggregate(
        overdue=Count("pk", filter=Q(due_at__lt=horizon.now)),
        due_today=Count("pk", filter=Q(due_at__gte=horizon.now, due_at__lt=horizon.end_of_today)),
        due_this_week=Count(
            "pk", filter=Q(due_at__gte=horizon.end_of_today, due_at__lt=horizon.end_of_week)
        ),
    )


def home_figures(*, user, access) -> dict:
    """One aggregate query per panel the user's roles give them."""
    horizon = Horizon.at()
    visible = cases_visible_to(user=user, access=access)
    figures: dict = {}
    if access.can({Role.OFFICER}):
        mine = visible.filter(assigned_officer=user)
        figures["mine"] = _deadline_counts(
            Deadline.objects.filter(case__in=mine, state__in=LIVE_STATES), horizon
        ) | {"open_cases": mine.exclude(status=Status.CLOSED).count()}
    if access.can(permissions.MANAGE):
        figures["team"] = _deadline_counts(
            Deadline.objects.filter(case__in=visible, state__in=LIVE_STATES), horizon
        ) | {"open_cases": visible.exclude(status=Status.CLOSED).count()}
    if access.can(permissions.LOG_CASES):
        figures["triage"] = OnlineReport.objects.filter(
            organisation=access.organisation, status=OnlineReport.Status.NEW
        ).count()
    if access.can(permissions.SIT_ON_PANEL):
        from transfers.selectors import meetings_for_panel, requests_awaiting_vote

        # The requests waiting for this member's vote and the meeting each is on: the next
        # meeting's agenda may be empty while requests wait on a later one.
        waiting = list(requests_awaiting_vote(user=user, access=access)[: AWAITING_SHOWN + 1])
        figures["panel"] = {
            "next_meeting": meetings_for_panel(access=access)
            .filter(closed_at__isnull=True, meets_at__gte=horizon.now)
            .order_by("meets_at")
            .first(),
            "awaiting_vote": waiting[:AWAITING_SHOWN],
            "more_waiting": len(waiting) > AWAITING_SHOWN,
        }
    return figures
