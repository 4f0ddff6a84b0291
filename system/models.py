from django.db import models


class SchedulerHeartbeat(models.Model):
    """One row: when the Celery beat schedule last ran its heartbeat task."""

    SINGLETON_ID = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_ID)
    beat_at = models.DateTimeField()
    worker_hostname = models.CharField(max_length=255, blank=True)

    def __str__(self) -> str:
        return f"Last beat {self.beat_at:%Y-%m-%d %H:%M:%S}"
