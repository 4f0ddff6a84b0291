from celery import shared_task

from .services import heartbeat_record


@shared_task(bind=True, ignore_result=True)
def heartbeat(self) -> None:
    """Run by beat every minute; /healthz reads when it last ran."""
    heartbeat_record(hostname=self.request.hostname or "")
