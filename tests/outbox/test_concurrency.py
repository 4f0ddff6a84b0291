"""On PostgreSQL, for real: sweeps and workers at once, on their own connections, send each
e-mail exactly once (the claim is a conditional UPDATE; the loser's UPDATE changes nothing)."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from outbox.models import EmailStatus, OutgoingEmail
from outbox.services import outbox_email_add, outbox_emails_send, outbox_sweep

pytestmark = pytest.mark.django_db(transaction=True)

ROWS = 30
THREADS = 4


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one writer in at a time; DATABASE_URL=postgres://... runs it.")


def never_handed_over(n: int) -> list[int]:
    """E-mails written a minute ago while the broker was down."""
    from unittest import mock

    from outbox import tasks

    with mock.patch.object(tasks.send_emails, "apply_async", side_effect=OSError("down")):
        ids = [
            outbox_email_add(
                kind="test.note", subject=f"Note {i}", body="x", to=[f"r{i}@example.test"]
            ).pk
            for i in range(n)
        ]
    OutgoingEmail.objects.update(created_at=timezone.now() - timedelta(minutes=1))
    return ids


def at_once(work):
    barrier = threading.Barrier(THREADS)

    def run(i):
        barrier.wait()
        try:
            return work(i)
        finally:
            connection.close()  # this thread's own connection

    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(run, range(THREADS)))


def sent_once_each(ids):
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects == sorted(f"Note {i}" for i in range(len(ids)))
    assert OutgoingEmail.objects.filter(pk__in=ids, status=EmailStatus.SENT).count() == len(ids)


def test_sweeps_running_at_once_send_each_email_once(postgres):
    ids = never_handed_over(ROWS)
    results = at_once(lambda i: outbox_sweep())
    print(
        f"\n{THREADS} sweeps at once over {ROWS} unsent e-mails: requeued "
        f"{[r.requeued for r in results]}, sent {len(mail.outbox)}"
    )
    sent_once_each(ids)


def test_workers_given_the_same_emails_at_once_send_each_once(postgres):
    ids = never_handed_over(ROWS)
    sent = at_once(lambda i: outbox_emails_send(email_ids=ids[i:] + ids[:i]))
    print(f"\n{THREADS} workers with the same {ROWS} e-mails: sent {sent} (total {sum(sent)})")
    assert sum(sent) == ROWS
    sent_once_each(ids)
