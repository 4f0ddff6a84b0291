"""A worker SIGKILLed in the middle of 50 letters, and a pool child before it: every letter
sent within 3 minutes of the first kill, each exactly once. The claims' leases and the
sweep's interval are production's (nothing shortened for the test)."""

import contextlib
import os
import signal
import time
from collections import Counter
from unittest import mock

import pytest

from letters import tasks
from letters.models import Delivery, Letter, LetterKind, LetterStatus
from letters.services.issue import letter_issue
from tests.workers import producer

from .stack import attachments, pool_children, wait_until
from .workload import case_with_victim

pytestmark = pytest.mark.fault

LETTERS = 50
TARGET_SECONDS = 180


def test_worker_and_pool_child_killed_mid_batch_all_letters_sent_once_within_3_minutes(
    stack, people
):
    case = case_with_victim(people, 1)
    victim = case.parties.get()
    with mock.patch.object(tasks.letter_process, "apply_async"):
        ids = [
            letter_issue(
                case=case,
                kind=LetterKind.CLOSURE,
                recipient=victim,
                by=people.officer,
                reason="",
                extra={"closure_reason": "Resolved", "closure_rationale": "Quiet."},
                delivery=Delivery.EMAIL,
            ).pk
            for _ in range(LETTERS)
        ]
    letters = Letter.objects.filter(pk__in=ids)
    stack.redis.start()
    worker = stack.start_worker(pool="prefork", concurrency=2)
    stack.start_beat()
    app = producer(stack.redis.url(7), None)
    for letter_id in ids:
        app.send_task("letters.tasks.letter_process", args=[letter_id], queue=stack.queue)

    def sent() -> int:
        return letters.filter(status=LetterStatus.SENT).count()

    wait_until(lambda: sent() >= 5, timeout=120, what="the first letters to be sent")
    children = pool_children(worker.pid)
    assert children, "the prefork worker has no pool children"
    os.kill(children[0], signal.SIGKILL)
    first_kill = time.monotonic()
    sent_at_child_kill = sent()
    wait_until(lambda: sent() >= sent_at_child_kill + 5, timeout=120, what="more letters")
    sent_at_worker_kill = sent()
    orphans = pool_children(worker.pid)
    stack.kill("worker")
    for child in orphans:  # a killed container takes its pool with it
        with contextlib.suppress(ProcessLookupError):
            os.kill(child, signal.SIGKILL)
    stack.start_worker(pool="prefork", concurrency=2)  # the supervisor restarts it

    with contextlib.suppress(AssertionError):  # counted and asserted below either way
        wait_until(lambda: sent() == LETTERS, timeout=TARGET_SECONDS + 30, what="all sent")
    recovered = time.monotonic() - first_kill
    time.sleep(5)
    per_letter = attachments(stack.mails())
    counts = dict.fromkeys(ids, 0)
    for name, count in per_letter.items():
        counts[int(name.rsplit("-", 1)[1].removesuffix(".pdf"))] += count
    failed = letters.filter(status=LetterStatus.FAILED).count()
    tally = Counter(min(c, 2) for c in counts.values())
    print(
        f"\n{LETTERS} letters: pool child killed after {sent_at_child_kill} sent, worker "
        f"killed after {sent_at_worker_kill}; {sent()} sent {recovered:.0f} s after the "
        f"first kill (target: all within {TARGET_SECONDS} s); e-mailed once "
        f"{tally[1]}, twice or more {tally[2]}, never {tally[0]}; failed {failed}"
    )
    assert sent() == LETTERS and recovered <= TARGET_SECONDS
    assert set(counts.values()) == {1}
    assert failed == 0
