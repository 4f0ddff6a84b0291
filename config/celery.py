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
    # Every promised e-mail the broker never took, or a dead worker's (outbox.services).
    "outbox-sweep": {
        "task": "outbox.tasks.sweep_outbox",
        "schedule": float(os.environ.get("HAVEN_OUTBOX_SWEEP_SECONDS", "60")),
        "options": {"expires": 55},
    },
    # Each organisation's default dashboard, computed ahead of the managers who open it.
    "dashboards-warm": {
        "task": "dashboards.tasks.warm_dashboards",
        "schedule": float(os.environ.get("HAVEN_DASHBOARD_WARM_SECONDS", "240")),
        "options": {"expires": 230},
    },
    # Letters a broker outage, a dead worker (once its claim's lease is over) or a full
    # document store held back: every minute, so a worker's death is recovered within the
    # lease plus one sweep (letters/services/delivery.py).
    "letters-requeue": {
        "task": "letters.tasks.letters_requeue",
        "schedule": float(os.environ.get("HAVEN_LETTER_SWEEP_SECONDS", "60")),
        "options": {"expires": 55},
    },
    # Retention schedule (issue 19): anonymise or delete what has had its time, hourly.
    "retention-sweep": {
        "task": "retention.tasks.sweep_retention",
        "schedule": crontab(minute=40),
        "options": {"expires": 3000},
    },
    # Subject access bundles a broker outage or a dead worker (once its lease is over) held
    # back (subject_access/services/preparation.py).
    "subject-access-requeue": {
        "task": "subject_access.tasks.subject_access_requeue",
        "schedule": float(os.environ.get("HAVEN_SUBJECT_ACCESS_SWEEP_SECONDS", "60")),
        "options": {"expires": 55},
    },
}
