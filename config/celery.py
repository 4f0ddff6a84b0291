"""The Celery application and the one place where the periodic schedule is kept."""

import os

from celery import Celery
from celery.schedules import crontab

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
    "deadlines-sweep": {
        "task": "deadlines.tasks.sweep_deadlines",
        "schedule": float(os.environ.get("HAVEN_SWEEP_SECONDS", "60")),
        "options": {"expires": 55},
    },
    # W05: each organisation's next weekly Housing Panel meeting is created in advance.
    "transfers-schedule-panel-meetings": {
        "task": "transfers.tasks.schedule_panel_meetings",
        "schedule": crontab(minute=5),
        "options": {"expires": 3000},
    },
    "transfers-notify-pending-decisions": {
        "task": "transfers.tasks.notify_pending_decisions",
        "schedule": crontab(minute="*/15"),
        "options": {"expires": 600},
    },
    # Acknowledgements the broker never took (it was down when the report was saved).
    "online-report-acknowledgements-sweep": {
        "task": "cases.online.tasks.online_report_acknowledgements_sweep",
        "schedule": float(os.environ.get("HAVEN_ACK_SWEEP_SECONDS", "300")),
        "options": {"expires": 290},
    },
    # Each organisation's default dashboard, computed ahead of the managers who open it.
    "dashboards-warm": {
        "task": "dashboards.tasks.warm_dashboards",
        "schedule": float(os.environ.get("HAVEN_DASHBOARD_WARM_SECONDS", "240")),
        "options": {"expires": 230},
    },
    "letters-requeue": {
        "task": "letters.tasks.letters_requeue",
        "schedule": float(os.environ.get("HAVEN_LETTER_SWEEP_SECONDS", "120")),
        "options": {"expires": 110},
    },
}
