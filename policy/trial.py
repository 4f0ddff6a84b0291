"""Trying a policy before it is published: the deadlines it would start for a made-up case.

Pure computation on a version's rows and the facts given; nothing is saved. The designer's
"Try it" page shows the result, and the C14 check below compares a draft with its preset the
same way, case by case, so that both say what the engine would really do.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from types import SimpleNamespace

from .calendar import LONDON, WorkingCalendar
from .engine import (
    FACT_OF_LIST,
    CaseFacts,
    conditions_words,
    due_time,
    timescale_for,
    timescale_words,
)
from .selectors import rules_with_timescales
from .vocabulary import CONDITION_FLAGS, CONDITION_LISTS, CONDITION_WEEKDAYS, Event


@dataclass(frozen=True)
class TrialDeadline:
    code: str
    title: str
    clause: str
    event: str  # vocabulary.Event that started it
    started_at: datetime
    due_at: datetime
    timescale: str  # "within 3 working days"
    conditions: str  # "violence or a threat of it", "" when the timescale holds always
    note: str


@dataclass(frozen=True)
class TrialSkip:
    """A rule the case would not start, and why."""

    code: str
    title: str
    reason: str


@dataclass(frozen=True)
class TrialResult:
    deadlines: list[TrialDeadline]
    skipped: list[TrialSkip]


def policy_try(
    *,
    version,
    calendar: WorkingCalendar,
    facts: CaseFacts,
    events: Mapping[str, datetime],
    rules: Iterable | None = None,
) -> TrialResult:
    """Every deadline ``version`` would start for a case with ``facts`` when each event in
    ``events`` (vocabulary.Event -> when it happened) is recorded, soonest due first.

    ``rules`` may be given already loaded with their timescales (the view's selector does).
    """
    rules = list(rules if rules is not None else rules_with_timescales(version.rules.all()))
    deadlines, skipped = [], []
    for rule in rules:
        if rule.starts_on == Event.PREVIOUS_MET:
            starter = next((r.title for r in rules if r.then_starts == rule.code), "another rule")
            skipped.append(TrialSkip(rule.code, rule.title, f"Starts when “{starter}” is met."))
            continue
        started_at = events.get(rule.starts_on)
        if started_at is None:
            skipped.append(
                TrialSkip(
                    rule.code,
                    rule.title,
                    f"Starts when {Event(rule.starts_on).label}: not in this trial.",
                )
            )
            continue
        timescale = timescale_for(rule.timescales.all(), facts, started_at)
        if timescale is None:
            skipped.append(
                TrialSkip(rule.code, rule.title, "None of its timescales fits this case.")
            )
            continue
        deadlines.append(
            TrialDeadline(
                code=rule.code,
                title=rule.title,
                clause=rule.clause,
                event=rule.starts_on,
                started_at=started_at,
                due_at=due_time(timescale.unit, timescale.amount, started_at, calendar),
                timescale=timescale_words(timescale.unit, timescale.amount, every=rule.repeats),
                conditions=conditions_words(timescale.conditions),
                note=timescale.note,
            )
        )
    deadlines.sort(key=lambda d: (d.due_at, d.title))
    return TrialResult(deadlines=deadlines, skipped=skipped)


# C14: a group's timescales are a minimum ---------------------------------------------------

# A week with no bank holiday in England, Wales, Scotland or Northern Ireland: the sample
# starts compare timescales, not calendars.
_SAMPLE_MONDAY = datetime(2026, 6, 8, tzinfo=LONDON)
_SAMPLE_TIMES = (time(10, 0), time(16, 30))


def _facts_meeting(conditions: Mapping) -> tuple[CaseFacts, tuple[int, ...]]:
    """A case for which ``conditions`` hold, and the weekdays it may start on."""
    facts = CaseFacts()
    changes: dict = {}
    for name, wanted in conditions.items():
        if name in CONDITION_LISTS:
            changes[FACT_OF_LIST[name]] = wanted[0]
        elif name == "violence":
            changes["fear_of_violence"] = bool(wanted)
            if not wanted:
                changes["violent_act"] = False
        elif name in CONDITION_FLAGS:
            changes[name] = bool(wanted)
    weekdays = tuple(conditions.get(CONDITION_WEEKDAYS) or (0, 4))
    return replace(facts, **changes), weekdays


def _sample_cases(ours, theirs) -> list[tuple[CaseFacts, datetime]]:
    samples = []
    for timescale in [*ours, *theirs, None]:
        facts, weekdays = _facts_meeting(timescale.conditions if timescale else {})
        for weekday in weekdays:
            day = _SAMPLE_MONDAY + timedelta(days=weekday)
            samples.extend(
                (facts, day.replace(hour=t.hour, minute=t.minute)) for t in _SAMPLE_TIMES
            )
    return samples


def looser_than(*, ours: list, theirs: list, calendar: WorkingCalendar) -> str | None:
    """Why timescales ``ours`` promise less than the preset's ``theirs`` (rows or anything
    with unit, amount and conditions), or None.

    Compared case by case: for cases that fit each timescale of either side, started on a
    weekday morning and late in the afternoon, ours falls due after theirs, or theirs starts
    a deadline where ours starts none.
    """
    for facts, started_at in _sample_cases(ours, theirs):
        preset = timescale_for(theirs, facts, started_at)
        if preset is None:
            continue
        mine = timescale_for(ours, facts, started_at)
        preset_words = _words(preset)
        if mine is None:
            return f"no timescale for a case the preset covers ({preset_words})."
        if due_time(mine.unit, mine.amount, started_at, calendar) > due_time(
            preset.unit, preset.amount, started_at, calendar
        ):
            return f"{_words(mine)}, but the preset promises {preset_words}."
    return None


def _words(timescale) -> str:
    words = timescale_words(timescale.unit, timescale.amount)
    where = conditions_words(timescale.conditions)
    return f"{words} where {where}" if where else words


@dataclass(frozen=True)
class PresetWarnings:
    by_code: dict[str, str]  # a rule's code -> why it is looser than the preset's
    missing: list[str]  # the preset's rules the policy lacks, in words


def preset_warnings(*, rules: Iterable, preset: Mapping, calendar: WorkingCalendar):
    """C14: where a policy's rules promise less than its preset (a parsed document)."""
    codes = {rule.code: rule for rule in rules}
    by_code: dict[str, str] = {}
    missing: list[str] = []
    for preset_rule in preset["rules"]:
        theirs = [SimpleNamespace(**t) for t in preset_rule["timescales"]]
        rule = codes.get(preset_rule["code"])
        label = preset_rule["title"] + (
            f" ({preset_rule['clause']})" if preset_rule["clause"] else ""
        )
        if rule is None:
            missing.append(f"{label}: the preset has this rule and this policy does not.")
            continue
        why = looser_than(ours=list(rule.timescales.all()), theirs=theirs, calendar=calendar)
        if why:
            by_code[rule.code] = f"{why} ({label})"
    return PresetWarnings(by_code=by_code, missing=missing)
