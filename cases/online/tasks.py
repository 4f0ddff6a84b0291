"""Celery tasks for online reports. They take primary keys only: no personal data in Redis.

Acknowledgements now go through the outbox (``outbox.tasks.send_emails``). This name stays
for messages queued before that change: it writes the e-mail to the outbox, unless the
report was already acknowledged.
"""

from django.db import transaction

from config.celery import app

from ..models.online import OnlineReport
from ..services.online import acknowledgement_queue


@app.task(acks_late=True)
def online_report_acknowledge(report_pk: int) -> None:
    with transaction.atomic():
        waiting = OnlineReport.objects.filter(pk=report_pk, acknowledgement_sent_at__isnull=True)
        if waiting.exclude(acknowledgement_email="").exists():
            acknowledgement_queue(report_pk=report_pk)
