"""Action against perpetrators: the remedies page, recording actions and convictions."""

from django.shortcuts import render

from accounts import permissions
from cases.models import CaseAccess
from cases.views.access import case_view
from support.views.common import case_form_page

from .forms import ConvictionForm, EnforcementActionForm, EnforcementUpdateForm
from .selectors import enforcement_action_get, enforcement_panel
from .services import conviction_record, enforcement_action_record, enforcement_action_update


@permissions.role_required(permissions.WORK_CASES | permissions.MANAGE)
@case_view(CaseAccess.Action.VIEWED_ENFORCEMENT)
def remedies_page(request, case):
    return render(
        request,
        "enforcement/remedies.html",
        {
            "case": case,
            **enforcement_panel(case=case),
            "may_work": request.access.can(permissions.WORK_CASES),
        },
    )


@permissions.role_required(permissions.WORK_CASES)
@case_view(CaseAccess.Action.OPENED_ENFORCEMENT_FORM)
def action_new(request, case):
    initial = {}
    if request.GET.get("remedy"):
        initial["remedy"] = request.GET["remedy"]
    if request.GET.get("party", "").isdigit():
        initial["party"] = int(request.GET["party"])
    form = EnforcementActionForm(request.POST or None, case=case, initial=initial)

    def save(data):
        action = enforcement_action_record(case=case, by=request.user, **data)
        return f"{action.get_remedy_display()} recorded."

    return case_form_page(
        request, case=case, form=form, title="Record action against a perpetrator", save=save
    )


@permissions.role_required(permissions.WORK_CASES)
@case_view(CaseAccess.Action.OPENED_ENFORCEMENT_FORM, object_kwarg="action_pk")
def action_edit(request, case, action_pk: int):
    action = enforcement_action_get(case=case, pk=action_pk)
    form = EnforcementUpdateForm(
        request.POST or None,
        initial={
            "status": action.status,
            "legal_costs": action.legal_costs,
            "other_costs": action.other_costs,
            "notes": action.notes,
        },
    )

    def save(data):
        enforcement_action_update(action=action, by=request.user, **data)
        return "Action updated."

    return case_form_page(
        request, case=case, form=form, title=action.get_remedy_display(), save=save
    )


@permissions.role_required(permissions.WORK_CASES)
@case_view(CaseAccess.Action.OPENED_ENFORCEMENT_FORM)
def conviction_new(request, case):
    form = ConvictionForm(request.POST or None, case=case)

    def save(data):
        conviction_record(case=case, by=request.user, **data)
        return "Conviction recorded (W19)."

    return case_form_page(request, case=case, form=form, title="Record a conviction", save=save)
