"""Starting, meeting and waiving deadlines (the API other features call).

A deadline's ``due_at`` is computed once, here, from the organisation's policy settings at
the moment it starts, so a later change of policy applies only to deadlines started after
it. Event services in ``deadline_events`` call these from the services that record events.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Membership, Role, User
from accounts.policy import policy_for

from ..deadline_rules import RULES, agreed_timescale, clause_text, due_at
from ..models import Case
from ..models.choices import OPEN_STATUSES
from ..models.deadlines import LIVE_STATES, Deadline, DeadlineRule, DeadlineState


def deadline_start(
    *,
    case: Case,
    rule: str,
    started_at: datetime,
    source: str,
    source_key: str = "",
    policy=None,
    violence: bool = False,
) -> Deadline | None:
    """Start ``rule`` on ``case`` from ``started_at``; None if the policy makes no such promise.

    ``violence``: violence or a threat of it is recorded, so C19, C20 and C21 run on the
    policy's faster timescale. Idempotent: if a live deadline for the same rule and
    ``source_key`` exists it is returned unchanged (a second report of the same event does
    not move the clock).
    """
    if rule not in RULES:
        raise ValueError(f"Unknown deadline rule {rule!r}")
    policy = policy or policy_for(case.organisation)
    agreed = agreed_timescale(rule, case)
    due = due_at(rule, started_at, policy, violence=violence, agreed=agreed)
    if due is None:
        return None
    with transaction.atomic():
        existing = (
            Deadline.objects.select_for_update()
            .filter(case=case, rule=rule, source_key=source_key, state__in=LIVE_STATES)
            .first()
        )
        if existing is not None:
            return existing
        deadline = Deadline(
            case=case,
            organisation_id=case.organisation_id,
            rule=rule,
            clause=clause_text(rule, policy, violence=violence, agreed=agreed)[:200],
            started_by=source[:120],
            source_key=source_key,
            started_at=started_at,
            due_at=due,
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
                case=case, rule=rule, source_key=source_key, state__in=LIVE_STATES
            )
    return deadline


def _remind_at(rule: str, started_at: datetime, due: datetime, policy) -> datetime | None:
    """The organisation's lead time before the due time, not before the start; a window
    that closes has no reminder."""
    if RULES[rule].window:
        return None
    return max(started_at, due - timedelta(hours=policy.reminder_lead_hours))


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
    deadline.due_at = due
    deadline.clause = clause[:200]
    deadline.remind_at = _remind_at(deadline.rule, deadline.started_at, due, policy)
    deadline._change_reason = reason[:100]  # type: ignore[attr-defined]
    deadline._history_user = by  # type: ignore[attr-defined]
    deadline.save(update_fields=["due_at", "clause", "remind_at"])
    return True


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
    deadline.remind_at = _remind_at(deadline.rule, deadline.started_at, due, policy)
    fields = ["due_at", "clause", "remind_at"]
    if deadline.reminder_sent_at and deadline.remind_at and deadline.remind_at > timezone.now():
        deadline.reminder_sent_at, deadline.reminder_claim = None, ""
        deadline.reminder_claimed_at = None
        fields += ["reminder_sent_at", "reminder_claim", "reminder_claimed_at"]
    deadline._change_reason = reason[:100]  # type: ignore[attr-defined]
    deadline._history_user = by  # type: ignore[attr-defined]
    deadline.save(update_fields=fields)
    return True


def deadline_meet(
    *,
    case: Case,
    rule: str,
    met_at: datetime,
    by: User | None,
    source: str,
    source_key: str | None = None,
    policy=None,
) -> list[Deadline]:
    """Mark the live deadlines of ``rule`` met (late if overdue); start the next if recurring.

    ``source_key`` None meets every live deadline of the rule; a value meets only that one.
    Returns the deadlines met (empty when none was live: meeting is idempotent).
    """
    live = Deadline.objects.select_for_update().filter(case=case, rule=rule, state__in=LIVE_STATES)
    if source_key is not None:
        live = live.filter(source_key=source_key)
    met: list[Deadline] = []
    with transaction.atomic():
        for deadline in live:
            deadline.state = DeadlineState.MET
            deadline.met_at = met_at
            deadline.met_by = by
            deadline.met_source = source[:120]
            deadline._change_reason = f"Met: {source}"[:100]  # type: ignore[attr-defined]
            deadline.save()
            met.append(deadline)
        next_rule = RULES[rule].next_rule
        if met and next_rule and case.status in OPEN_STATUSES:
            deadline_start(
                case=case,
                rule=next_rule,
                started_at=met_at,
                source=f"Previous {RULES[next_rule].clause.split(' ')[0]} met: {source}",
                policy=policy,
            )
    return met


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
        locked = Deadline.objects.select_for_update().select_related("case").get(pk=deadline.pk)
        if locked.state not in LIVE_STATES:
            raise ValidationError({"reason": "This deadline is already closed."})
        locked.state = DeadlineState.WAIVED
        locked.waived_at = now
        locked.waived_by = by
        locked.waived_reason = reason
        locked._change_reason = "Waived"  # type: ignore[attr-defined]
        locked.save()
        next_rule = RULES[locked.rule].next_rule
        if next_rule and not stop_recurring and locked.case.status in OPEN_STATUSES:
            deadline_start(
                case=locked.case, rule=next_rule, started_at=now, source="Previous one waived"
            )
    return locked


def deadlines_close_for_case(*, case: Case, closed_at: datetime, by: User) -> int:
    """On closure every live deadline is waived with the reason; missed ones stay visible as
    waived after their due time. Returns how many were closed."""
    count = 0
    with transaction.atomic():
        for deadline in Deadline.objects.select_for_update().filter(
            case=case, state__in=LIVE_STATES
        ):
            if deadline.rule == DeadlineRule.C26_APPEAL_WINDOW:
                continue
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
