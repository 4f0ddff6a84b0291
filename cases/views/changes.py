"""Changing a case or a person, with optimistic locking: a stale save is refused, input kept."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from accounts import permissions

from ..forms import (
    CaseEditForm,
    ContactFrequencyForm,
    PersonForm,
    ReassignForm,
    RecategoriseForm,
    RestrictForm,
)
from ..models import CaseAccess
from ..selectors import person_get_for_update
from ..services.access import case_restrict
from ..services.changes import (
    StaleCaseError,
    case_contact_frequency_agree,
    case_reassign,
    case_recategorise,
    case_update,
)
from ..services.parties import StalePersonError, person_update
from .access import case_view, person_view
from .common import case_for, errors_to_form, stale_refused


@permissions.role_required(permissions.WORK_CASES)
@case_view(CaseAccess.Action.OPENED_CASE_FORM)
def case_edit(request, case):
    form = CaseEditForm(request.POST or None, instance=case)
    if request.method == "POST":
        # ModelForm validation writes to the instance; keep a clean copy for the service.
        case = case_for(request, case.pk)
        if form.is_valid():
            data = form.cleaned_data
            fields = {name: data[name] for name in CaseEditForm.Meta.fields}
            try:
                case_update(
                    case=case,
                    by=request.user,
                    expected_version=data["version"],
                    reason=data["reason"] or "Case details changed",
                    **fields,
                )
            except StaleCaseError:
                stale_refused(form, "case", case.version)
            else:
                messages.success(request, "Case saved.")
                return redirect("cases:detail", pk=case.pk)
    return render(
        request,
        "cases/case_change.html",
        {"case": case, "form": form, "title": "Edit the case", "current": case},
    )


def _versioned(
    request, case, form_class, service, title, success, needed_kwargs=None, initial=None
):
    extra = {"organisation": case.organisation} if needed_kwargs else {}
    form = form_class(
        request.POST or None,
        initial={"version": case.version, **(initial(case) if initial else {})},
        **extra,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            service(case=case, by=request.user, expected_version=version, **data)
        except StaleCaseError:
            stale_refused(form, "case", case.version)
        except ValidationError as error:
            errors_to_form(error, form)
        else:
            messages.success(request, success)
            return redirect("cases:detail", pk=case.pk)
    return render(
        request,
        "cases/case_change.html",
        {"case": case, "form": form, "title": title, "current": case},
    )


@permissions.role_required(permissions.WORK_CASES)
@case_view(CaseAccess.Action.OPENED_CASE_FORM)
def case_recategorise_view(request, case):
    """C07: a new category with who, when and why; the original stays on the case."""
    return _versioned(
        request,
        case,
        RecategoriseForm,
        case_recategorise,
        "Change the category",
        "Category changed.",
    )


@permissions.role_required(permissions.WORK_CASES)
@case_view(CaseAccess.Action.OPENED_CASE_FORM)
def case_contact_frequency_view(request, case):
    """W13 / C22: how often the complainant is called, as agreed with them."""
    return _versioned(
        request,
        case,
        ContactFrequencyForm,
        case_contact_frequency_agree,
        "How often to call the complainant",
        "Contact frequency saved; the next welfare call moved with it.",
        initial=lambda case: {"days": case.agreed_contact_days},
    )


@permissions.role_required(permissions.MANAGE)
@case_view(CaseAccess.Action.OPENED_CASE_FORM)
def case_reassign_view(request, case):
    return _versioned(
        request,
        case,
        ReassignForm,
        case_reassign,
        "Reassign the case",
        "Case reassigned.",
        needed_kwargs=True,
    )


@permissions.role_required(permissions.MANAGE)
@case_view(CaseAccess.Action.OPENED_CASE_FORM)
def case_restrict_view(request, case):
    if request.method != "POST":
        form = RestrictForm(
            organisation=case.organisation,
            initial={
                "version": case.version,
                "restricted": case.restricted,
                "named_staff": list(case.named_staff.all()),
            },
        )
        return render(
            request,
            "cases/case_change.html",
            {"case": case, "form": form, "title": "Who may open this case", "current": case},
        )
    return _versioned(
        request,
        case,
        RestrictForm,
        lambda **kw: case_restrict(**{**kw, "named_staff": list(kw["named_staff"])}),
        "Who may open this case",
        "Access to the case changed.",
        needed_kwargs=True,
    )


@permissions.role_required(permissions.WORK_CASES)
@person_view(CaseAccess.Action.OPENED_PERSON_FORM, for_update=True)
def person_edit(request, person, roles):
    form = PersonForm(
        request.POST or None, instance=person, user=request.user, access=request.access
    )
    if request.method == "POST":
        # ModelForm validation writes to the instance; a clean copy for the service.
        person = person_get_for_update(user=request.user, access=request.access, pk=person.pk)
        if form.is_valid():
            version = form.cleaned_data["version"] or 0
            try:
                person_update(
                    person=person,
                    by=request.user,
                    expected_version=version,
                    **form.person_fields(),
                )
            except StalePersonError:
                stale_refused(form, "person", person.version)
            except ValidationError as error:
                errors_to_form(error, form)
            else:
                messages.success(request, "Details saved.")
                return redirect("cases:person", pk=person.pk)
    return render(request, "cases/person_form.html", {"person": person, "form": form})
