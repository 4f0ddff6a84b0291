"""Two sweeps at once anonymise each case exactly once (PostgreSQL: the claim is the
``Disposal`` row's unique index, which makes the second run's insert wait and then skip)."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from threading import Barrier

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.db import connection

from cases.models import Case
from retention.models import Disposal, RetentionRun
from retention.sweep import retention_sweep_organisation
from tests.cases.factories import make_case

from .conftest import london

CLOSED = london(2020, 3, 10, 12, 0)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_anonymise_each_case_once(cast):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite serialises them)")
    with time_machine.travel(CLOSED - timedelta(days=1), tick=False):
        cases = [make_case(cast.organisation, cast.staff) for _ in range(12)]
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(status="closed", closed_at=CLOSED)
    now = CLOSED + relativedelta(years=6)
    barrier = Barrier(2)

    def run(i):
        barrier.wait()
        try:
            return retention_sweep_organisation(
                organisation=cast.organisation, run_id=f"thread-{i}", now=now
            )
        finally:
            connection.close()

    with ThreadPoolExecutor(2) as pool:
        runs = [r for r in pool.map(run, range(2)) if r is not None]
    assert sum(r.counts.get("closed_case_cases_anonymised", 0) for r in runs) == 12
    assert Disposal.objects.filter(model="cases.Case").count() == 12
    assert RetentionRun.objects.count() == len(runs)
    reasons = Case.history.filter(history_change_reason__startswith="Anonymised")
    assert reasons.count() == 12  # one audit row per case, not two
