"""A worker, or one of its pool children, killed with SIGKILL in the middle of a batch of
letters: every letter is rendered once and sent once, within three minutes of the death.

The lost task's render claim is a lease; once it is over, the letter sweep on beat hands the
letter to the worker again. The worker here runs with a 30 s hard limit (a 60 s lease) and
the sweep every 10 s so the test is quick; the same sum with the defaults (60 s limit, 90 s
lease, a sweep every 60 s) is 2.5 minutes (tests/letters/test_leases.py checks it).
"""

import os
import re
import signal
import time
from collections import Counter
from datetime import timedelta
from unittest import mock

import pytest

from letters import tasks
from letters.models import Delivery, Letter, LetterKind, LetterStatus
from letters.services.issue import letter_issue
from tests.workers import celery_cluster, child_pids, wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

COUNT = 30
HARD_LIMIT = 30
LEASE = timedelta(seconds=HARD_LIMIT + 30)  # letters/services/delivery.py: limit + 30 s
SWEEP_EVERY = 10
TARGET = timedelta(minutes=3)


def redis_url() -> str:
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis"):
        pytest.skip("CELERY_BROKER_URL does not name a Redis broker (CI sets it).")
    return url


def issue_letters(letter_case, cast) -> list[int]:
    with mock.patch.object(tasks.letter_process, "apply_async"):
        return [
            letter_issue(
                case=letter_case.case,
                kind=LetterKind.CLOSURE,
                recipient=letter_case.victim,
                by=cast.officer,
                reason="",
                extra={"closure_reason": "Resolved", "closure_rationale": "Quiet."},
                delivery=Delivery.EMAIL,
            ).pk
            for _ in range(COUNT)
        ]


def being_rendered(ids) -> list[int]:
    return list(
        Letter.objects.filter(pk__in=ids, status=LetterStatus.QUEUED)
        .exclude(render_claim="")
        .values_list("pk", flat=True)
    )


def sent(ids) -> int:
    return Letter.objects.filter(pk__in=ids, status=LetterStatus.SENT).count()


def emails_per_letter(mail_dir) -> Counter:
    found: Counter = Counter()
    for path in mail_dir.glob("*"):
        found.update(int(pk) for pk in re.findall(r'-letter-(\d+)\.pdf"', path.read_text()))
    return found


def run_and_kill(letter_case, cast, tmp_path, capsys, *, variant: str):
    ids = issue_letters(letter_case, cast)
    mail_dir = tmp_path / "mail"
    env = {
        "HAVEN_LETTER_TASK_SECONDS": str(HARD_LIMIT),
        "HAVEN_LETTER_SWEEP_SECONDS": str(SWEEP_EVERY),
        "HAVEN_TEST_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "HAVEN_TEST_EMAIL_FILE_PATH": str(mail_dir),
    }
    prefork = variant == "pool child"
    with celery_cluster(broker_url=redis_url(), tmp_path=tmp_path, extra_env=env) as cluster:
        start = {"pool": "prefork", "concurrency": 2} if prefork else {}
        worker = cluster.start_worker(**start)
        cluster.start_beat()
        for letter_id in ids:
            cluster.app.send_task(
                "letters.tasks.letter_process", args=[letter_id], queue=cluster.queue
            )
        # Kill while a letter is being rendered (its claim taken, its PDF not yet stored).
        wait_for(lambda: sent(ids) >= 5 and being_rendered(ids), timeout=120, logs=tmp_path)
        victim = child_pids(worker.pid)[0] if prefork else worker.pid
        os.kill(victim, signal.SIGKILL)
        killed_at = time.monotonic()
        held = being_rendered(ids)
        sent_at_kill = sent(ids)
        if not prefork:
            worker.wait(timeout=10)
            cluster.start_worker()  # the supervisor (docker's restart policy) starts another
        wait_for(lambda: sent(ids) == COUNT, timeout=TARGET.total_seconds(), logs=tmp_path)
        recovered_in = time.monotonic() - killed_at
    rendered = Counter(
        Letter.history.filter(id__in=ids, history_change_reason="Rendered to PDF").values_list(
            "id", flat=True
        )
    )
    emails = emails_per_letter(mail_dir)
    with capsys.disabled():
        print(
            f"\nSIGKILL of the {variant}: {sent_at_kill}/{COUNT} sent at the kill, "
            f"{len(held)} render claim(s) held at the kill, all {COUNT} sent "
            f"{recovered_in:.0f} s later; renders {sum(rendered.values())}, "
            f"e-mails {sum(emails.values())}, duplicates "
            f"{sum(1 for n in emails.values() if n > 1)}"
        )
    assert held, "the kill should have caught a letter mid-render"
    assert rendered == Counter(ids), "each letter rendered exactly once"
    assert emails == Counter(ids), "each letter e-mailed exactly once"
    assert recovered_in < (LEASE + timedelta(seconds=SWEEP_EVERY * 2 + 30)).total_seconds()
    assert recovered_in < TARGET.total_seconds()


def test_sigkill_of_the_worker_mid_batch_sends_every_letter_once_within_three_minutes(
    letter_case, cast, tmp_path, capsys
):
    run_and_kill(letter_case, cast, tmp_path, capsys, variant="worker")


def test_sigkill_of_a_pool_child_mid_batch_sends_every_letter_once_within_three_minutes(
    letter_case, cast, tmp_path, capsys
):
    run_and_kill(letter_case, cast, tmp_path, capsys, variant="pool child")
