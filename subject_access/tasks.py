"""Celery tasks for subject access: primary keys in, services do the work."""

from celery import shared_task

from .services.preparation import TASK_HARD_LIMIT, TASK_SOFT_LIMIT, subject_access_sweep
from .services.preparation import subject_access_prepare as prepare_service


@shared_task(
    ignore_result=True,
    acks_late=True,
    soft_time_limit=TASK_SOFT_LIMIT,
    time_limit=TASK_HARD_LIMIT,
)
def subject_access_prepare(request_id: int) -> None:
    """Build and store a request's bundle. Safe to run twice."""
    prepare_service(request_id=request_id)


@shared_task(ignore_result=True, soft_time_limit=50, time_limit=60)
def subject_access_requeue() -> dict:
    """Every minute (config/celery.py): hand over requests a broker outage or a dead worker
    held back."""
    return {"requeued": len(subject_access_sweep().requeued)}
