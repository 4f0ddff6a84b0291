"""The organisation's directory of support agencies (W12)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from accounts import permissions
from cases.views.common import errors_to_form

from ..forms import AgencyForm
from ..selectors import agencies_for, agency_get
from ..services.referrals import agency_save

PAGE_SIZE = 25


@permissions.role_required(permissions.WORK_CASES | permissions.MANAGE)
def agency_list(request):
    agencies = agencies_for(organisation=request.access.organisation).order_by("name", "pk")
    page = Paginator(agencies, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "support/agency_list.html",
        {"page": page, "may_edit": request.access.can(permissions.MANAGE)},
    )


@permissions.role_required(permissions.MANAGE)
def agency_edit(request, pk: int | None = None):
    organisation = request.access.organisation
    agency = agency_get(organisation=organisation, pk=pk) if pk else None
    form = AgencyForm(request.POST or None, instance=agency)
    if request.method == "POST" and form.is_valid():
        try:
            agency_save(
                organisation=organisation,
                by=request.user,
                agency=agency,
                **{name: form.cleaned_data[name] for name in AgencyForm.Meta.fields},
            )
        except ValidationError as error:
            errors_to_form(error, form)
        else:
            messages.success(request, "Agency saved.")
            return redirect("support:agencies")
    return render(request, "support/agency_form.html", {"form": form, "agency": agency})
