"""The action plan on a case (C12, C21, C22)."""

from django.http import Http404

from accounts import permissions
from cases.models import CaseAccess
from cases.views.access import case_view

from ..forms import (
    PlanActionForm,
    PlanActionUpdateForm,
    PlanAgreeForm,
    PlanIssueForm,
    PlanReviewForm,
)
from ..models import ActionPlan
from ..selectors import plan_action_get
from ..services.plans import (
    action_plan_agree,
    action_plan_issue,
    action_plan_review,
    plan_action_add,
    plan_action_update,
)
from .common import case_form_page


def _plan(case) -> ActionPlan:
    plan = ActionPlan.objects.filter(case=case).first()
    if plan is None:
        raise Http404("This case has no action plan yet.")
    return plan


@permissions.role_required(permissions.WORK_CASES)
@case_view(CaseAccess.Action.OPENED_PLAN)
def plan_action_add_view(request, case):
    form = PlanActionForm(request.POST or None, case=case)

    def save(data):
        plan_action_add(case=case, by=request.user, **data)
        return "Added to the action plan: a new version is to be issued (C22)."

    return case_form_page(request, case=case, form=form, title="Add to the action plan", save=save)


@permissions.role_required(permissions.WORK_CASES)
@case_view(CaseAccess.Action.OPENED_PLAN, object_kwarg="action_pk")
def plan_action_update_view(request, case, action_pk: int):
    action = plan_action_get(case=case, pk=action_pk)
    form = PlanActionUpdateForm(
        request.POST or None,
        initial={"status": action.status, "owner": action.owner, "due_date": action.due_date},
    )

    def save(data):
        plan_action_update(action=action, by=request.user, **data)
        return "Action plan updated."

    return case_form_page(request, case=case, form=form, title=action.description, save=save)


@permissions.role_required(permissions.WORK_CASES)
@case_view(CaseAccess.Action.OPENED_PLAN)
def plan_agree_view(request, case):
    form = PlanAgreeForm(request.POST or None)

    def save(data):
        action_plan_agree(case=case, by=request.user, **data)
        return "Action plan agreed with the complainant (C21)."

    return case_form_page(request, case=case, form=form, title="Agree the action plan", save=save)


@permissions.role_required(permissions.WORK_CASES)
@case_view(CaseAccess.Action.OPENED_PLAN)
def plan_review_view(request, case):
    plan = _plan(case)
    form = PlanReviewForm(request.POST or None)

    def save(data):
        action_plan_review(plan=plan, by=request.user, **data)
        return "Review recorded (C22)."

    return case_form_page(request, case=case, form=form, title="Review the action plan", save=save)


@permissions.role_required(permissions.WORK_CASES)
@case_view(CaseAccess.Action.OPENED_PLAN)
def plan_issue_view(request, case):
    plan = _plan(case)
    form = PlanIssueForm(request.POST or None, case=case)

    def save(data):
        letter = action_plan_issue(plan=plan, by=request.user, **data)
        return (
            f"Version {plan.version} issued to {letter.recipient.display_name} as a letter; "
            "the worker is producing the PDF (C22)."
        )

    return case_form_page(
        request,
        case=case,
        form=form,
        title=f"Issue version {plan.version} of the action plan",
        save=save,
        intro="The plan's actions go to the complainant as a letter from your action plan "
        "template. Names the recipient may not see (C11) are withheld.",
    )
