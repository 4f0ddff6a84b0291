"""Celery tasks for the outbox: ids only, never an address or a message."""

from config.celery import app

from .services import TASK_SOFT_TIME_LIMIT, TASK_TIME_LIMIT, outbox_emails_send, outbox_sweep


# Bound to Haven's app, not the "current" one. No autoretry: a refusal backs off in the row
# and the sweep (every minute) hands it over again.
@app.task(acks_late=True, soft_time_limit=TASK_SOFT_TIME_LIMIT, time_limit=TASK_TIME_LIMIT)
def send_emails(email_ids: list[int]) -> int:
    return outbox_emails_send(email_ids=email_ids)


@app.task(ignore_result=True)
def sweep_outbox() -> dict:
    result = outbox_sweep()
    return {"requeued": result.requeued, "may_have_gone": result.may_have_gone}
