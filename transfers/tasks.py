from celery import shared_task

from .services.meetings import panel_meetings_schedule_all
from .services.notifications import decision_officer_notify, decisions_notify_pending


@shared_task(ignore_result=True)
def schedule_panel_meetings() -> None:
    """Run by beat: every organisation's next Housing Panel meeting exists in advance (W05)."""
    panel_meetings_schedule_all()


@shared_task(ignore_result=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def decision_notify_officer(decision_id: int) -> None:
    decision_officer_notify(decision_id=decision_id)


@shared_task(ignore_result=True)
def notify_pending_decisions() -> None:
    """Run by beat: catch up on decision e-mails the broker could not take at the time."""
    decisions_notify_pending()
