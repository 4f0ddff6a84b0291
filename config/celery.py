"""The Celery application and the one place where the periodic schedule is kept."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("haven")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Exactly one beat process runs this schedule (see docker-compose.yml and the Makefile).
app.conf.beat_schedule = {
    "scheduler-heartbeat": {
        "task": "system.tasks.heartbeat",
        "schedule": float(os.environ.get("HAVEN_HEARTBEAT_SECONDS", "60")),
        "options": {"expires": 55},
    },
    "deadlines-sweep": {
        "task": "cases.tasks.sweep_deadlines",
        "schedule": float(os.environ.get("HAVEN_SWEEP_SECONDS", "60")),
        "options": {"expires": 55},
    },
    "letters-requeue": {
        "task": "letters.tasks.letters_requeue",
        "schedule": float(os.environ.get("HAVEN_LETTER_SWEEP_SECONDS", "120")),
        "options": {"expires": 110},
    },
}
