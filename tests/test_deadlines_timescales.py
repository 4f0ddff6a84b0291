"""Every timescale at its exact boundary (W08, W13, W15, W20, C14, C16, C19-C22, C26)."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from cases.models.choices import ContactMethod, ContactPurpose, Status
from deadlines import events
from deadlines.models import Deadline, DeadlineRule, DeadlineState
from deadlines.services import deadline_waive
from deadlines.sweep import deadlines_sweep
from policy.calendar import WorkingCalendar
from policy.services import policy_settings_apply_preset
from policy.settings import BankHolidayRegion, Preset
from tests.deadline_helpers import (
    apply_preset,
    complainant,
    log_phone_call,
    london,
    open_case,
    policy_change,
)

pytestmark = pytest.mark.django_db

R = DeadlineRule


def due(case, rule):
    return Deadline.objects.get(case=case, rule=rule, state__in=["open", "overdue"]).due_at


def state_after_sweep(deadline, at) -> str:
    deadlines_sweep(run_id=f"run-{at.isoformat()}", now=at)
    deadline.refresh_from_db()
    return deadline.state


@pytest.fixture
def wch(cast):
    apply_preset(cast.organisation, Preset.WCH_2022)
    return cast


@pytest.fixture
def wch_silent():
    """The rule codes of the WCH 2022 preset."""
    from policy.selectors import preset_document

    return {rule["code"] for rule in preset_document("wch_2022")["rules"]}


@pytest.fixture
def circle(cast):
    apply_preset(cast.organisation, Preset.CIRCLE_ANGLIA_2009)
    return cast


# W08 / C17 -----------------------------------------------------------------------------


@time_machine.travel(london(2026, 11, 9, 12, 0), tick=False)
def test_w08_complainant_contacted_within_24_hours(wch):
    friday = open_case(wch, received_at=london(2026, 11, 6, 16, 59))
    monday = open_case(wch, received_at=london(2026, 11, 9, 9, 0))
    assert due(friday, R.W08_FIRST_CONTACT) == london(2026, 11, 7, 16, 59)
    assert due(monday, R.W08_FIRST_CONTACT) == london(2026, 11, 10, 9, 0)

    contact = log_phone_call(
        monday, by=wch.officer, at=london(2026, 11, 9, 11, 0), purpose=ContactPurpose.FIRST_CONTACT
    )
    met = Deadline.objects.get(case=monday, rule=R.W08_FIRST_CONTACT)
    assert met.state == DeadlineState.MET
    assert met.met_at == contact.occurred_at
    assert met.met_by == wch.officer
    assert not met.met_late


@time_machine.travel(london(2026, 11, 9, 12, 0), tick=False)
def test_w08_overdue_one_second_after_24_hours_not_at_24_hours(wch):
    case = open_case(wch, received_at=london(2026, 11, 6, 16, 59))
    deadline = Deadline.objects.get(case=case, rule=R.W08_FIRST_CONTACT)
    assert state_after_sweep(deadline, london(2026, 11, 7, 16, 59)) == DeadlineState.OPEN
    assert state_after_sweep(deadline, london(2026, 11, 7, 16, 59, 1)) == DeadlineState.OVERDUE


@time_machine.travel(london(2026, 11, 9, 12, 0), tick=False)
def test_w08_unanswered_call_or_call_with_someone_else_does_not_meet_it(wch):
    case = open_case(wch, received_at=london(2026, 11, 9, 9, 0))
    log_phone_call(
        case,
        by=wch.officer,
        at=london(2026, 11, 9, 10, 0),
        purpose=ContactPurpose.FIRST_CONTACT,
        reached=False,
    )
    assert Deadline.objects.get(case=case, rule=R.W08_FIRST_CONTACT).state == "open"


@time_machine.travel(london(2026, 4, 1, 12, 0), tick=False)
def test_w08_24_hours_across_the_start_of_british_summer_time(wch):
    # Clocks go forward at 01:00 GMT on Sunday 29 March 2026: 24 elapsed hours from 10:00
    # GMT on Saturday end at 11:00 BST on Sunday.
    case = open_case(wch, received_at=london(2026, 3, 28, 10, 0))
    deadline = due(case, R.W08_FIRST_CONTACT)
    assert deadline == london(2026, 3, 29, 11, 0)
    assert deadline - case.received_at == timedelta(hours=24)


@time_machine.travel(london(2026, 10, 28, 12, 0), tick=False)
def test_w08_24_hours_across_the_end_of_british_summer_time(wch):
    # Clocks go back at 02:00 BST on Sunday 25 October 2026.
    case = open_case(wch, received_at=london(2026, 10, 24, 10, 0))
    deadline = due(case, R.W08_FIRST_CONTACT)
    assert deadline == london(2026, 10, 25, 9, 0)
    assert deadline - case.received_at == timedelta(hours=24)


# C16 -------------------------------------------------------------------------------------


@time_machine.travel(london(2026, 11, 9, 12, 0), tick=False)
def test_c16_friday_report_with_fear_of_violence_prompts_weekend_referral(circle):
    friday = open_case(circle, received_at=london(2026, 11, 6, 16, 59), fear_of_violence=True)
    late_friday = open_case(circle, received_at=london(2026, 11, 6, 18, 0), fear_of_violence=True)
    thursday = open_case(circle, received_at=london(2026, 11, 5, 16, 0), fear_of_violence=True)
    no_fear = open_case(circle, received_at=london(2026, 11, 6, 10, 0))
    assert due(friday, R.C16_WEEKEND_REFERRAL) == london(2026, 11, 6, 17, 0)
    assert due(late_friday, R.C16_WEEKEND_REFERRAL) == london(2026, 11, 6, 23, 59, 59, 999999)
    assert not thursday.deadlines.filter(rule=R.C16_WEEKEND_REFERRAL).exists()
    assert not no_fear.deadlines.filter(rule=R.C16_WEEKEND_REFERRAL).exists()

    events.deadlines_support_referral_made(
        case=friday,
        referred_at=london(2026, 11, 6, 16, 59, 30),
        by=circle.officer,
        party=complainant(friday),
    )
    assert friday.deadlines.get(rule=R.C16_WEEKEND_REFERRAL).state == DeadlineState.MET


@time_machine.travel(london(2026, 11, 9, 12, 0), tick=False)
def test_c16_is_a_rule_an_organisation_can_take_out_of_its_policy(circle, wch_silent):
    on = open_case(circle, received_at=london(2026, 11, 6, 10, 0), fear_of_violence=True)
    assert on.deadlines.filter(rule=R.C16_WEEKEND_REFERRAL).exists()
    policy_change(circle.organisation, by=circle.admin, remove=[R.C16_WEEKEND_REFERRAL])
    off = open_case(circle, received_at=london(2026, 11, 6, 10, 0), fear_of_violence=True)
    assert not off.deadlines.filter(rule=R.C16_WEEKEND_REFERRAL).exists()
    # The running one keeps the terms it started under.
    assert on.deadlines.get(rule=R.C16_WEEKEND_REFERRAL).state == DeadlineState.OPEN


def test_c16_wch_2022_is_silent_on_weekend_referrals_so_its_preset_is_too(wch_silent):
    assert R.C16_WEEKEND_REFERRAL not in wch_silent


# C19, C20, C21, C26 review ------------------------------------------------------------


@time_machine.travel(london(2026, 12, 1, 12, 0), tick=False)
def test_c19_c20_c21_c26_deadlines_from_the_report(circle):
    case = open_case(circle, received_at=london(2026, 11, 30, 16, 59))
    assert due(case, R.C19_OFFICER_CONTACT) == london(2026, 12, 5, 16, 59)
    assert due(case, R.C20_INTERVIEW) == london(2026, 12, 10, 16, 59)
    assert due(case, R.C21_ACTION_PLAN) == london(2026, 12, 14, 16, 59)
    # Three months from 30 November is the last day of February.
    assert due(case, R.C26_CASE_REVIEW) == london(2027, 2, 28, 16, 59)


@time_machine.travel(london(2026, 11, 12, 12, 0), tick=False)
def test_c19_case_officer_contact_and_c20_interview_are_met_by_contacts(circle):
    case = open_case(circle, received_at=london(2026, 11, 9, 9, 0))
    party = complainant(case)
    log_phone_call(
        case,
        by=circle.staff,
        at=london(2026, 11, 9, 10, 0),
        purpose=ContactPurpose.FIRST_CONTACT,
        party=party,
    )
    assert case.deadlines.get(rule=R.W08_FIRST_CONTACT).state == DeadlineState.MET
    assert case.deadlines.get(rule=R.C19_OFFICER_CONTACT).state == DeadlineState.OPEN

    log_phone_call(
        case,
        by=circle.officer,
        at=london(2026, 11, 10, 10, 0),
        purpose=ContactPurpose.UPDATE,
        party=party,
    )
    assert case.deadlines.get(rule=R.C19_OFFICER_CONTACT).state == DeadlineState.MET
    assert case.deadlines.get(rule=R.C20_INTERVIEW).state == DeadlineState.OPEN

    log_phone_call(
        case,
        by=circle.officer,
        at=london(2026, 11, 11, 10, 0),
        purpose=ContactPurpose.INTERVIEW,
        method=ContactMethod.INTERVIEW,
        party=party,
    )
    assert case.deadlines.get(rule=R.C20_INTERVIEW).state == DeadlineState.MET


@time_machine.travel(london(2026, 11, 12, 12, 0), tick=False)
def test_c19_graffiti_repair_within_24_hours_of_its_report(circle):
    case = open_case(circle, received_at=london(2026, 11, 9, 9, 0))
    graffiti = {"damage_kind": "graffiti", "offensive": True}
    events.deadlines_repair_reported(
        case=case, reported_at=london(2026, 11, 10, 16, 59), source_key="repair-1", **graffiti
    )
    events.deadlines_repair_reported(
        case=case, reported_at=london(2026, 11, 11, 8, 0), source_key="repair-2", emergency=True
    )
    # Ordinary damage has no 24-hour promise.
    events.deadlines_repair_reported(
        case=case, reported_at=london(2026, 11, 11, 8, 0), source_key="repair-3"
    )
    repairs = case.deadlines.filter(rule=R.C19_REPAIR).order_by("due_at")
    assert [d.due_at for d in repairs] == [london(2026, 11, 11, 16, 59), london(2026, 11, 12, 8, 0)]
    events.deadlines_repair_done(
        case=case, repaired_at=london(2026, 11, 11, 9, 0), by=circle.officer, source_key="repair-1"
    )
    assert [d.state for d in repairs.all()] == [DeadlineState.MET, DeadlineState.OPEN]


# C21 / C22 action plans -----------------------------------------------------------------


@time_machine.travel(london(2027, 3, 1, 12, 0), tick=False)
def test_c22_plan_reviews_recur_and_updated_plan_issued_within_3_days(circle):
    case = open_case(circle, received_at=london(2026, 11, 9, 9, 0))
    agreed = london(2026, 11, 20, 14, 0)
    events.deadlines_plan_agreed(case=case, agreed_at=agreed, by=circle.officer)
    assert case.deadlines.get(rule=R.C21_ACTION_PLAN).state == DeadlineState.MET
    assert due(case, R.C22_FIRST_PLAN_REVIEW) == london(2026, 12, 5, 14, 0)

    events.deadlines_plan_reviewed(
        case=case, reviewed_at=london(2026, 12, 4, 10, 0), by=circle.officer
    )
    assert due(case, R.C22_PLAN_REVIEW) == london(2027, 1, 3, 10, 0)
    events.deadlines_plan_reviewed(
        case=case, reviewed_at=london(2027, 1, 2, 10, 0), by=circle.officer
    )
    assert due(case, R.C22_PLAN_REVIEW) == london(2027, 2, 1, 10, 0)
    assert case.deadlines.filter(rule=R.C22_PLAN_REVIEW, state="met").count() == 1

    events.deadlines_plan_changed(case=case, changed_at=london(2027, 1, 5, 16, 0))
    assert due(case, R.C22_UPDATED_PLAN_ISSUED) == london(2027, 1, 8, 16, 0)
    events.deadlines_plan_issued(case=case, issued_at=london(2027, 1, 6, 9, 0), by=circle.officer)
    assert case.deadlines.get(rule=R.C22_UPDATED_PLAN_ISSUED).state == DeadlineState.MET


# W13 welfare calls: both presets ------------------------------------------------------


@pytest.mark.parametrize(
    ("preset", "interval"), [(Preset.WCH_2022, 7), (Preset.CIRCLE_ANGLIA_2009, 15)]
)
@time_machine.travel(london(2026, 12, 1, 12, 0), tick=False)
def test_w13_welfare_calls_at_each_presets_interval(cast, preset, interval):
    apply_preset(cast.organisation, preset)
    case = open_case(cast, received_at=london(2026, 11, 2, 10, 0))
    assert due(case, R.W13_WELFARE_CALL) == london(2026, 11, 2 + interval, 10, 0)

    call_at = london(2026, 11, 6, 15, 30)
    log_phone_call(case, by=cast.officer, at=call_at, purpose=ContactPurpose.WELFARE_CALL)
    calls = case.deadlines.filter(rule=R.W13_WELFARE_CALL).order_by("started_at")
    assert [d.state for d in calls] == [DeadlineState.MET, DeadlineState.OPEN]
    assert calls[1].due_at == london(2026, 11, 6 + interval, 15, 30)
    assert calls[1].started_at == call_at


# W15 safeguarding: same working day -----------------------------------------------------


@time_machine.travel(london(2026, 12, 1, 12, 0), tick=False)
def test_w15_safeguarding_referral_the_same_working_day(wch):
    case = open_case(wch, received_at=london(2026, 11, 2, 10, 0))

    def referral_due(recorded_at, key):
        events.deadlines_safeguarding_risk_recorded(
            case=case, recorded_at=recorded_at, source_key=key
        )
        return case.deadlines.get(rule=R.W15_SAFEGUARDING_REFERRAL, source_key=key).due_at

    assert referral_due(london(2026, 11, 6, 16, 59), "fri-1659") == london(2026, 11, 6, 17, 0)
    # Recorded after working hours on Friday: the end of Monday.
    assert referral_due(london(2026, 11, 6, 17, 0), "fri-1700") == london(2026, 11, 9, 17, 0)
    assert referral_due(london(2026, 11, 7, 11, 0), "saturday") == london(2026, 11, 9, 17, 0)
    assert referral_due(london(2026, 11, 9, 8, 0), "mon-early") == london(2026, 11, 9, 17, 0)
    # Before the Spring bank holiday Monday (25 May 2026) the next working day is Tuesday.
    assert referral_due(london(2026, 5, 22, 17, 30), "bank-hol") == london(2026, 5, 26, 17, 0)

    events.deadlines_safeguarding_referral_made(
        case=case,
        referred_at=london(2026, 11, 6, 16, 59, 30),
        by=wch.officer,
        source_key="fri-1659",
    )
    assert (
        case.deadlines.get(rule=R.W15_SAFEGUARDING_REFERRAL, source_key="fri-1659").state == "met"
    )


# W20: 10 working days ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent_at", "expected"),
    [
        # Friday before and after hours, and the Monday after.
        (london(2026, 11, 6, 16, 59), london(2026, 11, 20, 17, 0)),
        (london(2026, 11, 6, 17, 0), london(2026, 11, 23, 17, 0)),
        (london(2026, 11, 9, 9, 0), london(2026, 11, 23, 17, 0)),
        # Easter 2026: Good Friday 3 April and Easter Monday 6 April are not working days.
        (london(2026, 4, 1, 10, 0), london(2026, 4, 17, 17, 0)),
        # Christmas 2026: 25 Dec, Boxing Day observed Mon 28 Dec, New Year's Day.
        (london(2026, 12, 24, 10, 0), london(2027, 1, 12, 17, 0)),
        # Spring bank holiday Monday 25 May 2026.
        (london(2026, 5, 22, 10, 0), london(2026, 6, 8, 17, 0)),
    ],
)
@time_machine.travel(london(2027, 2, 1, 12, 0), tick=False)
def test_w20_false_report_evidence_within_10_working_days(wch, sent_at, expected):
    case = open_case(wch, received_at=london(2026, 3, 2, 10, 0))
    events.deadlines_false_report_letter_sent(case=case, sent_at=sent_at)
    assert due(case, R.W20_FALSE_REPORT_EVIDENCE) == expected


def test_w15_scotland_and_northern_ireland_calendars_are_selectable():
    # St Andrew's Day (Mon 30 Nov 2026) in Scotland; St Patrick's Day (Tue 17 Mar 2026) in NI.
    scotland = WorkingCalendar(region=BankHolidayRegion.SCOTLAND)
    england = WorkingCalendar(region=BankHolidayRegion.ENGLAND_AND_WALES)
    ni = WorkingCalendar(region=BankHolidayRegion.NORTHERN_IRELAND)
    friday_evening = london(2026, 11, 27, 18, 0)
    assert england.end_of_working_day(friday_evening) == london(2026, 11, 30, 17, 0)
    assert scotland.end_of_working_day(friday_evening) == london(2026, 12, 1, 17, 0)
    assert not ni.is_working_day(london(2026, 3, 17, 9, 0).date())
    assert england.is_working_day(london(2026, 3, 17, 9, 0).date())


# C14: the organisation's own settings ------------------------------------------------------


@time_machine.travel(london(2026, 11, 20, 12, 0), tick=False)
def test_c14_a_policy_change_applies_to_deadlines_started_after_it(wch):
    before = open_case(wch, received_at=london(2026, 11, 9, 9, 0))
    policy_change(
        wch.organisation,
        by=wch.admin,
        w08_first_contact={"timescales": [{"unit": "hours", "amount": 12}]},
    )
    after = open_case(wch, received_at=london(2026, 11, 9, 9, 0))
    assert due(before, R.W08_FIRST_CONTACT) == london(2026, 11, 10, 9, 0)
    assert due(after, R.W08_FIRST_CONTACT) == london(2026, 11, 9, 21, 0)
    assert "12 hours" in after.deadlines.get(rule=R.W08_FIRST_CONTACT).clause


def test_c14_each_preset_value_cites_its_clause():
    from policy.settings import PRESETS

    for preset in PRESETS.values():
        for name, value in preset.items():
            assert value.clause, name


# Waiving and closing ------------------------------------------------------------------------


@time_machine.travel(london(2026, 11, 20, 12, 0), tick=False)
def test_only_a_manager_may_waive_a_deadline_and_must_say_why(circle):
    case = open_case(circle, received_at=london(2026, 11, 9, 9, 0))
    deadline = case.deadlines.get(rule=R.C20_INTERVIEW)
    with pytest.raises(PermissionDenied):
        deadline_waive(deadline=deadline, by=circle.officer, reason="No time could be agreed")
    with pytest.raises(PermissionDenied):
        deadline_waive(deadline=deadline, by=circle.admin, reason="No time could be agreed")
    with pytest.raises(ValidationError):
        deadline_waive(deadline=deadline, by=circle.manager, reason="  ")
    waived = deadline_waive(
        deadline=deadline, by=circle.manager, reason="C20: no time could be agreed"
    )
    assert waived.state == DeadlineState.WAIVED
    assert waived.waived_by == circle.manager
    assert waived.history.first().history_change_reason == "Waived"


@time_machine.travel(london(2026, 11, 20, 12, 0), tick=False)
def test_waiving_a_welfare_call_carries_on_unless_the_promise_ends(wch):
    case = open_case(wch, received_at=london(2026, 11, 16, 9, 0))
    first = case.deadlines.get(rule=R.W13_WELFARE_CALL)
    deadline_waive(deadline=first, by=wch.manager, reason="On holiday, agreed to skip")
    nxt = case.deadlines.get(rule=R.W13_WELFARE_CALL, state="open")
    assert nxt.due_at == london(2026, 11, 27, 12, 0)
    deadline_waive(deadline=nxt, by=wch.manager, reason="Declined calls", stop_recurring=True)
    assert not case.deadlines.filter(rule=R.W13_WELFARE_CALL, state="open").exists()


@time_machine.travel(london(2026, 11, 20, 12, 0), tick=False)
def test_c26_closing_a_case_closes_its_deadlines_and_opens_the_appeal_window(circle):
    case = open_case(circle, received_at=london(2026, 11, 9, 9, 0))
    deadlines_sweep(run_id="before-close", now=london(2026, 11, 20, 12, 0))
    assert case.deadlines.get(rule=R.W08_FIRST_CONTACT).state == DeadlineState.OVERDUE
    case.status = Status.CLOSED
    case.save()
    events.deadlines_case_closed(
        case=case, closed_at=london(2026, 11, 20, 12, 0), by=circle.manager
    )
    assert (
        not case.deadlines.filter(state__in=["open", "overdue"])
        .exclude(rule=R.C26_APPEAL_WINDOW)
        .exists()
    )
    assert (
        case.deadlines.get(rule=R.W08_FIRST_CONTACT).waived_reason
        == "Case closed after this deadline was missed"
    )
    window = case.deadlines.get(rule=R.C26_APPEAL_WINDOW)
    assert window.due_at == london(2026, 12, 18, 12, 0)
    # The window lapses quietly: it is not an officer's missed deadline.
    deadlines_sweep(run_id="after-window", now=london(2026, 12, 18, 12, 0, 1))
    window.refresh_from_db()
    assert window.state == DeadlineState.MET
    assert window.overdue_notified_at is None


def test_policy_settings_apply_preset_and_reject_unknown(cast):
    settings = policy_settings_apply_preset(
        organisation=cast.organisation, preset=Preset.CIRCLE_ANGLIA_2009, by=cast.admin
    )
    assert (settings.tenancy_action_requires_conviction, settings.reminder_lead_hours) == (
        False,
        24,
    )
    assert settings.history.count() == 1
    with pytest.raises(ValidationError):
        policy_settings_apply_preset(organisation=cast.organisation, preset="nope")


@time_machine.travel(london(2026, 11, 20, 12, 0), tick=False)
def test_starting_the_same_deadline_twice_keeps_one_clock(wch):
    from deadlines.services import deadline_start

    case = open_case(wch, received_at=london(2026, 11, 9, 9, 0))
    from policy.selectors import rule_in_force

    again = deadline_start(
        case=case,
        rule=rule_in_force(wch.organisation.pk, R.W08_FIRST_CONTACT),
        started_at=london(2026, 11, 10, 9, 0),
        source="Report received",
    )
    assert again.due_at == london(2026, 11, 10, 9, 0)
    assert case.deadlines.filter(rule=R.W08_FIRST_CONTACT).count() == 1
    # A rule none of whose timescales fits the case starts no clock.
    policy_change(
        wch.organisation,
        w08_first_contact={
            "timescales": [{"unit": "hours", "amount": 4, "conditions": {"hate_ground": True}}]
        },
    )
    assert (
        deadline_start(
            case=case,
            rule=rule_in_force(wch.organisation.pk, R.W08_FIRST_CONTACT),
            started_at=london(2026, 11, 9, 9, 0),
            source="x",
            source_key="second",
        )
        is None
    )
