"""Celery tasks for letters: primary keys in, services do the work."""

from celery import shared_task
from celery.signals import worker_init

from .services.delivery import TASK_HARD_LIMIT, TASK_SOFT_LIMIT, letters_sweep
from .services.delivery import letter_process as letter_process_service

# Rendering has a time limit (a pathological template cannot hold a worker): the soft
# limit raises inside WeasyPrint and the letter is marked failed; the hard limit kills the
# child process if even that does not return. (Both need the prefork pool.) The claims the
# task takes are leases that end a margin after the hard limit (services/delivery.py).
RENDER_SOFT_LIMIT = TASK_SOFT_LIMIT
RENDER_HARD_LIMIT = TASK_HARD_LIMIT


@worker_init.connect
def load_the_pdf_renderer(**kwargs) -> None:
    """Import WeasyPrint in the worker's main process, before the pool forks its children:
    its first import takes seconds, and a soft time limit landing inside it would leave the
    child with a half-imported fontTools that fails every later letter."""
    import weasyprint.document  # noqa: F401
    import weasyprint.urls  # noqa: F401


@shared_task(
    ignore_result=True,
    acks_late=True,
    soft_time_limit=RENDER_SOFT_LIMIT,
    time_limit=RENDER_HARD_LIMIT,
)
def letter_process(letter_id: int) -> None:
    """Render the letter to PDF and e-mail it if it goes by e-mail. Safe to run twice."""
    letter_process_service(letter_id=letter_id)


@shared_task(ignore_result=True, soft_time_limit=50, time_limit=60)
def letters_requeue() -> dict:
    """Every minute (config/celery.py): re-queue letters a broker outage, a dead worker or a
    full document store held back."""
    result = letters_sweep()
    return {
        "requeued": result.requeued,
        "rendered_unsent": result.rendered_unsent,
        "send_unknown": result.send_unknown,
    }
