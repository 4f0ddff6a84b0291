"""The deadline sweep, run by Celery beat every minute (``deadlines.tasks.sweep_deadlines``).

Set-based: a fixed handful of queries per run however many deadlines there are, each served
by a partial index on ``Deadline``. Each kind of e-mail is one transaction: claim the rows
with a conditional UPDATE stamped with the run's id (two sweeps at once cannot claim the same
row), write their e-mails to the outbox in one INSERT, and stamp the rows as sent. Either all
of that commits or none of it does, so a crash loses nothing and the next run picks the rows
up; the outbox then sends each e-mail exactly once (``outbox.services``). The sweep runs in
the worker outside any transaction, so it hands the new e-mails to the broker itself once
its blocks are done; with the broker down they wait in the outbox for the outbox sweep.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import Membership, Role, User
from outbox.models import OutgoingEmail
from outbox.services import outbox_emails_add, outbox_enqueue
from policy.calendar import LONDON
from policy.formats import uk_date

from .models import LIVE_STATES, Deadline, DeadlineDigest, DeadlineState

# The sweep task's time limits (deadlines/tasks.py): a run is stopped after 60 s and killed
# after 90 s (a run sending 2,000 e-mails takes about 5 s). A claim is a lease that ends 30 s
# after the hard limit, so rows claimed by a run whose worker died are taken over by a sweep
# within lease + one sweep interval (3 minutes by default), never while the run can be alive.
SWEEP_SOFT_LIMIT = 60
SWEEP_HARD_LIMIT = 90
CLAIM_LEASE = timedelta(seconds=SWEEP_HARD_LIMIT + 30)
BATCH = 1000  # per kind per run; a backlog drains over the next minutes
DIGEST_FROM = time(7, 0)
DIGEST_LINES = 50  # per section; My work has the rest


@dataclass
class SweepResult:
    marked_overdue: int = 0
    windows_closed: int = 0
    reminders: int = 0
    overdue_notices: int = 0
    digests: int = 0
    sent_to: list[str] = field(default_factory=list)


def deadlines_sweep(*, run_id: str, now: datetime | None = None) -> SweepResult:
    now = now or timezone.now()
    result = SweepResult()
    # Serves deadline_open_due_idx: state='open' AND due_at < now.
    result.marked_overdue = Deadline.objects.filter(
        state=DeadlineState.OPEN, due_at__lt=now, window=False
    ).update(state=DeadlineState.OVERDUE)
    result.windows_closed = Deadline.objects.filter(
        state=DeadlineState.OPEN, due_at__lt=now, window=True
    ).update(state=DeadlineState.MET, met_at=now, met_source="Window closed")
    written: list[int] = []
    result.reminders = _send_reminders(run_id=run_id, now=now, written=written)
    result.overdue_notices = _send_overdue_notices(run_id=run_id, now=now, written=written)
    result.digests = _send_digests(run_id=run_id, now=now, written=written)
    if written:
        outbox_enqueue(written)
    return result


def _claimable(prefix: str, run_id: str, now: datetime) -> Q:
    return (
        Q(**{f"{prefix}_claim": ""})
        | Q(**{f"{prefix}_claim": run_id})
        | Q(**{f"{prefix}_claimed_at__lt": now - CLAIM_LEASE})
    )


def _claim(candidates, prefix: str, run_id: str, now: datetime) -> list[Deadline]:
    """Claim up to BATCH rows with one conditional UPDATE, then read back what we hold.
    The UPDATE repeats the candidates' conditions, so a row another run has just stamped
    (PostgreSQL re-reads a row it waited for) is not claimed again."""
    pks = candidates.filter(_claimable(prefix, run_id, now)).values("pk")[:BATCH]
    candidates.filter(pk__in=pks).filter(_claimable(prefix, run_id, now)).update(
        **{f"{prefix}_claim": run_id, f"{prefix}_claimed_at": now}
    )
    return list(
        candidates.filter(**{f"{prefix}_claim": run_id})
        .select_related("case", "case__organisation", "case__assigned_officer")
        .order_by("due_at", "pk")
    )


@transaction.atomic
def _send_reminders(*, run_id: str, now: datetime, written: list[int]) -> int:
    # Serves deadline_reminder_due_idx: state='open' AND reminder_sent_at IS NULL AND
    # remind_at <= now.
    candidates = Deadline.objects.filter(
        state=DeadlineState.OPEN, reminder_sent_at__isnull=True, remind_at__lte=now
    )
    claimed = _claim(candidates, "reminder", run_id, now)
    if not claimed:
        return 0
    managers = _managers_by_organisation({d.case.organisation_id for d in claimed})
    messages = [
        _message(
            "reminder",
            deadline,
            to=_officer_or_managers(deadline, managers),
            cc=[],
        )
        for deadline in claimed
    ]
    written += _deliver(messages)
    candidates.filter(reminder_claim=run_id).update(reminder_sent_at=now, reminder_claim="")
    return len(claimed)


@transaction.atomic
def _send_overdue_notices(*, run_id: str, now: datetime, written: list[int]) -> int:
    # Serves deadline_overdue_unsent_idx: state='overdue' AND overdue_notified_at IS NULL.
    candidates = Deadline.objects.filter(
        state=DeadlineState.OVERDUE, overdue_notified_at__isnull=True
    )
    claimed = _claim(candidates, "overdue", run_id, now)
    if not claimed:
        return 0
    managers = _managers_by_organisation({d.case.organisation_id for d in claimed})
    messages = []
    for deadline in claimed:
        case_managers = _managers_for_case(deadline, managers)
        officer = deadline.case.assigned_officer
        to = [officer.email] if officer else [m.email for m in case_managers]
        # The rule says whether its managers hear of it too (escalation).
        escalate = deadline.tell_manager_when_overdue or not officer
        cc = [m.email for m in case_managers if m.email not in to] if escalate else []
        messages.append(_message("overdue", deadline, to=to, cc=cc))
    written += _deliver(messages)
    candidates.filter(overdue_claim=run_id).update(overdue_notified_at=now, overdue_claim="")
    return len(claimed)


def _managers_by_organisation(organisation_ids: set[int]) -> dict[int, list[Membership]]:
    found: dict[int, list[Membership]] = defaultdict(list)
    for membership in (
        Membership.objects.filter(
            organisation_id__in=organisation_ids, role=Role.MANAGER, user__is_active=True
        )
        .select_related("user")
        .prefetch_related("areas")
    ):
        found[membership.organisation_id].append(membership)
    return found


def _managers_for_case(deadline: Deadline, managers: dict[int, list[Membership]]) -> list[User]:
    """The managers covering the case's area (no areas: covers all); else all of them."""
    everyone = managers.get(deadline.case.organisation_id, [])
    area_id = deadline.case.area_id
    covering = [
        m.user for m in everyone if not m.areas.all() or any(a.pk == area_id for a in m.areas.all())
    ]
    return covering or [m.user for m in everyone]


def _officer_or_managers(deadline: Deadline, managers) -> list[str]:
    officer = deadline.case.assigned_officer
    if officer is not None:
        return [officer.email]
    return [m.email for m in _managers_for_case(deadline, managers)]


def _message(kind: str, deadline: Deadline, *, to: list[str], cc: list[str]) -> OutgoingEmail:
    context = {"deadline": deadline, "case": deadline.case, "site_url": settings.HAVEN_SITE_URL}
    subject = render_to_string(f"deadlines/email/deadline_{kind}_subject.txt", context).strip()
    body = render_to_string(f"deadlines/email/deadline_{kind}.txt", context)
    # Nothing secret in a deadline e-mail: stored as written, sent as stored.
    return OutgoingEmail(
        kind=f"deadlines.{kind}", key=str(deadline.pk), subject=subject, body=body, to=to, cc=cc
    )


def _deliver(emails: list[OutgoingEmail]) -> list[int]:
    """Write the batch to the outbox in one INSERT; returns the ids to hand over."""
    emails = [e for e in emails if e.to]
    if not emails:
        return []
    return [e.pk for e in outbox_emails_add(emails, hand_over_on_commit=False)]


@transaction.atomic
def _send_digests(*, run_id: str, now: datetime, written: list[int]) -> int:
    """Each officer's morning digest, once a day, from 07:00 on weekdays."""
    local = now.astimezone(LONDON)
    if local.weekday() >= 5 or local.time() < DIGEST_FROM:
        return 0
    today = local.date()
    week_end = datetime.combine(today + timedelta(days=7), time(0), tzinfo=LONDON)
    officer_ids = set(
        Deadline.objects.filter(
            state__in=LIVE_STATES,
            due_at__lt=week_end,
            case__assigned_officer__isnull=False,
            case__assigned_officer__is_active=True,
        )
        .exclude(window=True)
        .values_list("case__assigned_officer", flat=True)
        .distinct()
    )
    if not officer_ids:
        return 0
    DeadlineDigest.objects.bulk_create(
        [DeadlineDigest(user_id=pk, day=today) for pk in officer_ids], ignore_conflicts=True
    )
    claimable = Q(claim="") | Q(claim=run_id) | Q(claimed_at__lt=now - CLAIM_LEASE)
    DeadlineDigest.objects.filter(day=today, sent_at__isnull=True).filter(claimable).update(
        claim=run_id, claimed_at=now
    )  # sent_at in the UPDATE too: a row another run just stamped is not claimed again
    digests = list(
        DeadlineDigest.objects.filter(day=today, claim=run_id, sent_at__isnull=True).select_related(
            "user"
        )
    )
    if not digests:
        return 0
    by_officer: dict[int, list[Deadline]] = defaultdict(list)
    for deadline in (
        Deadline.objects.filter(
            state__in=LIVE_STATES,
            due_at__lt=week_end,
            case__assigned_officer_id__in=[d.user_id for d in digests],
        )
        .exclude(window=True)
        .select_related("case")
        .order_by("due_at", "pk")
    ):
        by_officer[deadline.case.assigned_officer_id].append(deadline)
    today_end = datetime.combine(today + timedelta(days=1), time(0), tzinfo=LONDON)
    messages = []
    for digest in digests:
        mine = by_officer.get(digest.user_id, [])
        sections = {
            "overdue": [d for d in mine if d.state == DeadlineState.OVERDUE],
            "today": [d for d in mine if d.state == DeadlineState.OPEN and d.due_at < today_end],
            "week": [d for d in mine if d.state == DeadlineState.OPEN and d.due_at >= today_end],
        }
        context = {
            "officer": digest.user,
            **{name: rows[:DIGEST_LINES] for name, rows in sections.items()},
            **{f"{name}_more": max(0, len(rows) - DIGEST_LINES) for name, rows in sections.items()},
            "day": today,
            "site_url": settings.HAVEN_SITE_URL,
        }
        body = render_to_string("deadlines/email/deadline_digest.txt", context)
        messages.append(
            OutgoingEmail(
                kind="deadlines.digest",
                key=str(digest.pk),
                subject=f"Haven: your deadlines for {uk_date(today)}",
                body=body,
                to=[digest.user.email],
            )
        )
    written += _deliver(messages)
    DeadlineDigest.objects.filter(day=today, claim=run_id, sent_at__isnull=True).update(
        sent_at=now, claim=""
    )
    return len(digests)
