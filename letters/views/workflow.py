"""The false-report process (W20) and closing a case (W21, C26) from the case page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from accounts import permissions
from cases.models import CaseAccess
from cases.services.changes import StaleCaseError
from cases.views.access import case_view

from ..forms import (
    AppealForm,
    CaseCloseForm,
    ConcernDecideForm,
    ConcernRaiseForm,
    EvidenceLogForm,
    FollowUpCaseForm,
    SatisfactionForm,
)
from ..models import CaseClosure, FalseReportConcern, SatisfactionMethod
from ..services.closure import (
    case_close,
    case_closure_appeal,
    case_open_follow_up,
    closure_satisfaction_record,
)
from ..services.false_report import (
    false_report_concern_decide,
    false_report_concern_raise,
    false_report_evidence_log,
)
from .common import errors_to_form


def _form_page(request, case, form, title, submit, intro="", **extra):
    context = {"case": case, "form": form, "title": title, "submit": submit, "intro": intro}
    return render(request, "letters/form.html", {**context, **extra})


def _open_concern(case) -> FalseReportConcern:
    concern = FalseReportConcern.objects.filter(case=case, outcome="open").first()
    if concern is None:
        raise Http404("No open concern.")
    return concern


def _latest_closure(case) -> CaseClosure:
    closure = CaseClosure.objects.filter(case=case).first()
    if closure is None:
        raise Http404("The case has not been closed.")
    return closure


def _run(request, form, action, success):
    """Call the service; on a ValidationError put it beside the fields and return None."""
    try:
        result = action()
    except ValidationError as error:
        errors_to_form(error, form)
        return None
    messages.success(request, success)
    return result or True


@permissions.role_required(permissions.WORK_CASES)
@case_view(CaseAccess.Action.OPENED_CLOSING_FORM)
def concern_raise(request, case):
    form = ConcernRaiseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _run(
            request,
            form,
            lambda: false_report_concern_raise(
                case=case, by=request.user, reasons=form.cleaned_data["reasons"]
            ),
            "Concern raised: the letter is on its way and the evidence deadline has started.",
        )
        if done:
            return redirect("cases:detail", pk=case.pk)
    return _form_page(
        request,
        case,
        form,
        "Raise a concern about the information given (W20)",
        "Raise the concern and write to the complainant",
        "The complainant is sent a letter setting out the concern and has 10 working days "
        "(your policy's setting) to give further evidence.",
    )


@permissions.role_required(permissions.WORK_CASES)
@case_view(CaseAccess.Action.OPENED_CLOSING_FORM)
def concern_evidence(request, case):
    concern = _open_concern(case)
    form = EvidenceLogForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _run(
            request,
            form,
            lambda: false_report_evidence_log(
                concern=concern,
                by=request.user,
                received_at=form.cleaned_data["received_at"],
                notes=form.cleaned_data["notes"],
            ),
            "Evidence logged.",
        )
        if done:
            return redirect("cases:detail", pk=case.pk)
    return _form_page(request, case, form, "Log further evidence (W20)", "Log the evidence")


@permissions.role_required(permissions.WORK_CASES)
@case_view(CaseAccess.Action.OPENED_CLOSING_FORM)
def concern_decide(request, case):
    concern = _open_concern(case)
    form = ConcernDecideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _run(
            request,
            form,
            lambda: false_report_concern_decide(
                concern=concern,
                by=request.user,
                resolved=form.cleaned_data["resolved"],
                notes=form.cleaned_data["notes"],
            ),
            "Concern decided.",
        )
        if done:
            return redirect("cases:detail", pk=case.pk)
    return _form_page(request, case, form, "Decide the concern (W20)", "Record the outcome")


@permissions.role_required(permissions.WORK_CASES)
@case_view(CaseAccess.Action.OPENED_CLOSING_FORM)
def close(request, case):
    form = CaseCloseForm(request.POST or None, initial={"version": case.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            done = _run(
                request,
                form,
                lambda: case_close(
                    case=case,
                    by=request.user,
                    reason=data["reason"],
                    rationale=data["rationale"],
                    discussed_with_complainant=data["discussed_with_complainant"],
                    discussed_on=data["discussed_on"],
                    discussion_notes=data["discussion_notes"],
                    expected_version=data["version"],
                ),
                "Case closed. The closure letter is being produced.",
            )
        except StaleCaseError:
            form.add_error(None, "Someone else changed the case while you were closing it.")
            done = None
        if done:
            return redirect("cases:detail", pk=case.pk)
    return _form_page(
        request,
        case,
        form,
        "Close the case (W21, C26)",
        "Close the case",
        "The complainant is sent a closure letter giving the reason and saying that you "
        "remain available.",
    )


@permissions.role_required(permissions.WORK_CASES)
@case_view(CaseAccess.Action.OPENED_CLOSING_FORM)
def appeal(request, case):
    closure = _latest_closure(case)
    form = AppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _run(
            request,
            form,
            lambda: case_closure_appeal(
                closure=closure, by=request.user, grounds=form.cleaned_data["grounds"]
            ),
            "Appeal recorded: the case is open again.",
        )
        if done:
            return redirect("cases:detail", pk=case.pk)
    return _form_page(
        request, case, form, "Record an appeal against closure (C26)", "Reopen the case"
    )


@permissions.role_required(permissions.WORK_CASES)
@case_view(CaseAccess.Action.OPENED_CLOSING_FORM)
def satisfaction(request, case):
    closure = _latest_closure(case)
    form = SatisfactionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _run(
            request,
            form,
            lambda: closure_satisfaction_record(
                closure=closure,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
                method=SatisfactionMethod.PHONE,
                by=request.user,
            ),
            "Satisfaction recorded.",
        )
        if done:
            return redirect("cases:detail", pk=case.pk)
    return _form_page(request, case, form, "Record satisfaction taken by phone (C26)", "Record it")


@permissions.role_required(permissions.WORK_CASES)
@case_view(CaseAccess.Action.OPENED_CLOSING_FORM)
def follow_up(request, case):
    form = FollowUpCaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        new = _run(
            request,
            form,
            lambda: case_open_follow_up(previous=case, by=request.user, **form.cleaned_data),
            "New case opened, linked to the closed one, with the same people.",
        )
        if new:
            return redirect("cases:detail", pk=new.pk)
    return _form_page(
        request,
        case,
        form,
        "A new report about the same people",
        "Open a new linked case",
        f"Opens a new case linked to {case.reference}, with the same people in the same roles.",
    )
