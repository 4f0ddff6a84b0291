"""Try it: the deadlines a policy would start for a made-up case, at the edges of each unit.

Rules are built with ``rule_save`` as the designer builds them. Times are Europe/London;
working hours 09:00-17:00, England and Wales bank holidays (Mon 31 Aug 2026 the summer bank
holiday; Fri 25 and Mon 28 Dec 2026 Christmas and Boxing Day, substitute). The clocks go
forward on Sun 29 Mar 2026 and back on Sun 25 Oct 2026.
"""

from datetime import datetime

import pytest

from policy.calendar import LONDON, WorkingCalendar
from policy.engine import CaseFacts
from policy.selectors import preset_document, rules_with_timescales
from policy.trial import policy_try, preset_warnings
from tests.policy.conftest import rule_data

pytestmark = pytest.mark.django_db

CALENDAR = WorkingCalendar()


def at(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=LONDON)


def due(build, unit, amount, started: str, **facts) -> datetime:
    version = build(rule_data("the_rule", unit, amount))
    result = policy_try(
        version=version,
        calendar=CALENDAR,
        facts=CaseFacts(**facts),
        events={"report_received": at(started)},
    )
    [deadline] = result.deadlines
    return deadline.due_at.astimezone(LONDON)


EDGES = [
    # hours: elapsed, across both clock changes
    ("hours", 24, "2026-11-06 16:59", "2026-11-07 16:59"),
    ("hours", 24, "2026-11-06 17:00", "2026-11-07 17:00"),
    ("hours", 24, "2026-08-28 16:59", "2026-08-29 16:59"),
    ("hours", 24, "2026-12-24 10:00", "2026-12-25 10:00"),
    ("hours", 24, "2026-03-28 12:00", "2026-03-29 13:00"),
    ("hours", 24, "2026-10-24 12:00", "2026-10-25 11:00"),
    # calendar days: the same wall-clock time
    ("days", 7, "2026-11-06 16:59", "2026-11-13 16:59"),
    ("days", 3, "2026-08-28 17:00", "2026-08-31 17:00"),
    ("days", 2, "2026-12-24 10:00", "2026-12-26 10:00"),
    ("days", 1, "2026-03-28 12:00", "2026-03-29 12:00"),
    ("days", 1, "2026-10-24 12:00", "2026-10-25 12:00"),
    # working days: to the close of the last; after 17:00 counts from the next working day
    ("working_days", 1, "2026-11-06 16:59", "2026-11-09 17:00"),
    ("working_days", 1, "2026-11-06 17:00", "2026-11-10 17:00"),
    ("working_days", 1, "2026-08-28 16:59", "2026-09-01 17:00"),
    ("working_days", 1, "2026-08-28 17:00", "2026-09-02 17:00"),
    ("working_days", 1, "2026-12-24 10:00", "2026-12-29 17:00"),
    ("working_days", 1, "2026-03-27 12:00", "2026-03-30 17:00"),
    ("working_days", 1, "2026-10-23 12:00", "2026-10-26 17:00"),
    # hours not counting weekends and bank holidays
    ("working_hours", 24, "2026-11-06 16:59", "2026-11-09 16:59"),
    ("working_hours", 24, "2026-11-06 17:00", "2026-11-09 17:00"),
    ("working_hours", 24, "2026-08-28 16:59", "2026-09-01 16:59"),
    ("working_hours", 24, "2026-12-24 10:00", "2026-12-29 10:00"),
    ("working_hours", 24, "2026-03-27 12:00", "2026-03-30 12:00"),
    ("working_hours", 24, "2026-10-23 12:00", "2026-10-26 12:00"),
    # calendar months: the same day and time; the 31st becomes the month's last day
    ("months", 1, "2026-11-06 16:59", "2026-12-06 16:59"),
    ("months", 1, "2026-07-31 17:00", "2026-08-31 17:00"),
    ("months", 2, "2026-12-31 10:00", "2027-02-28 10:00"),
    ("months", 3, "2026-01-31 12:00", "2026-04-30 12:00"),
    ("months", 1, "2026-09-25 12:00", "2026-10-25 12:00"),
    # the same working day: after 17:00, the next one's close
    ("same_working_day", None, "2026-11-06 16:59", "2026-11-06 17:00"),
    ("same_working_day", None, "2026-11-06 17:00", "2026-11-09 17:00"),
    ("same_working_day", None, "2026-08-28 17:00", "2026-09-01 17:00"),
    ("same_working_day", None, "2026-12-24 17:30", "2026-12-29 17:00"),
    ("same_working_day", None, "2026-03-27 17:00", "2026-03-30 17:00"),
    ("same_working_day", None, "2026-10-23 17:00", "2026-10-26 17:00"),
    # the coming Friday: its close; on a Friday after 17:00, by its midnight
    ("coming_friday", None, "2026-11-06 16:59", "2026-11-06 17:00"),
    ("coming_friday", None, "2026-11-06 17:00", "2026-11-06 23:59"),
    ("coming_friday", None, "2026-08-31 10:00", "2026-09-04 17:00"),
    ("coming_friday", None, "2026-12-24 10:00", "2026-12-25 17:00"),
    ("coming_friday", None, "2026-03-28 12:00", "2026-04-03 17:00"),
    ("coming_friday", None, "2026-10-25 12:00", "2026-10-30 17:00"),
]


@pytest.mark.parametrize(("unit", "amount", "started", "expected"), EDGES)
def test_try_it_gives_each_units_due_time_at_the_edges(build, unit, amount, started, expected):
    assert due(build, unit, amount, started).strftime("%Y-%m-%d %H:%M") == expected


def test_try_it_chooses_the_first_timescale_whose_conditions_fit(build):
    """First contact within 1 working day with violence or a hate ground, otherwise 3."""
    version = build(
        rule_data(
            "first_contact",
            None,
            timescales=[
                {"unit": "working_days", "amount": 1, "conditions": {"violence": True}, "note": ""},
                {
                    "unit": "working_days",
                    "amount": 1,
                    "conditions": {"hate_ground": True},
                    "note": "a hate incident",
                },
                {"unit": "working_days", "amount": 3, "conditions": {}, "note": ""},
            ],
        )
    )
    friday = {"report_received": at("2026-08-28 16:30")}

    def first(**facts):
        [d] = policy_try(
            version=version, calendar=CALENDAR, facts=CaseFacts(**facts), events=friday
        ).deadlines
        return d

    assert first(violent_act=True).due_at == at("2026-09-01 17:00")
    assert first(violent_act=True).conditions == (
        "violence or a threat of it (fear of violence or a violent act recorded)"
    )
    hate = first(hate_ground=True)
    assert (hate.due_at, hate.note) == (at("2026-09-01 17:00"), "a hate incident")
    assert first().due_at == at("2026-09-03 17:00")
    assert first().conditions == ""


def test_try_it_starts_only_the_events_given_each_at_its_own_time(build):
    version = build(
        rule_data("first_contact", "working_days", 1),
        rule_data(
            "perpetrator_contact",
            "working_days",
            5,
            starts_on="perpetrator_added",
            subject="contact_perpetrator",
            met_by=[{"action": "contact", "roles": ["perpetrator"]}],
        ),
        rule_data(
            "after_closure",
            "days",
            28,
            starts_on="case_closed",
            subject="after_closure",
        ),
    )
    result = policy_try(
        version=version,
        calendar=CALENDAR,
        facts=CaseFacts(),
        events={
            "report_received": at("2026-08-28 16:30"),
            "perpetrator_added": at("2026-09-02 10:00"),
        },
    )
    assert [(d.code, d.due_at) for d in result.deadlines] == [
        ("first_contact", at("2026-09-01 17:00")),
        ("perpetrator_contact", at("2026-09-09 17:00")),
    ]
    assert [(s.code, s.reason) for s in result.skipped] == [
        ("after_closure", "Starts when the case is closed: not in this trial.")
    ]


def test_try_it_says_when_no_timescale_fits(build):
    version = build(
        rule_data("graffiti", "hours", 24, conditions={"offensive_graffiti": True}),
    )
    result = policy_try(
        version=version,
        calendar=CALENDAR,
        facts=CaseFacts(),
        events={"report_received": at("2026-08-28 16:30")},
    )
    assert result.deadlines == []
    assert result.skipped[0].reason == "None of its timescales fits this case."


# C14 -----------------------------------------------------------------------------------------


def _warnings(version):
    rules = list(rules_with_timescales(version.rules.all()))
    return preset_warnings(rules=rules, preset=preset_document("wch_2022"), calendar=CALENDAR)


def test_c14_a_longer_timescale_than_the_presets_same_rule_is_looser(build):
    """WCH 2022's W08 promises contact within 24 hours; 3 working days is looser."""
    version = build(rule_data("w08_first_contact", "working_days", 3))
    warnings = _warnings(version)
    assert warnings.by_code["w08_first_contact"] == (
        "within 3 working days, but the preset promises within 24 hours. "
        "(Contact the complainant (W08 (000 §6.2)))"
    )


def test_c14_a_shorter_timescale_is_not_looser(build):
    version = build(rule_data("w08_first_contact", "hours", 12))
    assert "w08_first_contact" not in _warnings(version).by_code


def test_c14_a_quicker_branch_does_not_hide_a_looser_otherwise(build):
    """Within 4 hours with violence, otherwise 2 days: the ordinary case is looser."""
    version = build(
        rule_data(
            "w08_first_contact",
            None,
            timescales=[
                {"unit": "hours", "amount": 4, "conditions": {"violence": True}, "note": ""},
                {"unit": "days", "amount": 2, "conditions": {}, "note": ""},
            ],
        )
    )
    assert (
        _warnings(version)
        .by_code["w08_first_contact"]
        .startswith("within 2 days, but the preset promises within 24 hours.")
    )


def test_c14_a_timescale_only_for_some_cases_leaves_others_uncovered(build):
    version = build(rule_data("w08_first_contact", "hours", 24, conditions={"hate_ground": True}))
    assert (
        _warnings(version)
        .by_code["w08_first_contact"]
        .startswith("no timescale for a case the preset covers (within 24 hours).")
    )


def test_c14_a_preset_rule_the_policy_lacks_is_listed(build):
    version = build(rule_data("w08_first_contact", "hours", 24))
    missing = _warnings(version).missing
    assert (
        "Weekly welfare call to the complainant (W13 (000 §8.3)): the preset has this rule "
        "and this policy does not." in missing
    )
    assert not any(line.startswith("Contact the complainant") for line in missing)
