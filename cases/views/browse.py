"""The case list, the case page and a person's page (C18)."""

from django.core.paginator import Paginator
from django.shortcuts import render

from accounts import permissions
from letters.selectors import case_letters_panel

from ..filters import CaseFilter
from ..models import CaseAccess
from ..next_steps import next_steps
from ..selectors import case_file, cases_for_list, person_get_for_user, person_roles
from ..services.access import case_access_record
from .common import case_for

PAGE_SIZE = 25


@permissions.role_required(permissions.LOG_CASES)
def case_list(request):
    access = request.access
    may_see_all_areas = not access.can(permissions.MANAGE)
    scope = request.GET.get("scope", "mine") if may_see_all_areas else "all"
    cases = cases_for_list(user=request.user, access=access, scope=scope)
    case_filter = CaseFilter(request.GET or None, queryset=cases, organisation=access.organisation)
    rows = case_filter.qs if case_filter.is_bound else cases
    if not request.GET.get("sort"):
        rows = rows.order_by("-received_at", "-pk")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/case_list.html",
        {
            "filter": case_filter,
            "page": page,
            "scope": scope,
            "scope_toggle": may_see_all_areas,
            "query_string": query.urlencode(),
        },
    )


@permissions.role_required(permissions.LOG_CASES)
def case_detail(request, pk: int):
    case = case_for(request, pk)
    case_access_record(case=case, user=request.user, action=CaseAccess.Action.VIEWED)
    record = case_file(case=case)
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            **record,
            "next_steps": next_steps(
                case=case,
                parties=record["parties"],
                incidents=record["incidents"],
                contacts=record["contacts"],
            ),
            "may_work": request.access.can(permissions.WORK_CASES),
            "may_manage": request.access.can(permissions.MANAGE),
            **case_letters_panel(case=case),
        },
    )


@permissions.role_required(permissions.WORK_CASES)
def person_detail(request, pk: int):
    person = person_get_for_user(access=request.access, pk=pk)
    roles = person_roles(person=person, user=request.user, access=request.access)
    return render(request, "cases/person_detail.html", {"person": person, "roles": roles})
