"""What each deadline rule promises and how its due time is computed from policy settings.

The numbers come from the organisation's ``PolicySettings`` (accounts.policy); the clause
references here are what an officer reads beside each deadline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from accounts.workdays import LONDON, WorkingCalendar, add_days, add_hours, add_months

from .models.deadlines import DeadlineRule as R


@dataclass(frozen=True)
class RuleSpec:
    setting: str  # the PolicySettings field holding the timescale or switch
    unit: str  # hours | days | working_days | months | same_working_day | friday_close
    clause: str
    promise: str  # with {n} for the timescale
    next_rule: str | None = None  # recurring: met -> start this rule from the meeting time
    window: bool = False  # a window that closes, not a task that can be missed
    # The PolicySettings field with a quicker timescale where there is violence or a threat
    # of it (C19, C20, C21); None: the rule has no faster timescale.
    violence_setting: str | None = None
    # The Case field holding a timescale agreed with the complainant for that case alone
    # (C22: "unless the plan says otherwise"); set, it replaces the policy's. None: no such.
    case_setting: str | None = None


VIOLENCE_NOTE = "violence or a threat of it"
AGREED_NOTE = "as agreed with the complainant"


RULES: dict[str, RuleSpec] = {
    R.W08_FIRST_CONTACT: RuleSpec(
        "first_contact_hours",
        "hours",
        "W08 (000 §6.2) / C17 (004 §4.6)",
        "contact the complainant within {n} hours of the report",
    ),
    R.C19_OFFICER_CONTACT: RuleSpec(
        "officer_contact_days",
        "days",
        "C19 (004 §4.8)",
        "the case officer contacts the complainant within {n} days",
        violence_setting="violence_officer_contact_days",
    ),
    R.C20_INTERVIEW: RuleSpec(
        "interview_days",
        "days",
        "C20 (004 §4.9)",
        "interview the complainant within {n} days",
        violence_setting="violence_interview_days",
    ),
    R.C21_ACTION_PLAN: RuleSpec(
        "action_plan_days",
        "days",
        "C21 (004 §4.10)",
        "action plan agreed within {n} days of the report",
        violence_setting="violence_action_plan_days",
    ),
    R.C22_FIRST_PLAN_REVIEW: RuleSpec(
        "first_plan_review_days",
        "days",
        "C22 (004 §4.11)",
        "first review of the plan within {n} days of its creation",
        next_rule=R.C22_PLAN_REVIEW,
    ),
    R.C22_PLAN_REVIEW: RuleSpec(
        "plan_review_days",
        "days",
        "C22 (004 §4.11) / C26 (004 §6.2)",
        "review the action plan every {n} days",
        next_rule=R.C22_PLAN_REVIEW,
    ),
    R.C22_UPDATED_PLAN_ISSUED: RuleSpec(
        "updated_plan_issue_days",
        "days",
        "C22 (004 §4.11)",
        "issue the updated plan to the complainant within {n} days of a change",
    ),
    R.W13_WELFARE_CALL: RuleSpec(
        "welfare_call_days",
        "days",
        "W13 (000 §8.3) / C22 (004 §4.11)",
        "welfare call to the complainant every {n} days",
        next_rule=R.W13_WELFARE_CALL,
        case_setting="agreed_contact_days",
    ),
    R.C19_REPAIR: RuleSpec(
        "repair_hours",
        "hours",
        "C19 (004 §4.8) / C26 (004 §6.2)",
        "graffiti removed or emergency repair done within {n} hours of its report",
    ),
    R.C26_CASE_REVIEW: RuleSpec(
        "case_review_months",
        "months",
        "C26 (004 §6.2)",
        "review the open case after {n} months",
    ),
    R.W20_FALSE_REPORT_EVIDENCE: RuleSpec(
        "false_report_working_days",
        "working_days",
        "W20 (000 §12)",
        "the complainant has {n} working days to give more evidence",
    ),
    R.W15_SAFEGUARDING_REFERRAL: RuleSpec(
        "safeguarding_same_working_day",
        "same_working_day",
        "W15 (000 §9.2)",
        "safeguarding referral the same working day the risk is recorded",
    ),
    R.C16_WEEKEND_REFERRAL: RuleSpec(
        "weekend_referral_on_friday",
        "friday_close",
        "C16 (004 §4.5)",
        "Friday report with fear of violence: refer for weekend support that day",
    ),
    R.C26_APPEAL_WINDOW: RuleSpec(
        "appeal_window_days",
        "days",
        "C26 (004 §6.2)",
        "the complainant may appeal the closure within {n} days",
        window=True,
    ),
}

assert set(RULES) == set(R.values), "every DeadlineRule needs a RuleSpec"


VIOLENCE_RULES = tuple(rule for rule, spec in RULES.items() if spec.violence_setting)


def faster_applies(rule: str, policy, *, violence: bool) -> bool:
    """Whether ``rule`` runs on its quicker timescale: violence or a threat of it is recorded,
    the policy promises the rule at all, and it has a faster timescale for it."""
    spec = RULES[rule]
    if not violence or spec.violence_setting is None:
        return False
    standard = getattr(policy, spec.setting)
    return standard is not None and getattr(policy, spec.violence_setting) is not None


def agreed_timescale(rule: str, case) -> int | None:
    """The timescale agreed with the complainant for this case (C22), or None: the policy's."""
    setting = RULES[rule].case_setting
    return getattr(case, setting) if setting and case is not None else None


def timescale(
    rule: str, policy, *, violence: bool = False, agreed: int | None = None
) -> int | bool | None:
    """The organisation's setting for a rule; None or False: no such promise.

    With ``violence`` the rule's faster timescale where the policy has one, never longer
    than the standard one. ``agreed``: the case's own timescale (``agreed_timescale``), which
    replaces the policy's where the policy makes the promise at all.
    """
    spec = RULES[rule]
    standard = getattr(policy, spec.setting)
    if agreed and standard not in (None, False):
        return agreed
    if spec.violence_setting and faster_applies(rule, policy, violence=violence):
        return min(standard, getattr(policy, spec.violence_setting))
    return standard


def _promise(spec: RuleSpec, n) -> str:
    # "within 1 day", not "within 1 days".
    text = spec.promise
    if n == 1:
        text = re.sub(r"\{n\} ((?:working )?\w+?)s\b", r"{n} \1", text)
    return text.format(n=n)


def clause_text(rule: str, policy, *, violence: bool = False, agreed: int | None = None) -> str:
    spec = RULES[rule]
    value = timescale(rule, policy, violence=violence, agreed=agreed)
    text = f"{spec.clause}: {_promise(spec, value)}"
    if agreed:
        text += f" ({AGREED_NOTE})"
    elif faster_applies(rule, policy, violence=violence):
        text += f" ({VIOLENCE_NOTE})"
    return text


def due_at(
    rule: str,
    started_at: datetime,
    policy,
    *,
    violence: bool = False,
    agreed: int | None = None,
) -> datetime | None:
    """When a deadline started at ``started_at`` falls due under ``policy``, or None.

    ``violence``: violence or a threat of it is recorded on the case (C19, C20, C21 sooner).
    ``agreed``: the case's own timescale agreed with the complainant (W13 / C22).
    """
    spec, value = RULES[rule], timescale(rule, policy, violence=violence, agreed=agreed)
    if value is None or value is False:
        return None
    calendar = WorkingCalendar.for_policy(policy)
    if spec.unit == "hours":
        return add_hours(started_at, value)
    if spec.unit == "days":
        return add_days(started_at, value)
    if spec.unit == "months":
        return add_months(started_at, value)
    if spec.unit == "working_days":
        return calendar.add_working_days(started_at, value)
    if spec.unit == "same_working_day":
        return calendar.end_of_working_day(started_at)
    if spec.unit == "friday_close":
        # C16 is about the weekend ahead, so it closes that Friday even when it is a bank
        # holiday; a report after hours is due by midnight rather than next week.
        local = started_at.astimezone(LONDON)
        close = calendar.close_of(local.date())
        if local >= close:
            close = datetime.combine(local.date(), datetime.max.time(), tzinfo=LONDON)
        return close
    raise ValueError(f"Unknown unit {spec.unit!r}")
