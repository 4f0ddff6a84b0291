"""Managers see a case's audit trail: every change and every opening."""

from django.shortcuts import render

from accounts import permissions

from ..audit import case_audit_trail
from ..models import CaseAccess
from ..services.access import case_access_record
from .common import case_for


@permissions.role_required(permissions.MANAGE)
def case_audit(request, pk: int):
    case = case_for(request, pk)
    case_access_record(case=case, user=request.user, action=CaseAccess.Action.VIEWED_HISTORY)
    return render(request, "cases/case_audit.html", {"case": case, **case_audit_trail(case=case)})
