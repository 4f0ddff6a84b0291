"""Starting, meeting, moving and waiving deadlines: the organisation's policy rules (``policy``)
applied to a case's events.

A deadline's ``due_at`` is computed once, when it starts, from the rule of the policy version
in force then; the deadline keeps that rule row, so a later version applies only to deadlines
started after it. The functions per event in ``deadlines.events`` call these from the services that
record events.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Membership, Role, User
from cases.models import Case, Incident
from cases.models.choices import OPEN_STATUSES, VIOLENT_ACTS
from policy.calendar import WorkingCalendar
from policy.engine import (
    CaseFacts,
    Done,
    conditions_words,
    due_time,
    rule_met_by,
    timescale_for,
    timescale_words,
)
from policy.models import Rule
from policy.selectors import rules_in_force, rules_with_timescales, version_in_force
from policy.services import policy_ensure
from policy.settings import policy_for
from policy.vocabulary import AFTER_CLOSURE_EVENTS, KEYED_EVENTS, Event, Subject

from .models import LIVE_STATES, Deadline, DeadlineState


def case_facts(case: Case, **extra) -> CaseFacts:
    """What a rule's conditions may ask of the case now (one query, for violent acts)."""
    violent_act = Incident.objects.filter(case=case, acts__act__in=VIOLENT_ACTS).exists()
    return CaseFacts(
        category=case.category,
        risk_band=case.risk_level,
        fear_of_violence=case.fear_of_violence,
        violent_act=violent_act,
        hate_ground=case.hate_ground_recorded,
        **extra,
    )


def _terms(rule: Rule, case: Case, facts: CaseFacts, started_at: datetime, policy):
    """The due time, and the words of why, for ``rule`` on ``case``; None if no timescale fits.

    A frequency agreed with the complainant replaces the rule's timescale where the rule
    allows it (C22: "unless the plan says otherwise").
    """
    calendar = WorkingCalendar.for_policy(policy)
    if rule.agreed_frequency and case.agreed_contact_days:
        days = case.agreed_contact_days
        due = due_time("days", days, started_at, calendar)
        return due, f"{rule.clause}: every {days} days (as agreed with the complainant)"
    timescale = timescale_for(rule.timescales.all(), facts, started_at)
    if timescale is None:
        return None
    due = due_time(timescale.unit, timescale.amount, started_at, calendar)
    words = timescale_words(timescale.unit, timescale.amount, every=rule.repeats)
    clause = f"{rule.clause}: {words}" if rule.clause else words
    # Why this timescale and not another: the landlord's note, else its conditions in words.
    why = timescale.note or conditions_words(timescale.conditions)
    if why:
        clause += f" ({why})"
    return due, clause


def _remind_at(rule: Rule, started_at: datetime, due: datetime, policy) -> datetime | None:
    """The rule's own lead time, or the organisation's, before the due time and not before the
    start; a window that closes has no reminder."""
    if rule.window:
        return None
    lead = rule.remind_hours_before
    if lead is None:
        lead = policy.reminder_lead_hours
    return max(started_at, due - timedelta(hours=lead))


def deadline_start(
    *,
    case: Case,
    rule: Rule,
    started_at: datetime,
    source: str,
    source_key: str = "",
    facts: CaseFacts | None = None,
    policy=None,
) -> Deadline | None:
    """Start ``rule`` on ``case`` from ``started_at``; None when none of its timescales fits.

    Idempotent: if a live deadline of the same rule and ``source_key`` exists it is returned
    unchanged (a second report of the same event does not move the clock).
    """
    policy = policy or policy_for(case.organisation)
    facts = facts or case_facts(case)
    terms = _terms(rule, case, facts, started_at, policy)
    if terms is None:
        return None
    due, clause = terms
    with transaction.atomic():
        existing = (
            Deadline.objects.select_for_update()
            .filter(case=case, rule=rule.code, source_key=source_key, state__in=LIVE_STATES)
            .first()
        )
        if existing is not None:
            return existing
        deadline = Deadline(
            case=case,
            organisation_id=case.organisation_id,
            policy_rule=rule,
            rule=rule.code,
            title=rule.title[:120],
            promise=rule.promise,
            clause=clause[:200],
            window=rule.window,
            tell_manager_when_overdue=rule.tell_manager_when_overdue,
            started_by=source[:120],
            source_key=source_key,
            started_at=started_at,
            due_at=max(due, started_at),
            remind_at=_remind_at(rule, started_at, due, policy),
            state=DeadlineState.OPEN,
        )
        deadline._change_reason = f"Started: {source}"[:100]  # type: ignore[attr-defined]
        try:
            with transaction.atomic():
                deadline.save()
        except IntegrityError:
            # Started at the same moment by another request: the unique constraint on live
            # deadlines kept one; return it.
            return Deadline.objects.get(
                case=case, rule=rule.code, source_key=source_key, state__in=LIVE_STATES
            )
    return deadline


def deadlines_start_for_event(
    *,
    case: Case,
    event: str,
    started_at: datetime,
    source: str,
    source_key: str = "",
    facts: CaseFacts | None = None,
) -> list[Deadline]:
    """Start every rule of the policy in force that ``event`` starts and whose timescale fits.

    Only rules of events after closure start on a closed case.
    """
    if case.status not in OPEN_STATUSES and event not in AFTER_CLOSURE_EVENTS:
        return []
    policy_ensure(case.organisation)
    rules = [r for r in rules_in_force(case.organisation_id) if r.starts_on == event]
    if not rules:
        return []
    policy = policy_for(case.organisation)
    facts = facts or case_facts(case)
    key = source_key if event in KEYED_EVENTS else ""
    started = []
    with transaction.atomic():
        for rule in rules:
            deadline = deadline_start(
                case=case,
                rule=rule,
                started_at=started_at,
                source=source,
                source_key=key,
                facts=facts,
                policy=policy,
            )
            if deadline is not None:
                started.append(deadline)
    return started


def deadlines_restart_on_reopening(
    *, case: Case, at: datetime, by: User | None = None
) -> list[Deadline]:
    """A case reopened (on appeal) is worked again: what runs after closure (a check-back
    contact) ends, and the rules the report started that repeat (regular contact) or review
    the case start again from ``at``."""
    _end_after_closure(case=case, at=at, by=by)
    rules = [
        rule
        for rule in rules_in_force(case.organisation_id)
        if rule.starts_on == Event.REPORT_RECEIVED
        and (rule.repeats or rule.subject == Subject.CASE_REVIEW)
    ]
    facts = case_facts(case)
    started = []
    for rule in rules:
        deadline = deadline_start(
            case=case, rule=rule, started_at=at, source="Reopened on appeal", facts=facts
        )
        if deadline is not None:
            started.append(deadline)
    return started


def _end_after_closure(*, case: Case, at: datetime, by: User | None) -> None:
    """Waive the live deadlines of rules that start on closure: the case is open again."""
    with transaction.atomic():
        for deadline in _live(case).filter(policy_rule__starts_on__in=AFTER_CLOSURE_EVENTS):
            deadline.state = DeadlineState.WAIVED
            deadline.waived_at = at
            deadline.waived_by = by
            deadline.waived_reason = "Case reopened on appeal"
            deadline._change_reason = "Case reopened on appeal"  # type: ignore[attr-defined]
            deadline.save()


def _next_rule(deadline: Deadline) -> Rule | None:
    """What starts when ``deadline`` is met or waived: the same rule again if it repeats, or
    the rule it names, under the policy in force now (a new deadline takes the new terms)."""
    rule = deadline.policy_rule
    if rule is None:
        return None
    code = rule.code if rule.repeats else rule.then_starts
    if not code:
        return None
    current = version_in_force(deadline.organisation_id)
    if current is None:
        return None
    return rules_with_timescales(current.rules.filter(code=code)).first()


def _start_next(deadline: Deadline, case: Case, at: datetime, source: str, policy) -> None:
    following = _next_rule(deadline)
    if following is not None and case.status in OPEN_STATUSES:
        deadline_start(
            case=case,
            rule=following,
            started_at=at,
            source=source,
            source_key=deadline.source_key,
            policy=policy,
        )


def _live(case: Case) -> Iterable[Deadline]:
    return (
        Deadline.objects.select_for_update(of=("self",))
        .filter(case=case, state__in=LIVE_STATES)
        .select_related("policy_rule")
        .order_by("due_at", "id")
    )


def deadlines_meet_by(
    *,
    case: Case,
    done: Done,
    met_at: datetime,
    by: User | None,
    source: str,
    any_key: bool = False,
) -> list[Deadline]:
    """Meet every live deadline on ``case`` whose rule counts ``done`` (late if overdue), and
    start what follows each. A keyed deadline (a person, a repair) is met only by action on
    its own key, unless ``any_key`` (an action that cannot say which one it answers, as a
    safeguarding referral does not name the risk assessment that found the risk). Returns the
    deadlines met: none live is fine (meeting is idempotent)."""
    policy = policy_for(case.organisation)
    met: list[Deadline] = []
    with transaction.atomic():
        for deadline in _live(case):
            rule = deadline.policy_rule
            if rule is None or not rule_met_by(rule, done):
                continue
            keyed = deadline.source_key and rule.starts_on in KEYED_EVENTS
            if keyed and not any_key and done.key != deadline.source_key:
                continue
            deadline.state = DeadlineState.MET
            deadline.met_at = met_at
            deadline.met_by = by
            deadline.met_source = source[:120]
            deadline._change_reason = f"Met: {source}"[:100]  # type: ignore[attr-defined]
            deadline.save()
            met.append(deadline)
            _start_next(deadline, case, met_at, f"Previous one met: {source}", policy)
    return met


def _live_moved(case: Case, *, takes, move) -> list[Deadline]:
    """Recompute each live deadline on ``case`` whose rule ``takes(rule)`` from its own rule
    and the case as it is now, and ``move(deadline, due, clause, policy)`` it; returns those
    that moved."""
    policy = policy_for(case.organisation)
    facts = case_facts(case)
    moved: list[Deadline] = []
    with transaction.atomic():
        for deadline in _live(case):
            rule = deadline.policy_rule
            if rule is None or not takes(rule):
                continue
            terms = _terms(rule, case, facts, deadline.started_at, policy)
            if terms is not None and move(deadline, *terms, policy):
                moved.append(deadline)
    return moved


def deadlines_facts_changed(*, case: Case, by: User | None, what: str) -> list[Deadline]:
    """The case's facts changed (violence recorded, recategorised, risk band raised): each
    live deadline whose own rule now gives a sooner due time is brought forward to it; never
    later. Met and waived ones are history. Returns those moved."""
    return _live_moved(
        case,
        takes=lambda rule: True,
        move=lambda deadline, due, clause, policy: deadline_bring_forward(
            deadline=deadline,
            due=due,
            clause=clause,
            reason=f"Brought forward: {what}",
            by=by,
            policy=policy,
        ),
    )


def deadlines_terms_agreed(*, case: Case, by: User | None, reason: str) -> list[Deadline]:
    """A frequency agreed with the complainant changed (``case.agreed_contact_days``): each
    open deadline whose rule takes it moves to its start plus the new interval, either way."""
    return _live_moved(
        case,
        takes=lambda rule: rule.agreed_frequency,
        move=lambda deadline, due, clause, policy: deadline_reschedule(
            deadline=deadline, due=due, clause=clause, reason=reason, by=by, policy=policy
        ),
    )


def deadline_bring_forward(
    *, deadline: Deadline, due: datetime, clause: str, reason: str, by: User | None, policy
) -> bool:
    """Move a live deadline's due time earlier (never later), with its clause and reminder.

    ``deadline`` is locked by the caller. Returns False, changing nothing, when it is no
    longer live or ``due`` is not sooner. A due time already past leaves the state to the
    sweep, which marks it overdue on its next run.
    """
    if deadline.state not in LIVE_STATES or due >= deadline.due_at:
        return False
    due = max(due, deadline.started_at)
    if due >= deadline.due_at:
        return False
    deadline.due_at = due
    deadline.clause = clause[:200]
    deadline.remind_at = _rule_remind_at(deadline, due, policy)
    deadline._change_reason = reason[:100]  # type: ignore[attr-defined]
    deadline._history_user = by  # type: ignore[attr-defined]
    deadline.save(update_fields=["due_at", "clause", "remind_at"])
    return True


def _rule_remind_at(deadline: Deadline, due: datetime, policy) -> datetime | None:
    if deadline.window:
        return None
    rule = deadline.policy_rule
    lead = rule.remind_hours_before if rule is not None else None
    if lead is None:
        lead = policy.reminder_lead_hours
    return max(deadline.started_at, due - timedelta(hours=lead))


def deadline_reschedule(
    *, deadline: Deadline, due: datetime, clause: str, reason: str, by: User | None, policy
) -> bool:
    """Move an open deadline's due time to ``due``, earlier or later, because its terms changed
    for this case (a contact frequency agreed with the complainant).

    ``deadline`` is locked by the caller. An overdue one was missed under the terms it ran
    under and stays as it is; so do met and waived ones. Moved later, a reminder already sent
    is sent again before the new time. Returns whether it moved.
    """
    if deadline.state != DeadlineState.OPEN or due == deadline.due_at:
        return False
    deadline.due_at = due
    deadline.clause = clause[:200]
    deadline.remind_at = _rule_remind_at(deadline, due, policy)
    fields = ["due_at", "clause", "remind_at"]
    if deadline.reminder_sent_at and deadline.remind_at and deadline.remind_at > timezone.now():
        deadline.reminder_sent_at, deadline.reminder_claim = None, ""
        deadline.reminder_claimed_at = None
        fields += ["reminder_sent_at", "reminder_claim", "reminder_claimed_at"]
    deadline._change_reason = reason[:100]  # type: ignore[attr-defined]
    deadline._history_user = by  # type: ignore[attr-defined]
    deadline.save(update_fields=fields)
    return True


def user_may_waive(*, user: User, case: Case) -> bool:
    return Membership.objects.filter(
        user=user, organisation_id=case.organisation_id, role=Role.MANAGER
    ).exists()


def deadline_waive(
    *, deadline: Deadline, by: User, reason: str, stop_recurring: bool = False
) -> Deadline:
    """A manager records that a deadline no longer applies, and why.

    A recurring deadline (welfare calls, plan reviews) carries on from the waiver unless
    ``stop_recurring`` says the promise itself has ended (e.g. the complainant declined).
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why this deadline no longer applies."})
    if not user_may_waive(user=by, case=deadline.case):
        raise PermissionDenied("Only a manager may waive a deadline.")
    now = timezone.now()
    with transaction.atomic():
        locked = (
            Deadline.objects.select_for_update(of=("self",))
            .select_related("case", "policy_rule")
            .get(pk=deadline.pk)
        )
        if locked.state not in LIVE_STATES:
            raise ValidationError({"reason": "This deadline is already closed."})
        locked.state = DeadlineState.WAIVED
        locked.waived_at = now
        locked.waived_by = by
        locked.waived_reason = reason
        locked._change_reason = "Waived"  # type: ignore[attr-defined]
        locked.save()
        if not stop_recurring:
            _start_next(
                locked,
                locked.case,
                now,
                "Previous one waived",
                policy_for(locked.case.organisation),
            )
    return locked


def deadlines_close_for_case(*, case: Case, closed_at: datetime, by: User) -> int:
    """On closure every live deadline is waived with the reason; missed ones stay visible as
    waived after their due time. Windows that run after closure are left. Returns how many
    were closed."""
    count = 0
    with transaction.atomic():
        for deadline in Deadline.objects.select_for_update().filter(
            case=case, state__in=LIVE_STATES, window=False
        ):
            missed = deadline.due_at < closed_at
            deadline.state = DeadlineState.WAIVED
            deadline.waived_at = closed_at
            deadline.waived_by = by
            deadline.waived_reason = (
                "Case closed after this deadline was missed" if missed else "Case closed"
            )
            deadline._change_reason = "Case closed"  # type: ignore[attr-defined]
            deadline.save()
            count += 1
    return count
