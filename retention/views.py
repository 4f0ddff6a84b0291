"""Retention pages: the schedule, what goes next month (and a dry run of now), the runs,
legal holds on a case, and erasure requests. Managers and organisation admins only; the
schedule is changed by organisation admins."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from accounts import permissions
from cases.models import CaseAccess
from cases.views.access import case_view, person_view
from cases.views.common import errors_to_form

from .forms import (
    ErasureDecisionForm,
    ErasureRequestForm,
    HoldForm,
    ReleaseForm,
    RetentionRuleForm,
)
from .models import ErasureRequest, RetentionKind
from .selectors import (
    NEXT_MONTH,
    erasure_requests,
    hold_standing_for_case,
    holds_standing,
    retention_due,
    retention_schedule,
    run_get,
    runs_recent,
)
from .services.erasure import erasure_request_decide, erasure_request_record
from .services.holds import legal_hold_place, legal_hold_release
from .services.schedule import retention_rule_set


@permissions.role_required(permissions.MANAGE)
def overview(request):
    """What goes in the next month, what a hold keeps, the schedule and the latest runs."""
    organisation = request.access.organisation
    now = timezone.now()
    return render(
        request,
        "retention/overview.html",
        {
            "due": retention_due(organisation=organisation, at=now + NEXT_MONTH),
            "now": now,
            "schedule": retention_schedule(organisation=organisation).values(),
            "holds": holds_standing(organisation=organisation),
            "runs": runs_recent(organisation=organisation),
            "pending_erasures": erasure_requests(organisation=organisation)
            .filter(decision=ErasureRequest.Decision.PENDING)
            .count(),
        },
    )


@permissions.role_required(permissions.MANAGE)
def dry_run(request):
    """Exactly what a run now would take, changing nothing."""
    organisation = request.access.organisation
    return render(
        request,
        "retention/dry_run.html",
        {"due": retention_due(organisation=organisation, at=timezone.now())},
    )


@permissions.role_required(permissions.MANAGE)
def schedule(request):
    return render(
        request,
        "retention/schedule.html",
        {
            "schedule": retention_schedule(organisation=request.access.organisation).values(),
            "may_edit": request.access.can(permissions.ADMINISTER),
        },
    )


@permissions.role_required(permissions.ADMINISTER)
def rule_edit(request, kind: str):
    if kind not in RetentionKind.values:
        raise Http404
    rule = retention_schedule(organisation=request.access.organisation)[kind]
    initial = {"amount": rule.amount, "unit": rule.unit, "reason": rule.reason}
    form = RetentionRuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            retention_rule_set(
                organisation=request.access.organisation,
                kind=kind,
                by=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            errors_to_form(error, form)
        else:
            messages.success(request, f"Retention of {rule.label.lower()} saved.")
            return redirect("retention:schedule")
    return render(request, "retention/rule_form.html", {"form": form, "rule": rule})


@permissions.role_required(permissions.MANAGE)
def run_detail(request, pk: int):
    run = run_get(organisation=request.access.organisation, pk=pk)
    return render(
        request,
        "retention/run_detail.html",
        {"run": run, "disposals": run.disposals.order_by("model", "object_id")},
    )


@permissions.role_required(permissions.MANAGE)
@case_view(CaseAccess.Action.OPENED_CASE_FORM)
def hold_place(request, case):
    form = HoldForm(request.POST or None)
    standing = hold_standing_for_case(case=case)
    if request.method == "POST" and form.is_valid():
        try:
            legal_hold_place(case=case, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            errors_to_form(error, form)
        else:
            messages.success(request, f"{case.reference} is under a legal hold.")
            return redirect("cases:detail", pk=case.pk)
    return render(
        request, "retention/hold_form.html", {"case": case, "form": form, "standing": standing}
    )


@permissions.role_required(permissions.MANAGE)
@case_view(CaseAccess.Action.OPENED_CASE_FORM)
def hold_release(request, case):
    hold = hold_standing_for_case(case=case)
    if hold is None:  # released meanwhile, or a second tab
        messages.info(request, f"No legal hold stands on {case.reference}.")
        return redirect("cases:detail", pk=case.pk)
    form = ReleaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            legal_hold_release(hold=hold, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            errors_to_form(error, form)
        else:
            messages.success(request, f"The legal hold on {case.reference} was released.")
            return redirect("cases:detail", pk=case.pk)
    return render(
        request, "retention/release_form.html", {"case": case, "form": form, "hold": hold}
    )


@permissions.role_required(permissions.MANAGE)
def erasure_list(request):
    return render(
        request,
        "retention/erasure_list.html",
        {"requests": erasure_requests(organisation=request.access.organisation)},
    )


@permissions.role_required(permissions.MANAGE)
@person_view(CaseAccess.Action.OPENED_CASE_FORM)
def erasure_new(request, person, roles):
    form = ErasureRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            erasure = erasure_request_record(person=person, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            errors_to_form(error, form)
        else:
            messages.success(request, "Erasure request recorded: decide it within a month.")
            return redirect("retention:erasure_decide", pk=person.pk, request_pk=erasure.pk)
    return render(
        request, "retention/erasure_form.html", {"person": person, "roles": roles, "form": form}
    )


@permissions.role_required(permissions.MANAGE)
@person_view(CaseAccess.Action.OPENED_CASE_FORM)
def erasure_decide(request, person, roles, request_pk: int):
    erasure = get_object_or_404(
        ErasureRequest,
        pk=request_pk,
        person=person,
        organisation=request.access.organisation,
    )
    form = ErasureDecisionForm(request.POST or None)
    if (
        request.method == "POST"
        and erasure.decision == ErasureRequest.Decision.PENDING
        and form.is_valid()
    ):
        try:
            erasure_request_decide(
                request=erasure,
                by=request.user,
                erase=form.cleaned_data["decision"] == "erase",
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            errors_to_form(error, form)
        else:
            messages.success(request, "Decision recorded.")
            return redirect("retention:erasure_list")
    return render(
        request,
        "retention/erasure_decide.html",
        {"person": person, "roles": roles, "erasure": erasure, "form": form},
    )
