"""Celery tasks for cases: a few lines each, calling a service with primary keys only."""

import uuid

from celery import shared_task

from .services.sweep import deadlines_sweep


@shared_task(bind=True, ignore_result=True, max_retries=3, default_retry_delay=20)
def sweep_deadlines(self) -> dict:
    """Every minute (config/celery.py). A retry keeps the task id, so it finishes its claims."""
    run_id = self.request.id or uuid.uuid4().hex
    result = deadlines_sweep(run_id=run_id)
    return {
        "overdue": result.marked_overdue,
        "reminders": result.reminders,
        "overdue_notices": result.overdue_notices,
        "digests": result.digests,
    }
