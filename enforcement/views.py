"""Action against perpetrators: the remedies page, recording actions and convictions."""

from django.shortcuts import render

from accounts import permissions
from cases.views.common import case_for
from support.views.common import case_form_page

from .forms import ConvictionForm, EnforcementActionForm, EnforcementUpdateForm
from .selectors import enforcement_action_get, enforcement_panel
from .services import conviction_record, enforcement_action_record, enforcement_action_update


@permissions.role_required(permissions.WORK_CASES | permissions.MANAGE)
def remedies_page(request, pk: int):
    case = case_for(request, pk)
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
def action_new(request, pk: int):
    case = case_for(request, pk)
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
def action_edit(request, pk: int, action_pk: int):
    case = case_for(request, pk)
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
def conviction_new(request, pk: int):
    case = case_for(request, pk)
    form = ConvictionForm(request.POST or None, case=case)

    def save(data):
        conviction_record(case=case, by=request.user, **data)
        return "Conviction recorded (W19)."

    return case_form_page(request, case=case, form=form, title="Record a conviction", save=save)
