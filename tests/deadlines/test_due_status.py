"""The words for how far a deadline is from now (deadlines/status.py), at the edges: the
minute before midnight, Friday 16:59 before a weekend, a bank holiday, the clocks changing."""

import pytest
import time_machine
from django.utils import timezone

from deadlines.status import Tone, due_status, met_status
from policy.calendar import WorkingCalendar
from tests.deadline_helpers import london

ENGLAND = WorkingCalendar()


def status_at(now, due_at, calendar=ENGLAND):
    with time_machine.travel(now, tick=False):
        return due_status(due_at=due_at, now=timezone.now(), calendar=calendar)


@pytest.mark.parametrize(
    ("now", "text", "tone"),
    [
        # Due Wednesday 25 Nov 2026 at 17:00.
        (london(2026, 11, 25, 16, 59), "due today by 17:00", Tone.TODAY),
        (london(2026, 11, 25, 17, 0), "due today by 17:00", Tone.TODAY),  # not yet past
        (london(2026, 11, 25, 17, 1), "overdue since 17:00 today", Tone.OVERDUE),
        (london(2026, 11, 25, 23, 59), "overdue since 17:00 today", Tone.OVERDUE),
        (london(2026, 11, 26, 0, 0), "overdue by 1 day", Tone.OVERDUE),
        (london(2026, 11, 27, 9, 0), "overdue by 2 days", Tone.OVERDUE),
        (london(2026, 11, 24, 23, 59), "due tomorrow by 17:00", Tone.SOON),
        (london(2026, 11, 21, 12, 0), "due in 4 days (3 working days)", Tone.SOON),
    ],
)
def test_status_either_side_of_the_due_time_and_of_midnight(now, text, tone):
    status = status_at(now, london(2026, 11, 25, 17, 0))
    assert (status.text, status.tone) == (text, tone)


def test_friday_1659_a_deadline_due_monday_is_three_days_but_one_working_day():
    status = status_at(london(2026, 11, 27, 16, 59), london(2026, 11, 30, 17, 0))
    assert status.text == "due in 3 days (1 working day)"
    # At 17:01 on Friday a deadline due at 17:00 that day is overdue; by Monday morning it
    # is three days late, one of them a working day.
    assert status_at(london(2026, 11, 27, 17, 1), london(2026, 11, 27, 17, 0)).text == (
        "overdue since 17:00 today"
    )
    assert status_at(london(2026, 11, 30, 9, 0), london(2026, 11, 27, 17, 0)).text == (
        "overdue by 3 days (1 working day)"
    )


def test_bank_holiday_monday_is_not_a_working_day():
    # Late summer bank holiday, Monday 31 Aug 2026 (England and Wales); a deadline due on
    # Tuesday 1 Sep is one working day away from Friday 28 Aug, four days in all.
    status = status_at(london(2026, 8, 28, 16, 59), london(2026, 9, 1, 17, 0))
    assert status.text == "due in 4 days (1 working day)"
    # Scotland works that Monday (its bank holiday is 3 Aug): two working days.
    scotland = WorkingCalendar(region="SCT")
    assert status_at(london(2026, 8, 28, 16, 59), london(2026, 9, 1, 17, 0), scotland).text == (
        "due in 4 days (2 working days)"
    )


def test_christmas_counts_no_working_days():
    status = status_at(london(2026, 12, 24, 12, 0), london(2026, 12, 29, 17, 0))
    # 25 Dec (Fri), 26-27 weekend, 28 Dec (Boxing Day substitute): only the 29th works.
    assert status.text == "due in 5 days (1 working day)"


def test_days_are_london_days_across_the_clocks_going_back():
    # 25 Oct 2026: clocks go back at 02:00. Due 26 Oct 00:30 London (00:30 GMT).
    status = status_at(london(2026, 10, 25, 23, 45), london(2026, 10, 26, 0, 30))
    assert status.text == "due tomorrow by 00:30"


def test_met_late_is_its_own_status_and_says_how_late():
    due = london(2026, 11, 25, 17, 0)
    assert met_status(due_at=due, met_at=london(2026, 11, 25, 16, 0)).text == "met on time"
    assert met_status(due_at=due, met_at=due).tone == "met"
    late_same_day = met_status(due_at=due, met_at=london(2026, 11, 25, 18, 0))
    assert (late_same_day.tone, late_same_day.text) == ("met_late", "met late, the same day")
    assert met_status(due_at=due, met_at=london(2026, 11, 27, 9, 0)).text == "met 2 days late"
    assert late_same_day.badge != met_status(due_at=due, met_at=due).badge
