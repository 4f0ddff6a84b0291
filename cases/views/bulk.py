"""Managers reassign several cases at once from the case list."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts import permissions

from ..forms.changes import BulkReassignForm
from ..selectors import cases_visible_to
from ..services.bulk import cases_bulk_reassign


@require_POST
@permissions.role_required(permissions.MANAGE)
def cases_bulk_reassign_view(request):
    visible = cases_visible_to(user=request.user, access=request.access)
    form = BulkReassignForm(request.POST, organisation=request.access.organisation, cases=visible)
    if not form.is_valid():
        # The ticked cases, the officer and the reason come back with the errors beside them.
        return render(request, "cases/bulk_reassign.html", {"form": form}, status=400)
    try:
        count = cases_bulk_reassign(
            organisation=request.access.organisation,
            case_ids=[case.pk for case in form.cleaned_data["cases"]],
            by=request.user,
            officer=form.cleaned_data["officer"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"{count} cases reassigned to {form.cleaned_data['officer'].full_name}."
        )
    return redirect("cases:list")
