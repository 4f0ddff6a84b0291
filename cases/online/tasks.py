"""Celery tasks for online reports. They take primary keys only: no personal data in Redis."""

from config.celery import app

from ..services.online import acknowledgements_requeue, online_report_acknowledgement_send


# Bound to Haven's app, not the "current" one: a second Celery app in the process (a test
# producer, a shell) must never capture the acknowledgement.
@app.task(acks_late=True, autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def online_report_acknowledge(report_pk: int) -> bool:
    return online_report_acknowledgement_send(report_pk=report_pk)


@app.task
def online_report_acknowledgements_sweep() -> int:
    return acknowledgements_requeue()
