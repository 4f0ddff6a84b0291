"""Celery tasks for letters: primary keys in, services do the work."""

from celery import shared_task

from .services.delivery import letter_process as letter_process_service
from .services.delivery import letters_sweep

# Rendering has a time limit (a pathological template cannot hold a worker): the soft
# limit raises inside WeasyPrint and the letter is marked failed; the hard limit kills the
# child process if even that does not return. (Both need the prefork pool.)
RENDER_SOFT_LIMIT = 60
RENDER_HARD_LIMIT = 90


@shared_task(
    ignore_result=True,
    acks_late=True,
    soft_time_limit=RENDER_SOFT_LIMIT,
    time_limit=RENDER_HARD_LIMIT,
)
def letter_process(letter_id: int) -> None:
    """Render the letter to PDF and e-mail it if it goes by e-mail. Safe to run twice."""
    letter_process_service(letter_id=letter_id)


@shared_task(ignore_result=True)
def letters_requeue() -> dict:
    """Every few minutes (config/celery.py): re-queue letters a broker outage held back."""
    result = letters_sweep()
    return {
        "requeued": result.requeued,
        "rendered_unsent": result.rendered_unsent,
        "send_unknown": result.send_unknown,
    }
