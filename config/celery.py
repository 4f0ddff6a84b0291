"""The Celery application and the one place where the periodic schedule is kept."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("haven")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["cases.online"])

# Exactly one beat process runs this schedule (see docker-compose.yml and the Makefile).
app.conf.beat_schedule = {
    "scheduler-heartbeat": {
        "task": "system.tasks.heartbeat",
        "schedule": float(os.environ.get("HAVEN_HEARTBEAT_SECONDS", "60")),
        "options": {"expires": 55},
    },
    # Acknowledgements the broker never took (it was down when the report was saved).
    "online-report-acknowledgements-sweep": {
        "task": "cases.online.tasks.online_report_acknowledgements_sweep",
        "schedule": 300.0,
        "options": {"expires": 290},
    },
}
