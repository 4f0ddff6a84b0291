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

from accounts.models import PolicySettings
from accounts.policy import PRESETS, Preset, looser_than_preset, preset_values
from accounts.services import policy_settings_update
from accounts.workdays import LONDON
from cases.models import Deadline, DeadlineRule, DeadlineState
from cases.models.choices import VIOLENT_ACTS, ContactPurpose, IncidentAct
from cases.services.changes import case_update
from cases.services.deadline_events import deadlines_violence_recorded
from cases.services.deadlines import deadline_waive
from cases.services.records import incident_record, incident_update
from cases.services.sweep import deadlines_sweep
from tests.deadline_helpers import apply_preset, complainant, log_phone_call, london, open_case
from tests.test_deadlines_views import form_values

pytestmark = pytest.mark.django_db

R = DeadlineRule
FASTER = (R.C19_OFFICER_CONTACT, R.C20_INTERVIEW, R.C21_ACTION_PLAN)
FASTER_FIELDS = (
    "violence_officer_contact_days",
    "violence_interview_days",
    "violence_action_plan_days",
)
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
    assert contact.clause == (
        "C19 (004 §4.8): the case officer contacts the complainant within 1 day"
        " (violence or a threat of it)"
    )
    # The reminder is the lead time (24 hours) before, but not before the report.
    assert contact.remind_at == london(2026, 11, 30, 16, 59)


@time_machine.travel(london(2026, 12, 1, 12, 0), tick=False)
def test_c20_c21_violence_at_intake_gives_interview_in_5_and_plan_in_7_days(circle):
    case = open_case(circle, received_at=london(2026, 11, 30, 16, 59), fear_of_violence=True)
    interview, plan = live(case, R.C20_INTERVIEW), live(case, R.C21_ACTION_PLAN)
    assert interview.due_at == london(2026, 12, 5, 16, 59)
    assert plan.due_at == london(2026, 12, 7, 16, 59)
    assert interview.clause == (
        "C20 (004 §4.9): interview the complainant within 5 days (violence or a threat of it)"
    )
    assert plan.clause.endswith("within 7 days of the report (violence or a threat of it)")
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
def test_c19_one_day_with_violence_across_the_start_of_british_summer_time(wch):
    # Clocks go forward at 01:00 GMT on Sunday 29 March 2026: a calendar day from 10:00 GMT
    # on Saturday is 10:00 BST on Sunday, 23 elapsed hours.
    case = open_case(wch, received_at=london(2026, 3, 28, 10, 0), fear_of_violence=True)
    due = live(case, R.C19_OFFICER_CONTACT).due_at
    assert due == london(2026, 3, 29, 10, 0)
    assert due.astimezone(LONDON).utcoffset() == timedelta(hours=1)
    assert due - case.received_at == timedelta(hours=23)


@time_machine.travel(london(2026, 12, 1, 12, 0), tick=False)
def test_c19_blank_faster_setting_keeps_the_standard_timescale(cast):
    apply_preset(cast.organisation, Preset.CIRCLE_ANGLIA_2009, violence_officer_contact_days=None)
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
def test_c19_no_standard_promise_means_no_deadline_even_with_violence(cast):
    PolicySettings.objects.create(
        organisation=cast.organisation,
        preset=Preset.CIRCLE_ANGLIA_2009,
        **{**preset_values(Preset.CIRCLE_ANGLIA_2009), "officer_contact_days": None},
    )
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
    # then moved to 5 days, 3 with violence: the running deadline keeps its sooner due time.
    apply_preset(
        cast.organisation,
        Preset.CIRCLE_ANGLIA_2009,
        officer_contact_days=1,
        violence_officer_contact_days=None,
    )
    case = open_case(cast, received_at=london(2026, 12, 2, 9, 0))
    apply_preset(
        cast.organisation,
        Preset.CIRCLE_ANGLIA_2009,
        officer_contact_days=5,
        violence_officer_contact_days=3,
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
    assert "interview the complainant within 5 days (violence or a threat of it)" in page
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


# Policy settings (C14) ------------------------------------------------------------------------


@pytest.mark.parametrize("preset", [Preset.WCH_2022, Preset.CIRCLE_ANGLIA_2009])
def test_c19_c20_c21_both_presets_have_faster_timescales_citing_their_clauses(preset):
    values = PRESETS[preset]
    assert values["violence_officer_contact_days"].value == 1
    assert values["violence_interview_days"].value == 5
    assert values["violence_action_plan_days"].value == 7
    assert "C19 (004 §4.8)" in values["violence_officer_contact_days"].clause
    assert "C26 (004 §6.2)" in values["violence_officer_contact_days"].clause
    assert "C20 (004 §4.9)" in values["violence_interview_days"].clause
    assert "C21 (004 §4.10)" in values["violence_action_plan_days"].clause
    for name in ("violence_officer_contact_days", "violence_interview_days"):
        assert "'more quickly'" in values[name].clause
        if preset == Preset.WCH_2022:
            assert "WCH 2022 sets no timescale of its own" in values[name].clause


def test_c14_faster_timescales_are_on_the_policy_page_with_their_clauses(client, circle):
    client.force_login(circle.admin)
    page = client.get(reverse("accounts:policy_settings")).content.decode()
    for name in ("violence_officer_contact_days", "violence_interview_days"):
        assert f'name="{name}"' in page
    assert "Case officer contact with violence (days)" in page
    assert "follows C26 (004 §6.2), respond to racial harassment" in page


def test_c19_faster_timescale_longer_than_the_standard_is_refused_beside_the_field(client, circle):
    client.force_login(circle.admin)
    settings = PolicySettings.objects.get(organisation=circle.organisation)
    response = client.post(
        reverse("accounts:policy_settings"),
        form_values(settings, violence_officer_contact_days=6, violence_action_plan_days=3),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["violence_officer_contact_days"]
    assert (
        "no longer than the standard timescale (5 days)"
        in form.errors["violence_officer_contact_days"][0]
    )
    body = response.content.decode()
    # Beside the field: in the same table row as its input, with the typed value kept.
    row = body[body.index('name="violence_officer_contact_days"') :]
    row = row[: row.index("</tr>")]
    assert "no longer than the standard timescale (5 days)" in row
    assert 'value="6"' in body[body.index('id="id_violence_officer_contact_days"') - 200 :][:400]
    settings.refresh_from_db()
    assert settings.violence_officer_contact_days == 1
    assert settings.violence_action_plan_days == 7


def test_c19_faster_timescale_without_a_standard_one_is_refused(client, circle):
    client.force_login(circle.admin)
    settings = PolicySettings.objects.get(organisation=circle.organisation)
    response = client.post(
        reverse("accounts:policy_settings"), form_values(settings, interview_days="")
    )
    assert response.status_code == 200
    assert (
        "Set the standard timescale first"
        in response.context["form"].errors["violence_interview_days"][0]
    )


def test_c19_shortening_the_standard_below_the_faster_one_is_refused_by_the_service(circle):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        policy_settings_update(
            organisation=circle.organisation, by=circle.admin, values={"interview_days": 3}
        )
    assert "violence_interview_days" in refused.value.message_dict


def test_c14_a_faster_timescale_looser_than_the_preset_warns(client, circle):
    client.force_login(circle.admin)
    settings = PolicySettings.objects.get(organisation=circle.organisation)
    response = client.post(
        reverse("accounts:policy_settings"),
        form_values(settings, violence_officer_contact_days=3, violence_interview_days=""),
    )
    assert response.status_code == 302
    settings.refresh_from_db()
    warnings = looser_than_preset(settings)
    assert warnings["violence_officer_contact_days"].startswith("Longer than the preset's 1")
    assert warnings["violence_interview_days"].startswith("Switched off")
    assert "violence_action_plan_days" not in warnings
    page = client.get(reverse("accounts:policy_settings")).content.decode()
    assert "Violence_officer_contact_days" in page and "Looser than the preset" in page


@time_machine.travel(london(2026, 12, 3, 12, 0), tick=False)
def test_c14_faster_timescale_changed_applies_to_deadlines_started_after_it(circle):
    before = open_case(circle, received_at=london(2026, 12, 3, 9, 0), fear_of_violence=True)
    policy_settings_update(
        organisation=circle.organisation,
        by=circle.admin,
        values={"violence_officer_contact_days": 2},
    )
    after = open_case(circle, received_at=london(2026, 12, 3, 9, 0), fear_of_violence=True)
    assert live(before, R.C19_OFFICER_CONTACT).due_at == london(2026, 12, 4, 9, 0)
    assert live(after, R.C19_OFFICER_CONTACT).due_at == london(2026, 12, 5, 9, 0)
    assert "within 2 days (violence" in live(after, R.C19_OFFICER_CONTACT).clause


# The data migration ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_c19_c20_c21_migration_gives_existing_settings_the_preset_values(cast):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("accounts", "0002_policy_settings")]
    after = [("accounts", "0003_violence_timescales")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = MigrationExecutor(connection).loader.project_state(before).apps
    OldSettings = old.get_model("accounts", "PolicySettings")
    Organisation = old.get_model("accounts", "Organisation")
    standard = {
        k: v for k, v in preset_values(Preset.CIRCLE_ANGLIA_2009).items() if "violence" not in k
    }
    OldSettings.objects.create(
        organisation=Organisation.objects.get(pk=cast.organisation.pk),
        preset=Preset.CIRCLE_ANGLIA_2009,
        **standard,
    )
    # An organisation that already interviews within 3 days and promises no action plan.
    OldSettings.objects.create(
        organisation=Organisation.objects.get(pk=cast.other_organisation.pk),
        preset=Preset.WCH_2022,
        **{**standard, "interview_days": 3, "action_plan_days": None},
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    # Later accounts migrations were unapplied on the way back: apply them again so the
    # tests after this one find the whole schema.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    usual = PolicySettings.objects.get(organisation=cast.organisation)
    tighter = PolicySettings.objects.get(organisation=cast.other_organisation)
    fields = FASTER_FIELDS
    assert [getattr(usual, name) for name in fields] == [1, 5, 7]
    assert [getattr(tighter, name) for name in fields] == [1, 3, None]
    assert not looser_than_preset(usual)
