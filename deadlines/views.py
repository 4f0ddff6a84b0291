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
from cases.selectors import cases_visible_to
from cases.views.access import case_object_view

from .forms import DeadlineWaiveForm
from .models import Deadline
from .registry import other_deadlines_for_team
from .selectors import (
    Horizon,
    bucket,
    deadlines_for_officer,
    deadlines_for_team,
    deadlines_recently_met_by_officer,
)
from .services import deadline_waive

PAGE_SIZE = 50


def _page(request, queryset, horizon):
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    for deadline in page:
        deadline.bucket = bucket(deadline, horizon)
    return page


@permissions.role_required(permissions.WORK_CASES)
def my_work(request):
    horizon = Horizon.at()
    access = request.access
    page = _page(
        request, deadlines_for_officer(user=request.user, access=access, horizon=horizon), horizon
    )
    recently_met = deadlines_recently_met_by_officer(
        user=request.user, access=access, horizon=horizon
    )[:20]
    return render(
        request,
        "deadlines/my_work.html",
        {"page": page, "recently_met": recently_met, "horizon": horizon},
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
