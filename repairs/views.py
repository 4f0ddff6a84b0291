"""Repairs reported from a case (W16, C19)."""

from accounts import permissions
from cases.models import CaseAccess
from cases.views.access import case_view
from support.views.common import case_form_page

from .forms import RepairForm, RepairUpdateForm
from .selectors import repair_get
from .services import repair_report, repair_update


@permissions.role_required(permissions.WORK_CASES)
@case_view(CaseAccess.Action.OPENED_REPAIR)
def repair_new(request, case):
    form = RepairForm(request.POST or None)

    def save(data):
        repair = repair_report(case=case, by=request.user, **data)
        return f"Repair logged{': due within the policy timescale' if repair.urgent else ''}."

    return case_form_page(
        request, case=case, form=form, title="Report damage for repair (W16)", save=save
    )


@permissions.role_required(permissions.WORK_CASES)
@case_view(CaseAccess.Action.OPENED_REPAIR, object_kwarg="repair_pk")
def repair_edit(request, case, repair_pk: int):
    repair = repair_get(case=case, pk=repair_pk)
    form = RepairUpdateForm(
        request.POST or None,
        initial={
            "status": repair.status,
            "repair_reference": repair.repair_reference,
            "completed_at": repair.completed_at,
            "repair_cost": repair.repair_cost,
            "cleanup_cost": repair.cleanup_cost,
        },
    )

    def save(data):
        repair_update(repair=repair, by=request.user, **data)
        return "Repair updated."

    return case_form_page(request, case=case, form=form, title=str(repair), save=save)
