"""Celery tasks for deadlines: a few lines each, calling a service with primary keys only."""

import uuid

from celery import shared_task

from .sweep import SWEEP_HARD_LIMIT, SWEEP_SOFT_LIMIT, deadlines_sweep

RETRIES = {
    "bind": True,
    "ignore_result": True,
    "max_retries": 3,
    "default_retry_delay": 20,
    # The sweep's claims are leases that outlive these limits (deadlines/sweep.py).
    "soft_time_limit": SWEEP_SOFT_LIMIT,
    "time_limit": SWEEP_HARD_LIMIT,
}


def _sweep(task) -> dict:
    run_id = task.request.id or uuid.uuid4().hex
    result = deadlines_sweep(run_id=run_id)
    return {
        "overdue": result.marked_overdue,
        "reminders": result.reminders,
        "overdue_notices": result.overdue_notices,
        "digests": result.digests,
    }


@shared_task(**RETRIES)
def sweep_deadlines(self) -> dict:
    """Every minute (config/celery.py). A retry keeps the task id, so it finishes its claims."""
    return _sweep(self)


# The task's name before deadlines had an app of their own: messages already queued under it
# (a retry, a beat tick sent before a deploy) still run.
@shared_task(name="cases.tasks.sweep_deadlines", **RETRIES)
def sweep_deadlines_old_name(self) -> dict:
    return _sweep(self)
