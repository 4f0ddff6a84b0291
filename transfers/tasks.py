from celery import shared_task
from django.db import transaction

from .models import PanelDecision
from .services.meetings import panel_meetings_schedule_all
from .services.notifications import decision_officer_notify_queue


@shared_task(ignore_result=True)
def schedule_panel_meetings() -> None:
    """Run by beat: every organisation's next Housing Panel meeting exists in advance (W05)."""
    panel_meetings_schedule_all()


# The officer's e-mail now goes through the outbox. This name stays for messages queued
# before that change: it writes the e-mail to the outbox unless it was already sent.
@shared_task(ignore_result=True)
def decision_notify_officer(decision_id: int) -> None:
    with transaction.atomic():
        if PanelDecision.objects.filter(pk=decision_id, officer_notified_at__isnull=True).exists():
            decision_officer_notify_queue(decision_id=decision_id)
