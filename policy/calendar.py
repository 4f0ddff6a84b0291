"""The working-day calendar: the one place Haven turns a timescale into a due time.

Bank holidays come from the ``holidays`` package for the organisation's region (England and
Wales by default; Scotland or Northern Ireland selectable). Working hours come from the
organisation's policy settings. Everything is computed in Europe/London wall-clock time and
returned timezone-aware, so the clocks changing for British Summer Time is handled:
``add_hours`` counts elapsed hours, the day-based functions keep the wall-clock time.
"""

from __future__ import annotations

import calendar as std_calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

LONDON = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class WorkingCalendar:
    region: str = "ENG"
    starts: time = time(9, 0)
    ends: time = time(17, 0)

    @classmethod
    def for_policy(cls, policy) -> WorkingCalendar:
        return cls(
            region=policy.bank_holiday_region,
            starts=policy.working_day_starts,
            ends=policy.working_day_ends,
        )

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in _bank_holidays(self.region, day.year)

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def close_of(self, day: date) -> datetime:
        return datetime.combine(day, self.ends, tzinfo=LONDON)

    def end_of_working_day(self, at: datetime) -> datetime:
        """W15: the close of the working day ``at`` falls in; after hours, of the next one."""
        local = at.astimezone(LONDON)
        day = local.date()
        if self.is_working_day(day) and local.time() < self.ends:
            return self.close_of(day)
        return self.close_of(self.next_working_day(day))

    def add_working_days(self, at: datetime, days: int) -> datetime:
        """W20: the close of the ``days``-th working day after the day ``at`` falls in.

        A start after hours or on a non-working day counts from the next working day, so
        a letter sent on Friday evening gives the same time as one sent on Monday morning.
        """
        local = at.astimezone(LONDON)
        day = local.date()
        if not self.is_working_day(day) or local.time() >= self.ends:
            day = self.next_working_day(day)
        for _ in range(days):
            day = self.next_working_day(day)
        return self.close_of(day)


def add_hours(at: datetime, hours: int) -> datetime:
    """Elapsed hours (W08 "within 24 hours"): 24 hours across a clock change stay 24."""
    return (at.astimezone(ZoneInfo("UTC")) + timedelta(hours=hours)).astimezone(LONDON)


def add_days(at: datetime, days: int) -> datetime:
    """Calendar days at the same London wall-clock time."""
    local = at.astimezone(LONDON)
    return datetime.combine(local.date() + timedelta(days=days), local.time(), tzinfo=LONDON)


def add_months(at: datetime, months: int) -> datetime:
    """Calendar months (C26 "after three months"); the 31st becomes the month's last day."""
    local = at.astimezone(LONDON)
    month_index = local.month - 1 + months
    year, month = local.year + month_index // 12, month_index % 12 + 1
    day = min(local.day, std_calendar.monthrange(year, month)[1])
    return datetime.combine(date(year, month, day), local.time(), tzinfo=LONDON)


@lru_cache(maxsize=64)
def _bank_holidays(region: str, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv=region, years=year))
