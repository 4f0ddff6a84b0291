"""The case list, the case page and a person's page (C18)."""

from django.core.paginator import Paginator
from django.shortcuts import render

from accounts import permissions
from enforcement.selectors import enforcement_actions_panel
from letters.selectors import case_letters_panel
from repairs.selectors import repairs_panel
from risk.selectors import risk_panel
from support.selectors import plan_panel, support_panel

from ..deadline_selectors import deadlines_for_case
from ..filters import CaseFilter
from ..forms.changes import BulkReassignForm
from ..models import CaseAccess
from ..next_steps import next_steps
from ..selectors import (
    case_file,
    cases_for_list,
    person_get_for_user,
    person_roles,
    tenancy_holders_shown,
)
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
    for case in page:
        # A victim who reported it is also the complainant: name them once.
        case.victim_names = list(dict.fromkeys(party.display_name for party in case.victims))
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
            "bulk_form": (
                BulkReassignForm(organisation=access.organisation, cases=cases)
                if access.can(permissions.MANAGE)
                else None
            ),
        },
    )


@permissions.role_required(permissions.LOG_CASES)
def case_detail(request, pk: int):
    case = case_for(request, pk)
    case_access_record(case=case, user=request.user, action=CaseAccess.Action.VIEWED)
    record = case_file(case=case)
    holders = tenancy_holders_shown(
        people=[party.person for party in record["parties"] if party.person],
        user=request.user,
        access=request.access,
    )
    for party in record["parties"]:
        party.holder_shown = holders.get(party.person_id)
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
            "deadlines": list(deadlines_for_case(case)),
            "may_work": request.access.can(permissions.WORK_CASES),
            "may_manage": request.access.can(permissions.MANAGE),
            "risk": risk_panel(case=case),
            "support": support_panel(case=case),
            "action_plan": plan_panel(case=case),
            "repairs": repairs_panel(case=case),
            "enforcement": enforcement_actions_panel(case=case),
            **case_letters_panel(case=case),
        },
    )


@permissions.role_required(permissions.WORK_CASES)
def person_detail(request, pk: int):
    person = person_get_for_user(user=request.user, access=request.access, pk=pk)
    roles = list(person_roles(person=person, user=request.user, access=request.access))
    # Looking at a person is looking into each of their cases: each case's log records it.
    CaseAccess.objects.bulk_create(
        [
            CaseAccess(
                case_id=case_id,
                user=request.user,
                action=CaseAccess.Action.VIEWED_PERSON,
                object_id=person.pk,
            )
            for case_id in {party.case_id for party in roles}
        ]
    )
    holders = tenancy_holders_shown(people=[person], user=request.user, access=request.access)
    return render(
        request,
        "cases/person_detail.html",
        {"person": person, "roles": roles, "holder": holders.get(person.pk)},
    )
