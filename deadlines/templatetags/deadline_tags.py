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


# The page where an officer records each action that can meet a deadline, and the words of
# its link: every rule an officer can miss is met from a page, never only by a manager's
# waiver. A window that closes by itself (the appeal window) shows no link.
ACTION_PAGES: dict[str, tuple[str, str]] = {
    "contact": ("cases:contact_add", "Record the contact"),
    "support_referral": ("support:offer", "Make the referral"),
    "safeguarding_referral": ("support:safeguarding", "Make the safeguarding referral"),
    "repair_done": ("repairs:edit", "Record the repair"),
    "plan_agreed": ("support:plan_agree", "Agree the action plan"),
    "plan_reviewed": ("support:plan_review", "Review the action plan"),
    "plan_issued": ("support:plan_issue", "Issue the updated plan"),
    "case_reviewed": ("cases:review_add", "Record the case review"),
    "evidence_received": ("letters:concern_evidence", "Record further evidence"),
    "concern_decided": ("letters:concern_decide", "Decide the concern"),
    "case_closed": ("letters:close", "Close the case"),
    "appeal_received": ("letters:appeal", "Record the appeal"),
}


@register.simple_tag
def deadline_action(deadline) -> dict | None:
    """The link that meets a live deadline, or None (met, waived, a window, or no action)."""
    rule = deadline.policy_rule
    if deadline.state not in ("open", "overdue") or deadline.window or rule is None:
        return None
    for matcher in rule.met_by:
        name, label = ACTION_PAGES.get(matcher.get("action"), (None, ""))
        if name is None:
            continue
        args = [deadline.case_id]
        if name == "repairs:edit":
            if not deadline.source_key.startswith("repair-"):
                continue
            args.append(int(deadline.source_key.removeprefix("repair-")))
        try:
            return {"url": reverse(name, args=args), "label": label}
        except NoReverseMatch:
            continue
    return None
