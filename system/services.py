from django.utils import timezone

from .models import SchedulerHeartbeat


def heartbeat_record(*, hostname: str = "") -> SchedulerHeartbeat:
    beat, _ = SchedulerHeartbeat.objects.update_or_create(
        id=SchedulerHeartbeat.SINGLETON_ID,
        defaults={"beat_at": timezone.now(), "worker_hostname": hostname[:255]},
    )
    return beat
