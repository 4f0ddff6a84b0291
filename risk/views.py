"""Risk Assessment Matrix pages: complete one on a case, read one, publish a new version."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from accounts import permissions
from cases.models import CaseAccess
from cases.views.access import case_view
from cases.views.common import errors_to_form

from .defaults import format_questions
from .forms import AssessmentForm, QuestionSetForm
from .selectors import assessment_get, question_set_current, question_sets_for
from .services import assessment_complete, question_set_ensure_default, question_set_publish


@permissions.role_required(permissions.WORK_CASES)
@case_view(CaseAccess.Action.OPENED_RISK_FORM)
def assessment_new(request, case):
    question_set = question_set_current(organisation=case.organisation)
    if question_set is None:
        question_set_ensure_default(organisation=case.organisation)
        question_set = question_set_current(organisation=case.organisation)
    form = AssessmentForm(request.POST or None, case=case, question_set=question_set)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assessment = assessment_complete(
                case=case,
                by=request.user,
                question_set=question_set,
                method=data["method"],
                respondent=data["respondent"],
                completed_at=data["completed_at"],
                answers=form.answers(),
                level=data["level"],
                raise_reason=data["raise_reason"],
                notes=data["notes"],
            )
        except ValidationError as error:
            errors_to_form(error, form)
        else:
            messages.success(
                request,
                f"Risk assessment recorded: score {assessment.score}, "
                f"{assessment.get_level_display()} risk.",
            )
            return redirect("cases:detail", pk=case.pk)
    return render(
        request,
        "risk/assessment_form.html",
        {"case": case, "form": form, "question_set": question_set},
    )


@permissions.role_required(permissions.WORK_CASES | permissions.MANAGE)
@case_view(CaseAccess.Action.VIEWED_RISK, object_kwarg="assessment_pk")
def assessment_detail(request, case, assessment_pk: int):
    assessment = assessment_get(case=case, pk=assessment_pk)
    return render(request, "risk/assessment_detail.html", {"case": case, "assessment": assessment})


@permissions.role_required(permissions.ADMINISTER)
def question_sets(request):
    organisation = request.access.organisation
    current = question_set_current(organisation=organisation)
    initial = {}
    if current is not None:
        initial = {
            "title": current.title,
            "medium_from": current.medium_from,
            "high_from": current.high_from,
            "questions_text": format_questions(current),
        }
    form = QuestionSetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            published = question_set_publish(
                organisation=organisation, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            errors_to_form(error, form)
        else:
            messages.success(request, f"Version {published.version} published.")
            return redirect("risk:question_sets")
    return render(
        request,
        "risk/question_sets.html",
        {"form": form, "versions": question_sets_for(organisation=organisation)[:50]},
    )
