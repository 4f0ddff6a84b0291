"""The sweep's Celery task after deadlines moved to their own app: the beat schedule names the
new task, and a message queued under the old name (before a deploy) still runs the sweep."""

from datetime import timedelta

import pytest
from django.utils import timezone

from config.celery import app
from deadlines.models import DeadlineRule, DeadlineState
from policy.settings import Preset
from tests.deadline_helpers import apply_preset, open_case

pytestmark = pytest.mark.django_db


def test_beat_schedule_names_the_deadlines_task_and_it_is_registered():
    app.loader.import_default_modules()
    task = app.conf.beat_schedule["deadlines-sweep"]["task"]
    assert task == "deadlines.tasks.sweep_deadlines"
    assert task in app.tasks


@pytest.mark.parametrize("name", ["deadlines.tasks.sweep_deadlines", "cases.tasks.sweep_deadlines"])
def test_sweep_runs_under_its_new_and_its_old_task_name(cast, name):
    app.loader.import_default_modules()
    apply_preset(cast.organisation, Preset.WCH_2022)
    case = open_case(cast, received_at=timezone.now() - timedelta(hours=24, seconds=5))
    result = app.tasks[name].apply().get()
    assert result["overdue"] == 1
    deadline = case.deadlines.get(rule=DeadlineRule.W08_FIRST_CONTACT)
    assert deadline.state == DeadlineState.OVERDUE
