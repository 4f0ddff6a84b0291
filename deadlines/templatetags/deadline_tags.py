"""Template helpers for deadline lists."""

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import conditional_escape as esc
from django.utils.safestring import mark_safe

from policy.templatetags.uk_time import uk_time

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
def deadline_action(deadline, _reverse=reverse) -> dict | None:
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
            return {"url": _reverse(name, args=args), "label": label}
        except NoReverseMatch:
            continue
    return None


def deadline_action_finder():
    """``deadline_action`` for a page of many deadlines: each URL reversed once, however
    many deadlines link to it (a busy case has dozens of welfare calls met by a contact)."""
    reversed_urls: dict[tuple, str] = {}

    def cached_reverse(name, args):
        key = (name, *args)
        if key not in reversed_urls:
            reversed_urls[key] = reverse(name, args=args)
        return reversed_urls[key]

    return lambda deadline: deadline_action(deadline, _reverse=cached_reverse)


# The case page's deadlines panel draws its rows here rather than in the template: a busy
# case has 80 or more deadlines, and the template engine's tags, filters and lookups per row
# were a large part of the page's CPU. The HTML is the template's, every value escaped as
# the template escaped it.
WHEN = "D j M Y, H:i"


def _deadline_row(deadline, may_work: bool, action_for=deadline_action) -> str:
    rule = esc(deadline.get_rule_display())
    state = deadline.state
    parts = [
        f'<li class="list-group-item" data-rule="{esc(deadline.rule)}" data-state="{esc(state)}">'
        '\n<div class="d-flex justify-content-between align-items-start gap-2">\n<div>\n'
        f'<div class="fw-semibold">{rule}</div>'
    ]
    if deadline.promise:
        parts.append(f'<div class="small">{esc(deadline.promise)}</div>')
    parts.append(
        '<details class="small text-body-secondary">\n<summary>Why is this due?</summary>\n'
        f"<div>{esc(deadline.clause)}</div>\n"
        f"<div>Started {uk_time(deadline.started_at, WHEN)}: {esc(deadline.started_by)}</div>"
        "\n</details>"
    )
    if state == "met":
        late = " (late)" if deadline.met_late else ""
        by = f" by {esc(deadline.met_by)}" if deadline.met_by else ""
        parts.append(
            f'<div class="small">Met {uk_time(deadline.met_at, WHEN)}{late}{by}: '
            f"{esc(deadline.met_source)}</div>"
        )
    if may_work and deadline.is_live:
        action = action_for(deadline)
        if action:
            parts.append(
                f'<a class="small" href="{esc(action["url"])}">{esc(action["label"])}'
                f'<span class="visually-hidden">: {rule}</span></a>'
            )
    if state == "waived":
        parts.append(
            f'<div class="small">Waived {uk_time(deadline.waived_at, WHEN)} by '
            f"{esc(deadline.waived_by)}: {esc(deadline.waived_reason)}</div>"
        )
    parts.append(
        '</div>\n<div class="text-end">\n'
        f'<span class="badge {deadline_badge(deadline)}">{esc(deadline.get_state_display())}'
        f'</span>\n<div class="small"><time datetime="{uk_time(deadline.due_at, "c")}">'
        f"{uk_time(deadline.due_at, 'D j M, H:i')}</time></div>\n</div>\n</div>\n</li>"
    )
    return "\n".join(parts)


@register.simple_tag(takes_context=True)
def deadline_rows(context, deadlines) -> str:
    """Every row of the deadlines panel (the caller draws the empty message)."""
    may_work = bool(context.get("may_work"))
    action_for = deadline_action_finder()
    return mark_safe(  # noqa: S308 - every value in the rows is escaped
        "\n".join(_deadline_row(deadline, may_work, action_for) for deadline in deadlines)
    )
