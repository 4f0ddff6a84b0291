"""Template helpers for deadline lists."""

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()

# The case page's URL name (cases app). Until it is installed, lists show the reference
# without a link rather than failing.
CASE_URL_NAME = "cases:detail"


@register.filter
def case_url(case) -> str:
    try:
        return reverse(CASE_URL_NAME, args=[case.pk])
    except NoReverseMatch:
        return ""


@register.simple_tag
def deadline_badge(deadline) -> str:
    return {
        "open": "text-bg-primary",
        "met": "text-bg-success",
        "overdue": "text-bg-danger",
        "waived": "text-bg-secondary",
    }.get(deadline.state, "text-bg-light")


# The page where an officer records what meets each rule, and the words of its link. Every
# rule an officer can miss has one: none is left to a manager's waiver or to closing the case.
# The appeal window is not an officer's task and has none.
DEADLINE_ACTIONS: dict[str, tuple[str, str]] = {
    "w08_first_contact": ("cases:contact_add", "Record the contact"),
    "c19_officer_contact": ("cases:contact_add", "Record the contact"),
    "c20_interview": ("cases:contact_add", "Record the interview"),
    "c21_action_plan": ("support:plan_agree", "Agree the action plan"),
    "c22_first_plan_review": ("support:plan_review", "Review the action plan"),
    "c22_plan_review": ("support:plan_review", "Review the action plan"),
    "c22_updated_plan_issued": ("support:plan_issue", "Issue the updated plan"),
    "w13_welfare_call": ("support:welfare_call", "Log the welfare call"),
    "c19_repair": ("repairs:edit", "Record the repair"),
    "c26_case_review": ("cases:review_add", "Record the case review"),
    "w20_false_report_evidence": ("letters:concern_evidence", "Record further evidence"),
    "w15_safeguarding_referral": ("support:safeguarding", "Make the safeguarding referral"),
    "c16_weekend_referral": ("support:offer", "Refer for weekend support"),
}


@register.simple_tag
def deadline_action(deadline) -> dict | None:
    """The link that meets a live deadline, or None (met, waived, or not an officer's task)."""
    if deadline.state not in ("open", "overdue") or deadline.rule not in DEADLINE_ACTIONS:
        return None
    name, label = DEADLINE_ACTIONS[deadline.rule]
    args = [deadline.case_id]
    if name == "repairs:edit":
        if not (deadline.source_key or "").isdigit():
            return None
        args.append(int(deadline.source_key))
    try:
        return {"url": reverse(name, args=args), "label": label}
    except NoReverseMatch:
        return None
