"""My work (officers), the team's deadlines (managers) and waiving a deadline (managers)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts import permissions
from accounts.models import Role
from cases.models import CaseAccess
from cases.selectors import cases_visible_to, complainant_names
from cases.views.access import case_object_view
from cases.views.common import pk_url
from policy.calendar import WorkingCalendar
from policy.settings import policy_for

from .forms import DeadlineWaiveForm
from .models import Deadline
from .registry import other_deadlines_for_team
from .selectors import (
    BUCKETS,
    Horizon,
    bucket,
    deadlines_by_case,
    deadlines_for_officer,
    deadlines_for_team,
    deadlines_recently_met_by_officer,
)
from .services import deadline_waive
from .status import met_status
from .templatetags.deadline_tags import deadline_action_finder

PAGE_SIZE = 50


def _page(request, queryset, horizon):
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    for deadline in page:
        deadline.bucket = bucket(deadline, horizon)
    return page


CASES_PER_PAGE = 25


@permissions.role_required(permissions.WORK_CASES)
def my_work(request):
    """One row per case with all its live deadlines, under the case's most urgent bucket.
    An officer's live deadlines due within the week are few (they are the officer's own
    cases), so they are read in one query and grouped here; the page is of cases."""
    horizon = Horizon.at()
    access = request.access
    deadlines = list(deadlines_for_officer(user=request.user, access=access, horizon=horizon))
    calendar = (
        WorkingCalendar.for_policy(policy_for(access.organisation))
        if deadlines
        else WorkingCalendar()
    )
    work = deadlines_by_case(deadlines, horizon=horizon, calendar=calendar)
    page = Paginator(work, CASES_PER_PAGE).get_page(request.GET.get("page"))
    if page.object_list:
        names = complainant_names(
            case_ids=[entry.case.pk for entry in page],
            visible=cases_visible_to(user=request.user, access=access),
        )
        case_url, action_for = pk_url("cases:detail"), deadline_action_finder()
        for entry in page:
            entry.complainant = names.get(entry.case.pk, "")
            entry.url = case_url(entry.case.pk)
            for deadline in entry.deadlines:
                deadline.action = action_for(deadline)
    recently_met = list(
        deadlines_recently_met_by_officer(user=request.user, access=access, horizon=horizon)[:20]
    )
    for deadline in recently_met:
        deadline.status = met_status(due_at=deadline.due_at, met_at=deadline.met_at)
    groups = [(name, [entry for entry in page if entry.bucket == name]) for name in BUCKETS]
    return render(
        request,
        "deadlines/my_work.html",
        {
            "page": page,
            "groups": [(name, entries) for name, entries in groups if entries],
            "recently_met": recently_met,
            "horizon": horizon,
        },
    )


@permissions.role_required(permissions.MANAGE)
def team_deadlines(request):
    horizon = Horizon.at()
    page = _page(
        request,
        deadlines_for_team(user=request.user, access=request.access, horizon=horizon),
        horizon,
    )
    return render(
        request,
        "deadlines/team_deadlines.html",
        {
            "page": page,
            "horizon": horizon,
            "may_waive": Role.MANAGER in request.access.roles,
            "waive_form": DeadlineWaiveForm(),
            "other_deadlines": other_deadlines_for_team(
                access=request.access, before=horizon.end_of_week
            ),
        },
    )


def _deadline_for(request, pk: int) -> Deadline:
    try:
        return Deadline.objects.select_related("case").get(
            pk=pk, case__in=cases_visible_to(user=request.user, access=request.access)
        )
    except Deadline.DoesNotExist as missing:
        raise Http404("No such deadline.") from missing


@require_POST
@permissions.role_required({Role.MANAGER})
@case_object_view(CaseAccess.Action.VIEWED_DEADLINE, load=_deadline_for, name="deadline")
def deadline_waive_view(request, deadline):
    form = DeadlineWaiveForm(request.POST)
    if form.is_valid():
        try:
            deadline_waive(
                deadline=deadline,
                by=request.user,
                reason=form.cleaned_data["reason"],
                stop_recurring=form.cleaned_data["stop_recurring"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{deadline.get_rule_display()} waived on {deadline.case}.")
            return HttpResponseRedirect(reverse("deadlines:team"))
    return render(
        request,
        "deadlines/deadline_waive.html",
        {"deadline": deadline, "form": form},
        status=400,
    )
