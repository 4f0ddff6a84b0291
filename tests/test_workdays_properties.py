"""Properties of the working-day calendar that must hold for every start time, not just the
hand-picked boundaries (W15 same working day, W20 10 working days, W08 24 hours)."""

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from policy.calendar import LONDON, WorkingCalendar, add_hours

CALENDARS = st.sampled_from([WorkingCalendar(region=region) for region in ("ENG", "SCT", "NIR")])
INSTANTS = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
)


def working_days_between(calendar, first, last):
    """Working days strictly after ``first`` up to and including ``last``."""
    count, day = 0, first
    while day < last:
        day += timedelta(days=1)
        count += calendar.is_working_day(day)
    return count


@settings(max_examples=300, deadline=None)
@given(calendar=CALENDARS, at=INSTANTS, days=st.integers(min_value=1, max_value=30))
def test_w20_n_working_days_land_on_the_close_of_a_working_day_n_days_on(calendar, at, days):
    due = calendar.add_working_days(at, days)
    local_due = due.astimezone(LONDON)
    assert calendar.is_working_day(local_due.date())
    assert local_due.time() == calendar.ends
    assert due > at
    local = at.astimezone(LONDON)
    start = local.date()
    if not calendar.is_working_day(start) or local.time() >= calendar.ends:
        start = calendar.next_working_day(start)
    assert working_days_between(calendar, start, local_due.date()) == days


@settings(max_examples=300, deadline=None)
@given(calendar=CALENDARS, at=INSTANTS)
def test_w15_same_working_day_is_the_first_close_of_a_working_day_not_yet_passed(calendar, at):
    due = calendar.end_of_working_day(at)
    local_due = due.astimezone(LONDON)
    assert due > at
    assert calendar.is_working_day(local_due.date())
    assert local_due.time() == calendar.ends
    # No working day closes between the risk being recorded and the deadline.
    day = at.astimezone(LONDON).date()
    while day < local_due.date():
        if calendar.is_working_day(day):
            assert calendar.close_of(day) <= at
        day += timedelta(days=1)


@settings(max_examples=300, deadline=None)
@given(at=INSTANTS, hours=st.integers(min_value=1, max_value=24 * 14))
def test_w08_hours_are_elapsed_time_whatever_the_clocks_do(at, hours):
    assert add_hours(at, hours) - at == timedelta(hours=hours)
