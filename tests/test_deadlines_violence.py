"""C19, C20, C21 (004 §4.8-4.10): sooner where there is violence or a threat of it.

A case opened with fear of violence starts the officer-contact, interview and action-plan
deadlines on the policy's faster timescales; violence recorded later (fear of violence
switched on, or an incident with a violent act) brings the live ones forward, never later.
"""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from cases.models.choices import VIOLENT_ACTS, ContactPurpose, IncidentAct
from cases.services.changes import case_update
from cases.services.records import incident_record, incident_update
from deadlines.events import deadlines_violence_recorded
from deadlines.models import Deadline, DeadlineRule, DeadlineState
from deadlines.services import deadline_waive
from deadlines.sweep import deadlines_sweep
from policy.calendar import LONDON
from policy.selectors import preset_document
from policy.settings import Preset
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
FASTER = (R.C19_OFFICER_CONTACT, R.C20_INTERVIEW, R.C21_ACTION_PLAN)
BROUGHT_FORWARD = "Brought forward: violence or a threat of it recorded"


def live(case, rule) -> Deadline:
    return Deadline.objects.get(case=case, rule=rule, state__in=["open", "overdue"])


def record_incident(case, by, *, at, acts):
    return incident_record(
        case=case, by=by, occurred_at=at, description="At the front door.", acts=acts
    )


@pytest.fixture
def circle(cast):
    apply_preset(cast.organisation, Preset.CIRCLE_ANGLIA_2009)
    return cast


@pytest.fixture
def wch(cast):
    apply_preset(cast.organisation, Preset.WCH_2022)
    return cast


# Opening a case ----------------------------------------------------------------------------


@time_machine.travel(london(2026, 12, 1, 12, 0), tick=False)
def test_c19_violence_at_intake_gives_officer_contact_in_one_day(circle):
    case = open_case(circle, received_at=london(2026, 11, 30, 16, 59), fear_of_violence=True)
    contact = live(case, R.C19_OFFICER_CONTACT)
    assert contact.due_at == london(2026, 12, 1, 16, 59)
    assert contact.clause == "C19 (004 §4.8): within 1 day (violence or a threat of it)"
    # The reminder is the lead time (24 hours) before, but not before the report.
    assert contact.remind_at == london(2026, 11, 30, 16, 59)


@time_machine.travel(london(2026, 12, 1, 12, 0), tick=False)
def test_c20_c21_violence_at_intake_gives_interview_in_5_and_plan_in_7_days(circle):
    case = open_case(circle, received_at=london(2026, 11, 30, 16, 59), fear_of_violence=True)
    interview, plan = live(case, R.C20_INTERVIEW), live(case, R.C21_ACTION_PLAN)
    assert interview.due_at == london(2026, 12, 5, 16, 59)
    assert plan.due_at == london(2026, 12, 7, 16, 59)
    assert interview.clause == "C20 (004 §4.9): within 5 days (violence or a threat of it)"
    assert plan.clause == "C21 (004 §4.10): within 7 days (violence or a threat of it)"
    assert plan.remind_at == london(2026, 12, 6, 16, 59)
    # The other deadlines keep their timescales.
    assert live(case, R.W08_FIRST_CONTACT).due_at == london(2026, 12, 1, 16, 59)
    assert live(case, R.C26_CASE_REVIEW).due_at == london(2027, 2, 28, 16, 59)


@time_machine.travel(london(2026, 12, 1, 12, 0), tick=False)
def test_c19_c20_c21_without_violence_keep_the_standard_timescales(circle):
    case = open_case(circle, received_at=london(2026, 11, 30, 16, 59))
    assert [live(case, rule).due_at for rule in FASTER] == [
        london(2026, 12, 5, 16, 59),
        london(2026, 12, 10, 16, 59),
        london(2026, 12, 14, 16, 59),
    ]
    assert all("violence" not in live(case, rule).clause for rule in FASTER)
    assert live(case, R.C19_OFFICER_CONTACT).clause.endswith("within 5 days")


@time_machine.travel(london(2026, 4, 1, 12, 0), tick=False)
def test_c19_one_day_with_violence_across_the_start_of_british_summer_time(circle):
    # Clocks go forward at 01:00 GMT on Sunday 29 March 2026: a calendar day from 10:00 GMT
    # on Saturday is 10:00 BST on Sunday, 23 elapsed hours.
    case = open_case(circle, received_at=london(2026, 3, 28, 10, 0), fear_of_violence=True)
    due = live(case, R.C19_OFFICER_CONTACT).due_at
    assert due == london(2026, 3, 29, 10, 0)
    assert due.astimezone(LONDON).utcoffset() == timedelta(hours=1)
    assert due - case.received_at == timedelta(hours=23)


@time_machine.travel(london(2026, 12, 1, 12, 0), tick=False)
def test_c19_without_a_faster_timescale_the_standard_one_applies_with_violence(cast):
    apply_preset(cast.organisation, Preset.CIRCLE_ANGLIA_2009)
    policy_change(
        cast.organisation,
        c19_officer_contact={"timescales": [{"unit": "days", "amount": 5}]},
    )
    opened = open_case(cast, received_at=london(2026, 11, 30, 16, 59), fear_of_violence=True)
    contact = live(opened, R.C19_OFFICER_CONTACT)
    assert contact.due_at == london(2026, 12, 5, 16, 59)
    assert "violence" not in contact.clause
    # The others still have their faster timescales.
    assert live(opened, R.C20_INTERVIEW).due_at == london(2026, 12, 5, 16, 59)

    later = open_case(cast, received_at=london(2026, 11, 30, 16, 59))
    record_incident(later, cast.officer, at=london(2026, 11, 30, 16, 0), acts=["threats"])
    assert live(later, R.C19_OFFICER_CONTACT).due_at == london(2026, 12, 5, 16, 59)
    assert live(later, R.C20_INTERVIEW).due_at == london(2026, 12, 5, 16, 59)


@time_machine.travel(london(2026, 12, 1, 12, 0), tick=False)
def test_c19_no_such_rule_means_no_deadline_even_with_violence(cast):
    apply_preset(cast.organisation, Preset.CIRCLE_ANGLIA_2009)
    policy_change(cast.organisation, remove=[R.C19_OFFICER_CONTACT])
    case = open_case(cast, received_at=london(2026, 11, 30, 16, 59), fear_of_violence=True)
    assert not case.deadlines.filter(rule=R.C19_OFFICER_CONTACT).exists()


# Violence recorded later ---------------------------------------------------------------------


@time_machine.travel(london(2026, 12, 3, 12, 0), tick=False)
def test_c19_c20_c21_threats_recorded_later_bring_live_deadlines_forward(circle):
    case = open_case(circle, received_at=london(2026, 12, 1, 9, 0))
    record_incident(case, circle.officer, at=london(2026, 12, 3, 11, 0), acts=["threats"])

    contact, interview, plan = (live(case, rule) for rule in FASTER)
    assert contact.due_at == london(2026, 12, 2, 9, 0)  # already past: the sweep's to mark
    assert interview.due_at == london(2026, 12, 6, 9, 0)
    assert plan.due_at == london(2026, 12, 8, 9, 0)
    assert contact.clause.endswith("within 1 day (violence or a threat of it)")
    assert contact.started_at == london(2026, 12, 1, 9, 0)
    # Reminders recomputed as when started: a day before, not before the start.
    assert contact.remind_at == london(2026, 12, 1, 9, 0)
    assert interview.remind_at == london(2026, 12, 5, 9, 0)
    for deadline in (contact, interview, plan):
        # The clock stands still, so history is in id order (newest first).
        latest, started = deadline.history.all()[:2]
        assert latest.history_change_reason.startswith(BROUGHT_FORWARD)
        assert latest.history_user == circle.officer
        assert started.history_change_reason == "Started: Report received"
        assert started.due_at > latest.due_at == deadline.due_at
    # Nothing else moves.
    assert live(case, R.W08_FIRST_CONTACT).due_at == london(2026, 12, 2, 9, 0)
    assert live(case, R.W13_WELFARE_CALL).due_at == london(2026, 12, 16, 9, 0)


@time_machine.travel(london(2026, 12, 3, 12, 0), tick=False)
def test_c19_correcting_an_incident_to_add_threats_brings_officer_contact_forward(circle):
    case = open_case(circle, received_at=london(2026, 12, 3, 9, 0))
    incident = record_incident(
        case, circle.officer, at=london(2026, 12, 3, 8, 0), acts=["verbal_abuse"]
    )
    assert live(case, R.C19_OFFICER_CONTACT).due_at == london(2026, 12, 8, 9, 0)

    incident_update(
        incident=incident,
        by=circle.officer,
        reason="The complainant says he threatened to hurt her",
        expected_version=incident.version,
        acts=["verbal_abuse", "threats"],
    )

    contact = live(case, R.C19_OFFICER_CONTACT)
    assert contact.due_at == london(2026, 12, 4, 9, 0)
    assert contact.history.first().history_change_reason.startswith(BROUGHT_FORWARD)


@pytest.mark.parametrize("act", sorted(VIOLENT_ACTS))
@time_machine.travel(london(2026, 12, 3, 12, 0), tick=False)
def test_c19_every_violent_act_brings_officer_contact_forward(circle, act):
    case = open_case(circle, received_at=london(2026, 12, 3, 9, 0))
    record_incident(case, circle.officer, at=london(2026, 12, 3, 8, 0), acts=["verbal_abuse", act])
    assert live(case, R.C19_OFFICER_CONTACT).due_at == london(2026, 12, 4, 9, 0)


def test_c19_the_violent_acts_are_threats_assault_robbery_and_arson():
    expected = {IncidentAct.THREATS, IncidentAct.ASSAULT, IncidentAct.ROBBERY, IncidentAct.ARSON}
    assert expected == VIOLENT_ACTS


@time_machine.travel(london(2026, 12, 3, 12, 0), tick=False)
def test_c19_incident_with_no_violent_act_changes_nothing(circle):
    case = open_case(circle, received_at=london(2026, 12, 1, 9, 0))
    before = {d.pk: (d.due_at, d.clause, d.history.count()) for d in case.deadlines.all()}
    non_violent = sorted(set(IncidentAct.values) - VIOLENT_ACTS)
    record_incident(case, circle.officer, at=london(2026, 12, 3, 11, 0), acts=non_violent)
    after = {d.pk: (d.due_at, d.clause, d.history.count()) for d in case.deadlines.all()}
    assert after == before


@time_machine.travel(london(2026, 12, 3, 12, 0), tick=False)
def test_c19_c20_c21_met_and_waived_deadlines_are_not_touched(circle):
    case = open_case(circle, received_at=london(2026, 12, 1, 9, 0))
    log_phone_call(
        case,
        by=circle.officer,
        at=london(2026, 12, 2, 10, 0),
        purpose=ContactPurpose.UPDATE,
        party=complainant(case),
    )
    deadline_waive(
        deadline=live(case, R.C20_INTERVIEW), by=circle.manager, reason="No time could be agreed"
    )
    met = case.deadlines.get(rule=R.C19_OFFICER_CONTACT)
    waived = case.deadlines.get(rule=R.C20_INTERVIEW)
    assert (met.state, waived.state) == (DeadlineState.MET, DeadlineState.WAIVED)

    type(case).objects.filter(pk=case.pk).update(fear_of_violence=True)
    case.refresh_from_db()
    moved = deadlines_violence_recorded(case=case, by=circle.officer, what="test")

    assert [d.rule for d in moved] == [R.C21_ACTION_PLAN]
    for closed in (met, waived):
        fresh = Deadline.objects.get(pk=closed.pk)
        assert (fresh.due_at, fresh.clause, fresh.state) == (
            closed.due_at,
            closed.clause,
            closed.state,
        )
        assert fresh.history.count() == closed.history.count()
    assert live(case, R.C21_ACTION_PLAN).due_at == london(2026, 12, 8, 9, 0)


@time_machine.travel(london(2026, 12, 3, 12, 0), tick=False)
def test_c19_violence_never_pushes_a_deadline_later(cast):
    # Opened when the organisation promised officer contact within a day for everyone; it
    # then moved to 5 days, 3 with violence: the running deadline keeps its terms and its
    # sooner due time.
    apply_preset(cast.organisation, Preset.CIRCLE_ANGLIA_2009)
    policy_change(
        cast.organisation, c19_officer_contact={"timescales": [{"unit": "days", "amount": 1}]}
    )
    case = open_case(cast, received_at=london(2026, 12, 2, 9, 0))
    policy_change(
        cast.organisation,
        c19_officer_contact={
            "timescales": [
                {"unit": "days", "amount": 3, "conditions": {"violence": True}},
                {"unit": "days", "amount": 5},
            ]
        },
    )
    record_incident(case, cast.officer, at=london(2026, 12, 2, 8, 0), acts=["assault"])
    contact = live(case, R.C19_OFFICER_CONTACT)
    assert contact.due_at == london(2026, 12, 3, 9, 0)
    assert "violence" not in contact.clause
    assert not contact.history.filter(history_change_reason__startswith="Brought").exists()


@time_machine.travel(london(2026, 12, 3, 12, 0), tick=False)
def test_c19_violence_recorded_twice_moves_deadlines_once(circle):
    case = open_case(circle, received_at=london(2026, 12, 3, 9, 0), fear_of_violence=True)
    count = live(case, R.C19_OFFICER_CONTACT).history.count()
    record_incident(case, circle.officer, at=london(2026, 12, 3, 8, 0), acts=["threats"])
    record_incident(case, circle.officer, at=london(2026, 12, 3, 10, 0), acts=["assault"])
    contact = live(case, R.C19_OFFICER_CONTACT)
    assert contact.due_at == london(2026, 12, 4, 9, 0)
    assert contact.history.count() == count


@time_machine.travel(london(2026, 12, 3, 12, 0), tick=False)
def test_c19_fear_of_violence_switched_on_by_a_case_change_brings_deadlines_forward(circle):
    case = open_case(circle, received_at=london(2026, 12, 2, 9, 0))
    changed = case_update(
        case=case,
        by=circle.officer,
        expected_version=case.version,
        reason="She now fears he will hurt her",
        fear_of_violence=True,
    )
    contact = live(case, R.C19_OFFICER_CONTACT)
    assert contact.due_at == london(2026, 12, 3, 9, 0)
    assert contact.history.first().history_change_reason == (
        f"{BROUGHT_FORWARD} (fear of violence)"
    )
    # Switching it off again never pushes the deadlines back.
    case_update(
        case=changed,
        by=circle.officer,
        expected_version=changed.version,
        reason="Mistake",
        fear_of_violence=False,
    )
    assert live(case, R.C19_OFFICER_CONTACT).due_at == london(2026, 12, 3, 9, 0)


@time_machine.travel(london(2026, 12, 3, 12, 0), tick=False)
def test_c19_other_case_changes_do_not_move_deadlines(circle):
    case = open_case(circle, received_at=london(2026, 12, 2, 9, 0))
    case_update(
        case=case, by=circle.officer, expected_version=case.version, reason="x", location="B"
    )
    assert live(case, R.C19_OFFICER_CONTACT).due_at == london(2026, 12, 7, 9, 0)


def test_c19_sweep_marks_a_brought_forward_deadline_overdue(circle):
    with time_machine.travel(london(2026, 12, 1, 9, 0), tick=False):
        case = open_case(circle, received_at=london(2026, 12, 1, 9, 0))
    with time_machine.travel(london(2026, 12, 3, 12, 0), tick=False):
        deadlines_sweep(run_id="before", now=london(2026, 12, 3, 12, 0))
        contact = live(case, R.C19_OFFICER_CONTACT)
        assert contact.state == DeadlineState.OPEN
        sent = len(mail.outbox)

        record_incident(case, circle.officer, at=london(2026, 12, 3, 11, 0), acts=["threats"])
        contact.refresh_from_db()
        assert contact.state == DeadlineState.OPEN and contact.due_at == london(2026, 12, 2, 9, 0)

        result = deadlines_sweep(run_id="after", now=london(2026, 12, 3, 12, 1))
    contact.refresh_from_db()
    assert contact.state == DeadlineState.OVERDUE
    assert result.marked_overdue == 1
    assert result.overdue_notices == 1
    notice = mail.outbox[sent]
    assert case.reference in notice.subject or case.reference in notice.body
    assert "within 1 day (violence or a threat of it)" in notice.body


# Pages: intake, case change, incident form, case page, My work --------------------------


def csrf_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def csrf_post(client: Client, url: str, data: dict):
    client.get(url)
    return client.post(url, {**data, "csrfmiddlewaretoken": client.cookies["csrftoken"].value})


@time_machine.travel(london(2026, 12, 3, 12, 0), tick=False)
def test_c19_officer_records_a_threat_on_the_incident_form_and_the_case_page_shows_it(circle):
    case = open_case(circle, received_at=london(2026, 12, 3, 9, 0))
    client = csrf_client(circle.officer)
    response = csrf_post(
        client,
        reverse("cases:incident_add", args=[case.pk]),
        {
            "occurred_at": "2026-12-03T10:00",
            "description": "He said he would hurt her",
            "acts": ["threats"],
            "police_reported": "unknown",
        },
    )
    assert response.status_code == 302
    assert live(case, R.C19_OFFICER_CONTACT).due_at == london(2026, 12, 4, 9, 0)

    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "within 1 day (violence or a threat of it)" in page
    assert "C20 (004 §4.9): within 5 days (violence or a threat of it)" in page
    my_work = client.get(reverse("deadlines:my_work")).content.decode()
    assert "within 1 day (violence or a threat of it)" in my_work


@time_machine.travel(london(2026, 12, 3, 12, 0), tick=False)
def test_c19_case_edit_switching_on_fear_of_violence_brings_deadlines_forward(circle):
    case = open_case(circle, received_at=london(2026, 12, 2, 9, 0))
    client = csrf_client(circle.officer)
    response = csrf_post(
        client,
        reverse("cases:edit", args=[case.pk]),
        {
            "status": "open",
            "risk_level": "high",
            "location": "",
            "summary": case.summary,
            "prior_action": "",
            "fear_of_violence": "on",
            "reason": "Threatened on the phone",
            "version": case.version,
        },
    )
    assert response.status_code == 302
    contact = live(case, R.C19_OFFICER_CONTACT)
    assert contact.due_at == london(2026, 12, 3, 9, 0)
    assert contact.history.first().history_user == circle.officer


@pytest.mark.parametrize(
    ("role", "status"),
    [("staff", 403), ("officer", 302), ("manager", 302), ("panel", 403), ("admin", 403)]
    + [("outsider", 404)],
)
@time_machine.travel(london(2026, 12, 3, 12, 0), tick=False)
def test_c19_only_case_workers_can_record_the_threat_that_brings_deadlines_forward(
    client, circle, role, status
):
    case = open_case(circle, received_at=london(2026, 12, 3, 9, 0))
    client.force_login(circle.by_role()[role])
    response = client.post(
        reverse("cases:incident_add", args=[case.pk]),
        {"occurred_at": "2026-12-03T10:00", "description": "Threats", "acts": ["threats"]}
        | {"police_reported": "unknown"},
    )
    assert response.status_code == status
    expected = london(2026, 12, 4, 9, 0) if status == 302 else london(2026, 12, 8, 9, 0)
    assert live(case, R.C19_OFFICER_CONTACT).due_at == expected


def test_c19_intake_help_text_says_fear_of_violence_shortens_c19_c20_c21(client, cast):
    client.force_login(cast.staff)
    page = client.get(reverse("cases:log")).content.decode()
    assert "This shortens the case officer contact (C19), interview (C20) and action plan" in page


# The presets (C14) ---------------------------------------------------------------------------


def test_c19_c20_c21_circle_anglia_preset_has_faster_timescales_citing_its_own_clauses():
    rules = {rule["code"]: rule for rule in preset_document("circle_anglia_2009")["rules"]}
    for code, clause, quick, usual in (
        (R.C19_OFFICER_CONTACT, "C19 (004 §4.8)", 1, 5),
        (R.C20_INTERVIEW, "C20 (004 §4.9)", 5, 10),
        (R.C21_ACTION_PLAN, "C21 (004 §4.10)", 7, 14),
    ):
        rule = rules[code]
        assert rule["clause"] == clause
        assert "more quickly" in rule["promise"]
        faster, standard = rule["timescales"]
        assert (faster["amount"], faster["conditions"], faster["note"]) == (
            quick,
            {"violence": True},
            "violence or a threat of it",
        )
        assert (standard["amount"], standard["conditions"]) == (usual, {})


def test_c19_c20_c21_wch_2022_is_silent_on_them_so_its_preset_is_too():
    codes = {rule["code"] for rule in preset_document("wch_2022")["rules"]}
    assert not codes & set(FASTER)
    clauses = " ".join(rule["clause"] for rule in preset_document("wch_2022")["rules"])
    assert "004" not in clauses  # no clause of the other landlord's policy


@time_machine.travel(london(2026, 12, 3, 12, 0), tick=False)
def test_c14_faster_timescale_changed_applies_to_deadlines_started_after_it(circle):
    before = open_case(circle, received_at=london(2026, 12, 3, 9, 0), fear_of_violence=True)
    policy_change(
        circle.organisation,
        by=circle.admin,
        c19_officer_contact={
            "timescales": [
                {"unit": "days", "amount": 2, "conditions": {"violence": True}},
                {"unit": "days", "amount": 5},
            ]
        },
    )
    after = open_case(circle, received_at=london(2026, 12, 3, 9, 0), fear_of_violence=True)
    assert live(before, R.C19_OFFICER_CONTACT).due_at == london(2026, 12, 4, 9, 0)
    assert live(after, R.C19_OFFICER_CONTACT).due_at == london(2026, 12, 5, 9, 0)
    assert "within 2 days (violence" in live(after, R.C19_OFFICER_CONTACT).clause
