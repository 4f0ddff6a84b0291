from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from .models import SchedulerHeartbeat


def database_state() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # noqa: BLE001 - any failure means "down"
        return {"ok": False, "error": type(error).__name__}
    return {"ok": True, "vendor": connection.vendor}


def broker_state() -> dict[str, Any]:
    from config.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
            transport = conn.transport_cls
    except Exception as error:  # noqa: BLE001
        return {"ok": False, "error": type(error).__name__}
    return {"ok": True, "transport": str(transport)}


def scheduler_state(*, database_ok: bool) -> dict[str, Any]:
    if not database_ok:
        return {"ok": False, "last_beat": None}
    beat: datetime | None = (
        SchedulerHeartbeat.objects.filter(id=SchedulerHeartbeat.SINGLETON_ID)
        .values_list("beat_at", flat=True)
        .first()
    )
    if beat is None:
        return {"ok": False, "last_beat": None}
    age = (timezone.now() - beat).total_seconds()
    return {
        "ok": age < settings.HAVEN_SCHEDULER_STALE_AFTER_SECONDS,
        "last_beat": beat.isoformat(),
        "seconds_since_last_beat": int(age),
    }
