"""How long a sweep over 100,000 open deadlines takes. Run on PostgreSQL with:

    HAVEN_BENCHMARK=1 DATABASE_URL=postgres://... .venv/bin/python -m pytest -s \
        tests/test_deadlines_benchmark.py
"""

import os
import random
import time
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection

from deadlines.models import Deadline, DeadlineRule
from deadlines.sweep import deadlines_sweep
from policy.settings import Preset
from tests.deadline_helpers import apply_preset, london, open_case

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        os.environ.get("HAVEN_BENCHMARK") != "1", reason="Set HAVEN_BENCHMARK=1 to measure."
    ),
]
NOW = london(2026, 11, 10, 10, 0)
TOTAL = 100_000


def test_sweep_over_100000_open_deadlines(cast):
    apply_preset(cast.organisation, Preset.WCH_2022)
    with time_machine.travel(NOW, tick=False):
        cases = [open_case(cast, received_at=NOW - timedelta(days=1)) for _ in range(100)]
    Deadline.objects.all().delete()
    rng = random.Random(4)
    rows = []
    for i in range(TOTAL):
        # 1% just overdue, 1% inside the reminder window, the rest due in the next 90 days.
        bucket = i % 100
        if bucket == 0:
            due = NOW - timedelta(minutes=rng.randint(1, 59))
        elif bucket == 1:
            due = NOW + timedelta(hours=rng.randint(1, 23))
        else:
            due = NOW + timedelta(days=rng.randint(2, 90), minutes=rng.randint(0, 1439))
        rows.append(
            Deadline(
                case=cases[i % 100],
                organisation_id=cases[i % 100].organisation_id,
                rule=DeadlineRule.C19_REPAIR,
                clause="C19 (004 §4.8)",
                started_by="Benchmark",
                source_key=f"b{i}",
                started_at=NOW - timedelta(days=1),
                due_at=due,
                remind_at=due - timedelta(hours=24),
            )
        )
    Deadline.objects.bulk_create(rows, batch_size=5000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE cases_deadline")

    timings = []
    for minute in range(3):
        mail.outbox = []
        started = time.perf_counter()
        result = deadlines_sweep(run_id=f"bench-{minute}", now=NOW + timedelta(minutes=minute))
        timings.append((time.perf_counter() - started, result))
    first, result = timings[0]
    print(
        f"\n{connection.vendor}: {Deadline.objects.count()} deadlines; first sweep {first:.2f}s "
        f"(overdue {result.marked_overdue}, reminders {result.reminders} of which sent in "
        f"batches of 1000, notices {result.overdue_notices}, digests {result.digests}); "
        + "; ".join(f"next {t:.2f}s ({r.reminders} reminders)" for t, r in timings[1:])
    )
    assert first < 10
