"""The timescale engine: which of a rule's timescales fits a case, when it falls due, and
whether an officer's action meets it. Pure computation on rows and facts: the services in
``deadlines`` store and move the deadlines.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from .calendar import LONDON, WorkingCalendar, add_days, add_hours, add_months
from .vocabulary import (
    CONDITION_FLAGS,
    CONDITION_LISTS,
    CONDITION_WEEKDAYS,
    IN_PERSON_METHODS,
    WEEKDAYS,
    Unit,
)


@dataclass(frozen=True)
class CaseFacts:
    """What a timescale's conditions may ask of a case, at the moment a deadline starts."""

    category: str = ""
    risk_band: str = ""
    fear_of_violence: bool = False
    violent_act: bool = False
    hate_ground: bool = False
    # The repair's, for a deadline a repair starts.
    damage_kind: str = ""
    offensive_graffiti: bool = False
    emergency_repair: bool = False

    @property
    def violence(self) -> bool:
        return self.fear_of_violence or self.violent_act


@dataclass(frozen=True)
class Done:
    """An action an officer recorded, as a rule's ``met_by`` matchers read it."""

    action: str
    role: str = ""  # vocabulary.Role of the party it was with, "" if none
    method: str = ""
    purpose: str = ""
    by_case_officer: bool = False
    key: str = ""  # the person, repair or risk it concerns, for keyed deadlines


FACT_OF_LIST = {"categories": "category", "risk_bands": "risk_band", "damage_kinds": "damage_kind"}


def conditions_hold(conditions: Mapping, facts: CaseFacts, started_at: datetime) -> bool:
    for name, wanted in conditions.items():
        if name in CONDITION_LISTS:
            if getattr(facts, FACT_OF_LIST[name]) not in wanted:
                return False
        elif name in CONDITION_FLAGS:
            if bool(getattr(facts, name)) != bool(wanted):
                return False
        elif name == CONDITION_WEEKDAYS:
            if started_at.astimezone(LONDON).weekday() not in wanted:
                return False
        else:
            raise ValueError(f"Unknown condition {name!r}")
    return True


def timescale_for(timescales: Iterable, facts: CaseFacts, started_at: datetime):
    """The first of a rule's timescales whose conditions hold, or None."""
    for timescale in timescales:
        if conditions_hold(timescale.conditions, facts, started_at):
            return timescale
    return None


def due_time(unit: str, amount: int | None, started_at: datetime, calendar: WorkingCalendar):
    if unit == Unit.HOURS:
        return add_hours(started_at, amount)
    if unit == Unit.DAYS:
        return add_days(started_at, amount)
    if unit == Unit.MONTHS:
        return add_months(started_at, amount)
    if unit == Unit.WORKING_DAYS:
        return calendar.add_working_days(started_at, amount)
    if unit == Unit.WORKING_HOURS:
        return add_working_hours(started_at, amount, calendar)
    if unit == Unit.SAME_WORKING_DAY:
        return calendar.end_of_working_day(started_at)
    if unit == Unit.COMING_FRIDAY:
        return close_of_coming_friday(started_at, calendar)
    raise ValueError(f"Unknown unit {unit!r}")


def add_working_hours(at: datetime, hours: int, calendar: WorkingCalendar) -> datetime:
    """ "24 hours excluding weekends and bank holidays": the clock runs only on working days,
    all day; a start on a weekend or holiday counts from the next working day's midnight."""
    local = at.astimezone(LONDON)
    left = timedelta(hours=hours)
    day, clock = local.date(), local.time()
    while True:
        if calendar.is_working_day(day):
            start = datetime.combine(day, clock, tzinfo=LONDON)
            midnight = datetime.combine(day + timedelta(days=1), time(0), tzinfo=LONDON)
            available = midnight - start
            if left <= available:
                return start + left
            left -= available
        day, clock = day + timedelta(days=1), time(0)


def close_of_coming_friday(at: datetime, calendar: WorkingCalendar) -> datetime:
    """The close of the Friday on or after ``at``. It is about the weekend ahead, so it
    closes that Friday even when it is a bank holiday; on a Friday after hours, by midnight
    rather than next week."""
    local = at.astimezone(LONDON)
    friday = local.date() + timedelta(days=(4 - local.weekday()) % 7)
    close = calendar.close_of(friday)
    if local >= close:
        return datetime.combine(friday, time.max, tzinfo=LONDON)
    return close


def action_meets(matcher: Mapping, done: Done) -> bool:
    if matcher.get("action") != done.action:
        return False
    if matcher.get("roles") and done.role not in matcher["roles"]:
        return False
    if matcher.get("methods") and done.method not in matcher["methods"]:
        return False
    if matcher.get("purposes") and done.purpose not in matcher["purposes"]:
        return False
    if matcher.get("in_person") and done.method not in IN_PERSON_METHODS:
        return False
    return not (matcher.get("by_case_officer") and not done.by_case_officer)


def rule_met_by(rule, done: Done) -> bool:
    return any(action_meets(matcher, done) for matcher in rule.met_by)


# What people read -------------------------------------------------------------------------

UNIT_WORDS = {
    Unit.HOURS: ("hour", "hours"),
    Unit.DAYS: ("day", "days"),
    Unit.WORKING_DAYS: ("working day", "working days"),
    Unit.WORKING_HOURS: (
        "hour, not counting weekends and bank holidays",
        "hours, not counting weekends and bank holidays",
    ),
    Unit.MONTHS: ("month", "months"),
}


def timescale_words(unit: str, amount: int | None, *, every: bool = False) -> str:
    """ "within 24 hours", "every 7 days", "the same working day", "by the close of the
    coming Friday"."""
    if unit == Unit.SAME_WORKING_DAY:
        return "the same working day"
    if unit == Unit.COMING_FRIDAY:
        return "by the close of the coming Friday"
    one, many = UNIT_WORDS[unit]
    return f"{'every' if every else 'within'} {amount} {one if amount == 1 else many}"


def conditions_words(conditions: Mapping) -> str:
    """ "where: hate crime or hate incident; violence or a threat of it" — for the designer and
    the "why is this due?" disclosure."""
    parts = []
    for name, wanted in conditions.items():
        if name in CONDITION_LISTS:
            labels = dict(CONDITION_LISTS[name].choices)
            parts.append(" or ".join(str(labels.get(v, v)).lower() for v in wanted))
        elif name in CONDITION_FLAGS:
            words = CONDITION_FLAGS[name]
            parts.append(words if wanted else f"no {words}")
        elif name == CONDITION_WEEKDAYS:
            parts.append("started on " + " or ".join(WEEKDAYS[d] for d in wanted))
    return "; ".join(parts)


def slug_for(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", title.lower()).strip("_")[:40] or "rule"
