"""Celery tasks for retention: a few lines each, calling a service with no personal data."""

import uuid

from celery import shared_task

from .sweep import SWEEP_HARD_LIMIT, SWEEP_SOFT_LIMIT, retention_sweep


@shared_task(
    bind=True,
    ignore_result=True,
    soft_time_limit=SWEEP_SOFT_LIMIT,
    time_limit=SWEEP_HARD_LIMIT,
)
def sweep_retention(self) -> dict:
    """Hourly (config/celery.py). Claims are rows committed with the work, so a second run
    at the same time, or one after a crash, takes nothing twice."""
    result = retention_sweep(run_id=self.request.id or uuid.uuid4().hex)
    if result.failed:
        # Raised after the other organisations' runs committed, so the failure is seen.
        raise RuntimeError(f"retention runs failed for organisations {result.failed}")
    return {"runs": len(result.runs), **result.counts}
