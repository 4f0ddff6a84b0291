from django.shortcuts import get_object_or_404

from cases.models import Case

from .models import Repair


def repairs_panel(*, case: Case, any_repairs: bool = True) -> dict:
    """Repairs on the case with their costs (W16, C19): one query, none when the caller
    already knows there are none."""
    repairs = (
        list(Repair.objects.filter(case=case).select_related("recorded_by")) if any_repairs else []
    )
    return {
        "repairs": repairs,
        "repair_costs": sum(r.repair_cost for r in repairs),
        "cleanup_costs": sum(r.cleanup_cost for r in repairs),
    }


def repair_get(*, case: Case, pk: int) -> Repair:
    return get_object_or_404(Repair, case=case, pk=pk)
