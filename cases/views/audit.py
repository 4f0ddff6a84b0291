"""Managers see a case's audit trail: every change and every opening."""

from django.shortcuts import render

from accounts import permissions

from ..audit import case_audit_trail
from ..models import CaseAccess
from .access import case_view


@permissions.role_required(permissions.MANAGE)
@case_view(CaseAccess.Action.VIEWED_HISTORY)
def case_audit(request, case):
    return render(request, "cases/case_audit.html", {"case": case, **case_audit_trail(case=case)})
