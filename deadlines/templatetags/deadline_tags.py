"""Template helpers for deadline lists."""

from functools import lru_cache

from django import template
from django.conf import settings
from django.middleware.csrf import get_token
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape as esc
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from policy.formats import uk_datetime, uk_iso

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


# A primary key no row has: reversed once, then replaced by each row's key.
_MARKER = "2147483647"


def _pk_url(name: str):
    """A function giving ``name``'s URL for a primary key, reversed once per process (and
    URL prefix) rather than once per row; None when the URL is not installed."""
    pattern = _pattern(name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    if pattern is None:
        return None
    return lambda pk: pattern.replace(_MARKER, str(pk))


@lru_cache(maxsize=64)
def _pattern(name: str, prefix: str, urlconf: str) -> str | None:
    # The prefix and the URLconf are in the key: reverse() depends on both.
    try:
        return reverse(name, args=[int(_MARKER)])
    except NoReverseMatch:
        return None


def _case_link(deadline, url) -> str:
    """``deadlines/_deadline_link.html``: the case's reference, linked to its page."""
    reference = esc(deadline.case.reference)
    if url is None:
        return reference
    return f'<a href="{url(deadline.case_id)}">{reference}</a>'


@register.simple_tag
def deadline_case_link(deadline) -> str:
    """``deadlines/_deadline_link.html`` without an include and a reverse per row."""
    return mark_safe(_case_link(deadline, _pk_url(CASE_URL_NAME)))  # noqa: S308 - escaped


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
        f"<div>Started {uk_datetime(deadline.started_at)}: {esc(deadline.started_by)}</div>"
        "\n</details>"
    )
    if state == "met":
        late = " (late)" if deadline.met_late else ""
        by = f" by {esc(deadline.met_by)}" if deadline.met_by else ""
        parts.append(
            f'<div class="small">Met {uk_datetime(deadline.met_at)}{late}{by}: '
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
            f'<div class="small">Waived {uk_datetime(deadline.waived_at)} by '
            f"{esc(deadline.waived_by)}: {esc(deadline.waived_reason)}</div>"
        )
    parts.append(
        '</div>\n<div class="text-end">\n'
        f'<span class="badge {deadline_badge(deadline)}">{esc(deadline.get_state_display())}'
        f'</span>\n<div class="small"><time datetime="{uk_iso(deadline.due_at)}">'
        f"{uk_datetime(deadline.due_at)}</time></div>\n</div>\n</div>\n</li>"
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


# Team deadlines draws its rows here, for the same reason as the deadlines panel: fifty rows of
# tags, an include, two dates, a URL and a form each were most of the page's CPU.


def _team_row(deadline, *, case_url, waive_url, csrf: str | None) -> str:
    overdue = deadline.bucket == "Overdue"
    officer = deadline.case.assigned_officer
    promise = f"<div>{esc(deadline.promise)}</div>" if deadline.promise else ""
    cells = [
        f'<tr data-rule="{esc(deadline.rule)}">',
        f'<td><span class="badge {"text-bg-danger" if overdue else "text-bg-secondary"}">'
        f"{esc(deadline.bucket)}</span></td>",
        f'<td class="text-nowrap">{_case_link(deadline, case_url)}</td>',
        f"<td>{esc(officer) if officer else 'Not assigned'}</td>",
        f"<td>{esc(deadline.get_rule_display())}"
        '<details class="small text-body-secondary"><summary>Why is this due?</summary>'
        f"{promise}<div>{esc(deadline.clause)}</div></details></td>",
        f'<td><time datetime="{uk_iso(deadline.due_at)}">'
        f"{uk_datetime(deadline.due_at)}</time></td>",
    ]
    if waive_url is not None:
        pk = deadline.pk
        cells.append(
            "<td>\n<details>\n<summary>Waive…</summary>\n"
            f'<form method="post" action="{waive_url(pk)}" class="mt-2">\n{csrf}\n'
            f'<label class="form-label small" for="reason-{pk}">Why it no longer applies</label>\n'
            f'<textarea class="form-control form-control-sm" name="reason" id="reason-{pk}" '
            'rows="2" required></textarea>\n<div class="form-check mt-1">\n'
            '<input class="form-check-input" type="checkbox" name="stop_recurring" '
            f'id="stop-{pk}">\n<label class="form-check-label small" for="stop-{pk}">'
            "Stop this recurring promise</label>\n</div>\n"
            '<button type="submit" class="btn btn-sm btn-outline-danger mt-1">Waive</button>\n'
            "</form>\n</details>\n</td>"
        )
    cells.append("</tr>")
    return "\n".join(cells)


@register.simple_tag(takes_context=True)
def team_deadline_rows(context, deadlines, may_waive) -> str:
    """Every row of team deadlines (the caller draws the empty message), each with its
    waiver form when ``may_waive``."""
    request = context.get("request")
    waive_url = _pk_url("deadlines:waive") if may_waive else None
    csrf = ""
    if waive_url is not None and request is not None:
        csrf = format_html(
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
        )
    case_url = _pk_url(CASE_URL_NAME)
    return mark_safe(  # noqa: S308 - every value in the rows is escaped
        "\n".join(
            _team_row(deadline, case_url=case_url, waive_url=waive_url, csrf=csrf)
            for deadline in deadlines
        )
    )
