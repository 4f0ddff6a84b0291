"""How far a deadline is from now, in the words officers read: "overdue by 2 days", "due
today by 17:00", "due in 4 days (2 working days)".

Days are London calendar days, as the rest of Haven shows times; where weekends or bank
holidays fall between today and the due day, the working days are said too, counted on the
organisation's own calendar (`policy/calendar.py`), the one that computed the due time.
A deadline is overdue once its due time has passed (the sweep's ``due_at < now``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from policy.calendar import LONDON, WorkingCalendar


class Tone:
    """What kind of status it is: the task list sorts by it and colours its badge."""

    OVERDUE = "overdue"
    TODAY = "today"
    SOON = "soon"
    LATER = "later"


# "Soon" is within this many calendar days; the rest are "later".
SOON_DAYS = 7


@dataclass(frozen=True)
class DueStatus:
    tone: str
    text: str

    @property
    def badge(self) -> str:
        return {
            Tone.OVERDUE: "text-bg-danger",
            Tone.TODAY: "text-bg-warning",
            Tone.SOON: "text-bg-primary",
            "urgent": "text-bg-warning",
            "met": "text-bg-success",
            "met_late": "text-bg-warning",
        }.get(self.tone, "text-bg-secondary")


def _days(count: int) -> str:
    return f"{count} day{'' if count == 1 else 's'}"


def _working_days_between(calendar: WorkingCalendar, after: date, until: date) -> int:
    """Working days d with ``after`` < d <= ``until``."""
    count, day = 0, after
    while day < until:
        day += timedelta(days=1)
        if calendar.is_working_day(day):
            count += 1
    return count


def _with_working_days(text: str, days: int, working: int) -> str:
    """Says the working days when a weekend or bank holiday makes them fewer (none at all
    is left unsaid: "overdue by 1 day" on a Sunday is plain enough)."""
    if working == days or working == 0:
        return text
    return f"{text} ({working} working day{'' if working == 1 else 's'})"


def due_status(*, due_at: datetime, now: datetime, calendar: WorkingCalendar) -> DueStatus:
    """The status of a live deadline due at ``due_at``, seen at ``now``."""
    due = due_at.astimezone(LONDON)
    today = now.astimezone(LONDON).date()
    clock = f"{due:%H:%M}"
    if due_at < now:
        late = (today - due.date()).days
        if late == 0:
            return DueStatus(Tone.OVERDUE, f"overdue since {clock} today")
        working = _working_days_between(calendar, due.date(), today)
        return DueStatus(
            Tone.OVERDUE, _with_working_days(f"overdue by {_days(late)}", late, working)
        )
    ahead = (due.date() - today).days
    if ahead == 0:
        return DueStatus(Tone.TODAY, f"due today by {clock}")
    working = _working_days_between(calendar, today, due.date())
    tone = Tone.SOON if ahead <= SOON_DAYS else Tone.LATER
    if ahead == 1:
        return DueStatus(tone, f"due tomorrow by {clock}")
    return DueStatus(tone, _with_working_days(f"due in {_days(ahead)}", ahead, working))


def met_status(*, due_at: datetime, met_at: datetime) -> DueStatus:
    """A met deadline: on time, or late by how long (never shown as a plain "Met")."""
    if met_at <= due_at:
        return DueStatus("met", "met on time")
    late = (met_at.astimezone(LONDON).date() - due_at.astimezone(LONDON).date()).days
    if late == 0:
        return DueStatus("met_late", "met late, the same day")
    return DueStatus("met_late", f"met {_days(late)} late")
