"""The sweep: overdue marking, reminders, overdue notices and digests, each e-mail once."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.utils import timezone

from accounts.models import Role
from deadlines import sweep
from deadlines.models import Deadline, DeadlineDigest, DeadlineRule, DeadlineState
from deadlines.sweep import deadlines_sweep
from outbox import tasks
from outbox.models import EmailStatus, OutgoingEmail
from outbox.services import outbox_sweep
from policy.settings import Preset
from tests.deadline_helpers import apply_preset, london, open_case
from tests.factories import member

R = DeadlineRule
MICROSECOND = timedelta(microseconds=1)
RECEIVED = london(2026, 11, 9, 9, 0)  # a Monday
BEFORE_REMINDERS = london(2026, 11, 9, 8, 0)


@pytest.fixture
def wch(cast):
    apply_preset(cast.organisation, Preset.WCH_2022)
    return cast


def open_cases(cast, n):
    with time_machine.travel(london(2026, 11, 9, 9, 30), tick=False):
        return [open_case(cast, received_at=RECEIVED) for _ in range(n)]


def subjects(kind=""):
    return [m.subject for m in mail.outbox if kind in m.subject]


@pytest.mark.django_db
def test_reminder_sent_once_lead_time_before_due(wch):
    (case,) = open_cases(wch, 1)
    w08 = case.deadlines.get(rule=R.W08_FIRST_CONTACT)
    assert w08.remind_at == RECEIVED  # a 24-hour clock with a 24-hour lead: at once

    deadlines_sweep(run_id="a", now=london(2026, 11, 9, 9, 1))
    deadlines_sweep(run_id="b", now=london(2026, 11, 9, 9, 2))
    reminders = [m for m in mail.outbox if case.reference in m.subject]
    assert len(reminders) == 1
    assert reminders[0].to == [wch.officer.email]
    assert "W08" in reminders[0].body and "Test Complainant" not in reminders[0].body
    w08.refresh_from_db()
    assert w08.reminder_sent_at == london(2026, 11, 9, 9, 1)


@pytest.mark.django_db
def test_reminder_lead_time_is_the_organisations_setting(cast):
    apply_preset(cast.organisation, Preset.WCH_2022, reminder_lead_hours=48)
    (case,) = open_cases(cast, 1)
    welfare = case.deadlines.get(rule=R.W13_WELFARE_CALL)
    assert welfare.remind_at == london(2026, 11, 14, 9, 0)
    deadlines_sweep(run_id="early", now=london(2026, 11, 14, 8, 59))
    assert not [s for s in subjects() if "welfare call" in s]
    deadlines_sweep(run_id="on-time", now=london(2026, 11, 14, 9, 0))
    assert len([s for s in subjects() if "welfare call" in s]) == 1


@pytest.mark.django_db
def test_overdue_notice_to_officer_and_their_manager_once(wch):
    area_manager = member(wch.organisation, Role.MANAGER, full_name="Area Manager")
    (case,) = open_cases(wch, 1)
    after = london(2026, 11, 10, 9, 0, 1)
    result = deadlines_sweep(run_id="one", now=after)
    deadlines_sweep(run_id="two", now=after)
    assert result.marked_overdue == 1
    notices = [m for m in mail.outbox if m.subject.startswith("Haven: OVERDUE")]
    assert len(notices) == 1
    assert notices[0].to == [wch.officer.email]
    assert sorted(notices[0].cc) == sorted([wch.manager.email, area_manager.email])
    deadline = case.deadlines.get(rule=R.W08_FIRST_CONTACT)
    assert deadline.state == DeadlineState.OVERDUE
    assert deadline.overdue_notified_at == after


@pytest.mark.django_db
def test_a_deadline_met_before_the_sweep_is_never_reminded(wch):
    (case,) = open_cases(wch, 1)
    from tests.deadline_helpers import log_phone_call

    with time_machine.travel(london(2026, 11, 9, 9, 45), tick=False):
        log_phone_call(case, by=wch.officer, at=london(2026, 11, 9, 9, 40), purpose="first_contact")
    deadlines_sweep(run_id="x", now=london(2026, 11, 11, 9, 0))
    assert not [s for s in subjects() if "Contact the complainant" in s]


@pytest.mark.django_db
def test_two_sweeps_interleaved_send_each_email_once(wch, monkeypatch):
    """Sweep B runs while sweep A is between claiming and sending: B finds nothing to send."""
    open_cases(wch, 5)
    now = london(2026, 11, 10, 9, 0, 1)
    real_deliver = sweep._deliver
    inner = []

    def deliver_with_a_second_sweep(messages):
        if not inner:
            inner.append("running")
            inner.append(deadlines_sweep(run_id="B", now=now))
        return real_deliver(messages)

    monkeypatch.setattr(sweep, "_deliver", deliver_with_a_second_sweep)
    first = deadlines_sweep(run_id="A", now=now)
    second = inner[1]
    assert first.overdue_notices == 5
    assert second.overdue_notices == 0
    assert len(subjects("OVERDUE")) == 5
    # The officer's digest went out once, from whichever run claimed it.
    assert first.digests + second.digests == 1
    assert len(subjects("your deadlines")) == 1


@pytest.mark.django_db
def test_a_sweep_that_crashes_writing_its_emails_leaves_nothing_half_done(wch, monkeypatch):
    open_cases(wch, 3)
    now = london(2026, 11, 10, 9, 0, 1)
    real_deliver = sweep._deliver

    def crash(messages):
        raise ConnectionError("database went away")

    monkeypatch.setattr(sweep, "_deliver", crash)
    with pytest.raises(ConnectionError):
        deadlines_sweep(run_id="task-1", now=now)
    assert mail.outbox == [] and not OutgoingEmail.objects.exists()
    # The claims went with the crash: the next run, whichever it is, writes each e-mail once...
    assert not Deadline.objects.exclude(overdue_claim="").exists()
    monkeypatch.setattr(sweep, "_deliver", real_deliver)
    deadlines_sweep(run_id="task-2", now=london(2026, 11, 10, 9, 1))
    assert len(subjects("OVERDUE")) == 3
    # ...and nothing is sent again by later runs or a retry of the crashed one.
    deadlines_sweep(run_id="task-1", now=london(2026, 11, 10, 9, 2))
    deadlines_sweep(run_id="task-3", now=london(2026, 11, 10, 10, 0))
    assert len(subjects("OVERDUE")) == 3


@pytest.mark.django_db
def test_emails_written_while_the_broker_is_down_are_sent_by_the_outbox_sweep_once(wch):
    open_cases(wch, 3)
    Deadline.objects.filter(rule=R.W13_WELFARE_CALL).update(remind_at=london(2026, 11, 10, 9, 0))
    now = london(2026, 11, 10, 9, 0, 1)
    with mock.patch.object(tasks.send_emails, "apply_async", side_effect=OSError("broker down")):
        result = deadlines_sweep(run_id="outage", now=now)
    assert (result.reminders, result.overdue_notices, result.digests) == (3, 3, 1)
    assert mail.outbox == []
    written = OutgoingEmail.objects.filter(status=EmailStatus.QUEUED, enqueued_at__isnull=True)
    kinds = set(written.values_list("kind", flat=True))
    assert kinds == {"deadlines.reminder", "deadlines.overdue", "deadlines.digest"}
    expected = written.count()
    # The broker is back: the outbox sweep hands them over; later sweeps find nothing.
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        assert outbox_sweep().requeued == expected
        assert outbox_sweep().requeued == 0
        deadlines_sweep(run_id="after", now=now + timedelta(minutes=1))
    assert len(mail.outbox) == expected
    assert len(subjects("your deadlines")) == 1
    assert len({(m.subject, tuple(m.to)) for m in mail.outbox}) == expected  # no duplicates


@pytest.mark.django_db
def test_a_claim_left_by_a_lost_run_holds_until_just_after_the_lease(wch):
    """A crash inside a kind's transaction leaves no claim; a claim committed by a run of the
    code before the outbox (a deploy mid-run) is still honoured until its lease ends."""
    open_cases(wch, 2)
    claimed_at = london(2026, 11, 10, 9, 0, 1)
    deadlines_sweep(run_id="before-the-deploy", now=claimed_at)
    mail.outbox = []
    OutgoingEmail.objects.all().delete()
    assert Deadline.objects.filter(state=DeadlineState.OVERDUE).count() == 2
    Deadline.objects.filter(state=DeadlineState.OVERDUE).update(
        overdue_notified_at=None, overdue_claim="lost", overdue_claimed_at=claimed_at
    )
    # At the lease's last instant the lost run could still be alive: its claims hold.
    deadlines_sweep(run_id="later", now=claimed_at + sweep.CLAIM_LEASE)
    assert subjects("OVERDUE") == []
    deadlines_sweep(run_id="after-lease", now=claimed_at + sweep.CLAIM_LEASE + MICROSECOND)
    assert len(subjects("OVERDUE")) == 2


def test_the_sweeps_lease_outlives_its_time_limit_and_recovers_within_three_minutes():
    from config.celery import app
    from deadlines import tasks

    assert tasks.sweep_deadlines.time_limit == sweep.SWEEP_HARD_LIMIT
    assert tasks.sweep_deadlines.soft_time_limit == sweep.SWEEP_SOFT_LIMIT
    # A run cannot outlive its lease: the hard limit kills it first.
    assert timedelta(seconds=sweep.SWEEP_HARD_LIMIT) < sweep.CLAIM_LEASE
    interval = app.conf.beat_schedule["deadlines-sweep"]["schedule"]
    assert sweep.CLAIM_LEASE + timedelta(seconds=interval) <= timedelta(minutes=3)


@pytest.mark.django_db(transaction=True)
def test_concurrent_sweeps_in_threads_send_each_email_once(wch):
    open_cases(wch, 8)
    now = london(2026, 11, 10, 9, 0, 1)
    barrier = threading.Barrier(4)

    def run(i):
        barrier.wait()
        try:
            return deadlines_sweep(run_id=f"thread-{i}", now=now)
        finally:
            connection.close()

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(run, range(4)))
    assert sum(r.overdue_notices for r in results) == 8
    assert len(subjects("OVERDUE")) == 8
    assert Deadline.objects.filter(state="overdue", overdue_notified_at__isnull=True).count() == 0


@pytest.mark.django_db
def test_morning_digest_once_per_officer_per_day(wch):
    open_cases(wch, 2)
    idle = member(wch.organisation, Role.OFFICER, full_name="Owen Officer")  # no deadlines
    deadlines_sweep(run_id="early", now=london(2026, 11, 10, 6, 59))
    assert not subjects("your deadlines")
    deadlines_sweep(run_id="seven", now=london(2026, 11, 10, 7, 0))
    deadlines_sweep(run_id="eight", now=london(2026, 11, 10, 8, 0))
    digests = [m for m in mail.outbox if "your deadlines" in m.subject]
    assert len(digests) == 1
    assert digests[0].to == [wch.officer.email]
    assert not DeadlineDigest.objects.filter(user=idle).exists()
    assert "DUE TODAY" in digests[0].body and "Contact the complainant" in digests[0].body
    assert DeadlineDigest.objects.get(user=wch.officer).sent_at == london(2026, 11, 10, 7, 0)
    # Saturday: no digest.
    deadlines_sweep(run_id="sat", now=london(2026, 11, 14, 8, 0))
    assert len([m for m in mail.outbox if "your deadlines" in m.subject]) == 1


# Queries per sweep, whatever the number of deadlines (each kind is one transaction, a
# SAVEPOINT and its RELEASE inside the test's own transaction):
#  1 UPDATE open -> overdue          2 UPDATE appeal windows -> met
#  3 SAVEPOINT                       4 UPDATE claim reminders
#  5 SELECT claimed reminders (+case, org, officer)
#  6 SELECT managers (+user)         7 SELECT their areas (prefetch)
#  8 INSERT the reminders into the outbox        9 UPDATE reminders sent   10 RELEASE
# 11 SAVEPOINT   12 UPDATE claim overdue notices   13 SELECT claimed notices
# 14 SELECT managers   15 SELECT areas   16 INSERT notices into the outbox
# 17 UPDATE notices sent   18 RELEASE
# 19 SAVEPOINT   20 SELECT officers with deadlines this week   21 INSERT digests (ignore
# conflicts)   22 UPDATE claim digests   23 SELECT claimed digests (+user)
# 24 SELECT their deadlines (+case)   25 INSERT digests into the outbox
# 26 UPDATE digests sent   27 RELEASE
SWEEP_QUERIES = 27


@pytest.mark.parametrize("n_cases", [1, 25])
@pytest.mark.django_db
def test_sweep_query_count_does_not_grow_with_deadlines(cast, django_assert_num_queries, n_cases):
    apply_preset(cast.organisation, Preset.CIRCLE_ANGLIA_2009)
    open_cases(cast, n_cases)
    # Tuesday 09:00:01: every W08 is overdue; C19 (due Saturday) reminders are due for
    # none yet; the 15-day welfare calls neither; the digest is due.
    Deadline.objects.filter(rule=R.C20_INTERVIEW).update(remind_at=london(2026, 11, 10, 9, 0))
    # Only the sweep's own queries: handing the e-mails to the broker (and, in tests, the
    # eager worker sending them one by one) is the outbox's business, tested there.
    with (
        mock.patch.object(sweep, "outbox_enqueue") as hand_over,
        django_assert_num_queries(SWEEP_QUERIES),
    ):
        result = deadlines_sweep(run_id="count", now=london(2026, 11, 10, 9, 0, 1))
    # One e-mail each: n reminders, n overdue notices and the officer's digest.
    assert len(hand_over.call_args.args[0]) == 2 * n_cases + 1
    assert result.marked_overdue == n_cases
    assert result.overdue_notices == n_cases
    assert result.reminders == n_cases
    assert result.digests == 1
